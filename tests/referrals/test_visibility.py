"""Who sees which referral (DESIGN §5, §6): every persona against every referral page and endpoint."""

import pytest
from django.urls import reverse

from gugus_tugas.accounts.models import AccessLog
from referrals import services
from referrals.models import Referral
from tests.factories import make_returnee

pytestmark = pytest.mark.django_db
PERSONAS = ["bp3mi", "police", "prosecutor", "service", "outsider", "chair", "admin"]


@pytest.fixture
def referral(send):
    return send()


# persona: (inbox, outbox, detail, send form from the case, accept (POST), cancel (POST))
EXPECTED_PAGES = {
    "bp3mi": (200, 200, 200, 200, 403, 302),  # the sender: may not answer, may cancel
    "police": (200, 200, 404, 200, 404, 404),  # handles the case, not a party to this referral
    "prosecutor": (200, 200, 404, 404, 404, 404),
    "service": (200, 200, 200, 404, 302, 403),  # the receiver: answers, does not cancel
    "outsider": (200, 200, 404, 404, 404, 404),
    "chair": (404, 404, 404, 404, 404, 404),
    "admin": (404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_referral_pages(client_for, personas, referral, bp3mi_case, persona):
    client = client_for(personas[persona])
    got = (
        client.get(reverse("referrals:inbox")).status_code,
        client.get(reverse("referrals:outbox")).status_code,
        client.get(reverse("referrals:detail", args=[referral.pk])).status_code,
        client.get(reverse("referrals:create") + f"?case={bp3mi_case.pk}").status_code,
        client.post(reverse("referrals:act", args=[referral.pk, "accept"]), {"accept-text": ""}).status_code,
        client.post(
            reverse("referrals:act", args=[referral.pk, "cancel"]), {"cancel-text": "Batal"}
        ).status_code,
    )
    assert got == EXPECTED_PAGES[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_lists_show_a_referral_only_to_its_two_agencies(client_for, personas, referral, persona):
    client = client_for(personas[persona])
    listed = (
        [
            client.get(reverse("referrals:inbox")).text.count(referral.number + "<"),
            client.get(reverse("referrals:outbox")).text.count(referral.number + "<"),
        ]
        if persona not in {"chair", "admin"}
        else [0, 0]
    )
    assert listed == {"bp3mi": [0, 1], "service": [1, 0]}.get(persona, [0, 0])


def test_the_receiver_sees_the_identity_and_the_view_is_logged(client_for, service_officer, referral):
    html = client_for(service_officer).get(reverse("referrals:detail", args=[referral.pk])).text
    assert referral.person.full_name in html
    log = AccessLog.objects.get(record_type="referral")
    assert (log.user, log.person_ids) == (service_officer, [referral.person_id])


def test_after_declining_the_receiver_sees_the_referral_but_not_the_person(
    client_for, service_officer, referral
):
    client = client_for(service_officer)
    client.post(reverse("referrals:act", args=[referral.pk, "decline"]), {"decline-text": "Penuh"})
    html = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert referral.person.full_name not in html
    assert "tersamar" in html


# persona: (list count, detail, accept, cancel)
EXPECTED_API = {
    "bp3mi": (1, 200, 403, 200),
    "police": (0, 404, 404, 404),
    "prosecutor": (0, 404, 404, 404),
    "service": (1, 200, 200, 409),  # accepted first, then the sender's cancel... see below
    "outsider": (0, 404, 404, 404),
    "chair": (0, 404, 404, 404),
    "admin": (0, 404, 404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_referral_api(client_for, personas, referral, persona):
    client = client_for(personas[persona])
    url = f"/api/v1/referrals/{referral.pk}/"
    got = (
        client.get("/api/v1/referrals/").json()["count"],
        client.get(url).status_code,
        client.post(url + "accept/", {"note": "Siap"}, content_type="application/json").status_code,
        client.post(url + "cancel/", {"reason": "Batal"}, content_type="application/json").status_code,
    )
    if persona == "service":
        # The receiver accepted; cancelling belongs to the sender: 403, whatever the status.
        assert got == (1, 200, 200, 403)
    else:
        assert got == EXPECTED_API[persona]


# persona: (send form for an arrival's person, sending it (POST), decline (POST), complete (POST))
EXPECTED_FROM_ARRIVAL_AND_ANSWERS = {
    "bp3mi": (200, 302, 403, 403),  # recorded the arrival; the sender answers nothing
    "police": (404, 404, 404, 404),  # the arrival has no case it handles
    "prosecutor": (404, 404, 404, 404),
    "service": (404, 404, 302, 302),  # the receiver declines one and completes the other
    "outsider": (404, 404, 404, 404),
    "chair": (404, 404, 404, 404),
    "admin": (404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_sending_from_an_arrival_and_the_other_answers(
    client_for, personas, send, bp3mi_officer, service_officer, persona
):
    arrival = make_returnee(bp3mi_officer)
    to_decline = send()
    to_complete = services.referral_change(
        action="accept", referral=send(service="psychosocial"), actor=service_officer
    )
    client = client_for(personas[persona])
    create = reverse("referrals:create") + f"?person={arrival.person_id}"
    sending = {
        "person": arrival.person_id,
        "to_agency": service_officer.agency.pk,
        "service": "shelter",
        "reason": "Butuh rumah aman",
        "consent_on": "24/11/2026",
        "consent_method": "verbal",
    }
    got = (
        client.get(create).status_code,
        client.post(create, sending).status_code,
        client.post(
            reverse("referrals:act", args=[to_decline.pk, "decline"]), {"decline-text": "Penuh"}
        ).status_code,
        client.post(
            reverse("referrals:act", args=[to_complete.pk, "complete"]), {"complete-text": "Selesai"}
        ).status_code,
    )
    assert got == EXPECTED_FROM_ARRIVAL_AND_ANSWERS[persona]
    sent_from_arrival = Referral.objects.filter(person=arrival.person)
    assert sent_from_arrival.count() == (1 if persona == "bp3mi" else 0)
    to_decline.refresh_from_db()
    to_complete.refresh_from_db()
    assert (to_decline.status, to_complete.status) == (
        ("declined", "completed") if persona == "service" else ("sent", "accepted")
    )
