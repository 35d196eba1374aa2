"""The referral journeys on the pages and through the API."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from referrals import services
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC), tick=True) as clock:
        yield clock


def test_bp3mi_refers_a_victim_from_the_case_page(client_for, bp3mi_officer, service_officer, bp3mi_case):
    client = client_for(bp3mi_officer)
    case_page = client.get(reverse("cases:case_detail", args=[bp3mi_case.pk])).text
    assert f"{reverse('referrals:create')}?case={bp3mi_case.pk}" in case_page
    person = bp3mi_case.victims.get().person
    response = client.post(
        reverse("referrals:create") + f"?case={bp3mi_case.pk}",
        {
            "person": person.pk,
            "to_agency": service_officer.agency.pk,
            "service": "shelter",
            "reason": "Butuh rumah aman",
            "consent_on": "24/11/2026",
            "consent_method": "verbal",
        },
    )
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert (referral.case, referral.person, referral.from_agency, referral.to_agency, referral.status) == (
        bp3mi_case,
        person,
        bp3mi_officer.agency,
        service_officer.agency,
        "sent",
    )


def test_a_referral_without_consent_or_override_is_refused_on_the_page(
    client_for, bp3mi_officer, service_officer, bp3mi_case
):
    response = client_for(bp3mi_officer).post(
        reverse("referrals:create") + f"?case={bp3mi_case.pk}",
        {
            "person": bp3mi_case.victims.get().person_id,
            "to_agency": service_officer.agency.pk,
            "service": "shelter",
            "reason": "Butuh rumah aman",
        },
    )
    assert response.status_code == 200
    assert "persetujuan" in response.text
    assert not Referral.objects.exists()


def test_an_override_is_shown_on_the_referral(client_for, send, service_officer):
    referral = send(consent_on=None, consent_method="", consent_override_reason="Anak dalam bahaya")
    html = client_for(service_officer).get(reverse("referrals:detail", args=[referral.pk])).text
    assert "tanpa persetujuan" in html and "Anak dalam bahaya" in html


def test_the_inbox_count_and_the_overdue_flag(client_for, send, service_officer, _frozen):
    send()
    send(urgent=True, service="psychosocial")
    client = client_for(service_officer)
    page = client.get(reverse("referrals:inbox")).text
    nav = page[page.index('<nav class="menu"') : page.index("</nav>")]
    assert '<span class="badge" title="masuk, menunggu jawaban Anda">2<' in nav
    _frozen.shift(datetime.timedelta(days=2))
    client = client_for(service_officer)  # two idle days ended the session
    overdue = client.get(reverse("referrals:inbox") + "?overdue=true").text
    assert overdue.count('class="overdue"') == 1  # only the urgent one is late after two days
    assert client.get(reverse("referrals:inbox") + "?status=accepted").text.count('class="overdue"') == 0


def test_the_sender_sees_how_many_sent_referrals_wait_for_an_answer(
    client_for, send, bp3mi_officer, service_officer
):
    first = send()
    send(service="psychosocial")
    services.referral_change(action="accept", actor=service_officer, referral=first, note="")
    page = client_for(bp3mi_officer).get(reverse("referrals:outbox")).text
    nav = page[page.index('<nav class="menu"') : page.index("</nav>")]
    # One still waits on Dinas Sosial; none waits on BP3MI, so BP3MI's own badge is not shown.
    assert '<span class="badge quiet" title="terkirim, menunggu jawaban">1<' in nav
    assert "menunggu jawaban Anda" not in nav
    tabs = page[page.index('<nav class="row tabs"') :]
    assert '<span class="badge quiet" title="terkirim, menunggu jawaban">1</span>' in tabs
    receiver = client_for(service_officer).get(reverse("referrals:inbox")).text
    nav = receiver[receiver.index('<nav class="menu"') : receiver.index("</nav>")]
    assert '<span class="badge" title="masuk, menunggu jawaban Anda">1<' in nav and "quiet" not in nav


def test_the_receiver_accepts_and_then_handles_the_case(client_for, send, service_officer, bp3mi_case):
    referral = send()
    client = client_for(service_officer)
    assert client.get(reverse("cases:case_detail", args=[bp3mi_case.pk])).status_code == 404
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]), {"accept-text": "Siap menampung"})
    assert client.get(reverse("cases:case_detail", args=[bp3mi_case.pk])).status_code == 200
    client.post(
        reverse("referrals:act", args=[referral.pk, "complete"]), {"complete-text": "Ditampung 14 hari"}
    )
    referral.refresh_from_db()
    assert (referral.status, referral.accept_note, referral.outcome) == (
        "completed",
        "Siap menampung",
        "Ditampung 14 hari",
    )


def test_a_decline_without_a_reason_is_refused_with_a_message(client_for, send, service_officer):
    referral = send()
    response = client_for(service_officer).post(
        reverse("referrals:act", args=[referral.pk, "decline"]), {"decline-text": ""}, follow=True
    )
    assert "wajib diisi" in response.text
    assert Referral.objects.get().status == "sent"


def test_the_api_sends_filters_and_answers(client_for, bp3mi_officer, service_officer, bp3mi_case):
    bp3mi = client_for(bp3mi_officer)
    person = bp3mi_case.victims.get().person
    created = bp3mi.post(
        "/api/v1/referrals/",
        {
            "person": person.pk,
            "case": bp3mi_case.pk,
            "to_agency": "DINSOS-KUPANG",
            "service": "shelter",
            "reason": "Rumah aman",
            "urgent": True,
            "consent_on": "2026-11-24",
            "consent_method": "guardian",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["from_agency"], body["to_agency"], body["status"], body["is_overdue"]) == (
        "BP3MI-NTT",
        "DINSOS-KUPANG",
        "sent",
        False,
    )
    assert body["due_at"].startswith("2026-11-26")
    assert bp3mi.get("/api/v1/referrals/?direction=outgoing").json()["count"] == 1
    assert bp3mi.get("/api/v1/referrals/?direction=incoming").json()["count"] == 0
    service = client_for(service_officer)
    assert service.get("/api/v1/referrals/?direction=incoming&status=sent").json()["count"] == 1
    missing = service.post(f"/api/v1/referrals/{body['id']}/decline/", {}, content_type="application/json")
    assert missing.status_code == 400
    declined = service.post(
        f"/api/v1/referrals/{body['id']}/decline/", {"reason": "Penuh"}, content_type="application/json"
    )
    assert declined.json()["status"] == "declined"
    again = service.post(f"/api/v1/referrals/{body['id']}/accept/", {}, content_type="application/json")
    assert again.status_code == 409


def test_the_api_refuses_a_person_the_sender_may_not_see(client_for, outsider, bp3mi_case):
    response = client_for(outsider).post(
        "/api/v1/referrals/",
        {
            "person": bp3mi_case.victims.get().person_id,
            "to_agency": "DINSOS-KUPANG",
            "service": "shelter",
            "reason": "x",
            "consent_on": "2026-11-24",
            "consent_method": "verbal",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "person" in response.json()
    assert not Referral.objects.exists()


def test_a_receiver_refers_the_person_on_only_after_accepting(client_for, send, service_officer):
    referral = send(case=None)
    client = client_for(service_officer)
    form = f"{reverse('referrals:create')}?person={referral.person_id}"
    onward = {
        "person": referral.person_id,
        "to_agency": "RSUD-KUPANG",
        "service": "health_rehabilitation",
        "reason": "Perlu pemeriksaan",
        "consent_on": "2026-11-24",
        "consent_method": "verbal",
    }
    assert client.get(form).status_code == 404
    refused = client.post("/api/v1/referrals/", onward, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Terima dulu rujukan orang ini sebelum merujuknya lebih lanjut."}
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]), {"accept-text": ""})
    assert client.get(form).status_code == 200
    assert client.post("/api/v1/referrals/", onward, content_type="application/json").status_code == 201


def test_after_declining_the_receiver_no_longer_reads_the_referrals_texts(
    client_for, send, bp3mi_officer, service_officer
):
    # Free text often names the person, whose identity a declined referral no longer gives.
    referral = send(reason="Maria dipukuli majikan di Sabah", consent_override_reason="Maria masih anak")
    client = client_for(service_officer)
    detail = reverse("referrals:detail", args=[referral.pk])
    assert "Maria dipukuli" in client.get(detail).text
    services.referral_change(
        action="decline", referral=referral, actor=service_officer, reason="Maria sudah pulang"
    )
    page = client.get(detail).text
    assert "Maria" not in page
    assert "disembunyikan" in page
    body = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert (body["reason"], body["consent_override_reason"], body["decline_reason"]) == ("", "", "")
    listed = client.get("/api/v1/referrals/?direction=incoming").json()["results"][0]
    assert "Maria" not in str(listed)
    sender = client_for(bp3mi_officer).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert (sender["reason"], sender["decline_reason"]) == (
        "Maria dipukuli majikan di Sabah",
        "Maria sudah pulang",
    )


def test_the_receiver_sees_the_case_number_but_no_link_until_it_accepts(
    client_for, send, service_officer, bp3mi_case
):
    referral = send()
    client = client_for(service_officer)
    detail = reverse("referrals:detail", args=[referral.pk])
    case_link = reverse("cases:case_detail", args=[bp3mi_case.pk])
    page = client.get(detail).text
    assert bp3mi_case.number in page and case_link not in page
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]), {"accept-text": ""})
    assert case_link in client.get(detail).text


@pytest.mark.parametrize(
    "query", ["case=%C2%B2", "person=%C2%B2", "case=99999999999999999999999", "person=abc"]
)
def test_an_odd_id_on_the_referral_form_is_a_404(client_for, bp3mi_officer, query):
    assert client_for(bp3mi_officer).get(reverse("referrals:create") + "?" + query).status_code == 404


def test_a_failing_mail_server_does_not_undo_or_break_a_referral(
    client_for, settings, bp3mi_officer, service_officer, bp3mi_case, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.referrals.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(bp3mi_officer).post(
            reverse("referrals:create") + f"?case={bp3mi_case.pk}",
            {
                "person": bp3mi_case.victims.get().person_id,
                "to_agency": service_officer.agency.pk,
                "service": "shelter",
                "reason": "Butuh rumah aman",
                "consent_on": "24/11/2026",
                "consent_method": "verbal",
            },
        )
    assert response.status_code == 302
    assert Referral.objects.count() == 1
