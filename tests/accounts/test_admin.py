import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_role_manages_agencies_and_accounts(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_agency_changelist")).status_code == 200
    response = client.post(
        reverse("admin:accounts_agency_add"),
        {
            "code": "LBH-KUPANG",
            "name": "Lembaga Bantuan Hukum Kupang",
            "kind": "legal_aid",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


@pytest.mark.parametrize("persona", ["bp3mi", "police", "service", "chair"])
def test_no_one_else_enters_the_admin_site(client_for, personas, persona):
    response = client_for(personas[persona]).get(reverse("admin:accounts_agency_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
