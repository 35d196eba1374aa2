import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# DESIGN §1 and the foundation issue: what each account finds in its navigation.
EXPECTED = {
    "bp3mi": ["arrivals", "cases", "referrals"],
    "police": ["cases", "referrals"],
    "prosecutor": ["cases", "referrals"],
    "service": ["referrals"],
    "outsider": ["referrals"],
    "chair": ["dashboard", "cases", "access_log"],
    "admin": ["admin"],
}
LINKS = {
    "arrivals": "/kepulangan/",
    "dashboard": "/dasbor/",
    "cases": "/kasus/",
    "referrals": "/rujukan/",
    "access_log": "/log-akses/",
    "admin": "/admin/",
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_role_sees_its_own_navigation(client_for, personas, persona):
    html = client_for(personas[persona]).get(reverse("password_change")).text
    nav = html[html.index('<nav class="menu"') : html.index("</nav>")]
    shown = [key for key, link in LINKS.items() if f'href="{link}"' in nav]
    assert shown == EXPECTED[persona]


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("bp3mi", "/kepulangan/"),
        ("police", "/kasus/"),
        ("service", "/rujukan/"),
        ("chair", "/dasbor/"),
        ("admin", "/admin/"),
    ],
)
def test_home_opens_the_first_page_of_the_navigation(client_for, personas, persona, start):
    assert client_for(personas[persona]).get("/").url == start
