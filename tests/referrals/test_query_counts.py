import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        reverse("referrals:inbox"),
        reverse("referrals:outbox") + "?overdue=false",
        "/api/v1/referrals/",
        "/api/v1/referrals/?direction=incoming&status=sent",
    ],
)
@pytest.mark.parametrize("persona", ["bp3mi", "service"])
def test_boxes_do_not_grow_with_referrals(client_for, personas, send, bp3mi_officer, url, persona):
    client = client_for(personas[persona])
    for _n in range(3):
        send(case=None, person=make_case(bp3mi_officer).victims.get().person)
    few = queries(client, url)
    for _n in range(12):
        send(case=None, person=make_case(bp3mi_officer).victims.get().person)
    assert queries(client, url) == few
