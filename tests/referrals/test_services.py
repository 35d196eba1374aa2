"""Referral statuses of DESIGN §5 through the services: every pair, consent, due dates, the access a
referral grants and withdraws, and the e-mails."""

import datetime
from functools import partial

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cases.selectors import cases_visible_to, persons_visible_to
from gugus_tugas.accounts.models import Agency
from gugus_tugas.errors import Conflict, NotPermitted
from referrals import services
from referrals.models import Referral, ReferralEvent, Status

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)  # 09:00 WITA


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


ACTIONS = {
    "accept": (partial(services.referral_change, action="accept"), {"note": ""}),
    "decline": (partial(services.referral_change, action="decline"), {"reason": "Penuh"}),
    "complete": (partial(services.referral_change, action="complete"), {"outcome": "Selesai"}),
    "cancel": (partial(services.referral_change, action="cancel"), {"reason": "Dijemput keluarga"}),
}
# DESIGN §5, restated on purpose: (source status, action) -> target status.
ALLOWED = {
    ("sent", "accept"): "accepted",
    ("sent", "decline"): "declined",
    ("accepted", "complete"): "completed",
    ("sent", "cancel"): "cancelled",
    ("accepted", "cancel"): "cancelled",
}


@pytest.mark.parametrize("source", Status.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action(send, bp3mi_officer, service_officer, police_officer, source, action):
    referral = send()
    Referral.objects.filter(pk=referral.pk).update(status=source)
    service, text = ACTIONS[action]
    right_side = bp3mi_officer if action == "cancel" else service_officer
    wrong_side = service_officer if action == "cancel" else bp3mi_officer
    if (source, action) not in ALLOWED:
        with pytest.raises(Conflict):
            service(referral=referral, actor=right_side, **text)
        assert Referral.objects.get(pk=referral.pk).status == source
        return
    for other in (wrong_side, police_officer):
        with pytest.raises(NotPermitted):
            service(referral=referral, actor=other, **text)
    changed = service(referral=referral, actor=right_side, **text)
    assert changed.status == ALLOWED[(source, action)]
    event = changed.events.last()
    assert (event.from_status, event.to_status, event.actor, event.agency, event.at) == (
        source,
        changed.status,
        right_side,
        right_side.agency,
        NOW,
    )


@pytest.mark.parametrize(
    ("action", "field"), [("decline", "reason"), ("complete", "outcome"), ("cancel", "reason")]
)
def test_decline_complete_and_cancel_need_their_text(send, bp3mi_officer, service_officer, action, field):
    referral = send()
    if action == "complete":
        services.referral_change(action="accept", referral=referral, actor=service_officer)
    service, _text = ACTIONS[action]
    actor = bp3mi_officer if action == "cancel" else service_officer
    with pytest.raises(ValidationError):
        service(referral=referral, actor=actor, **{field: "   "})


class TestConsent:
    def test_sending_needs_consent_date_and_method(self, send):
        with pytest.raises(ValidationError) as error:
            send(consent_on=None, consent_method="")
        assert "consent_on" in error.value.message_dict
        assert not Referral.objects.exists()

    def test_consent_cannot_be_in_the_future(self, send):
        with pytest.raises(ValidationError):
            send(consent_on=datetime.date(2026, 12, 1))

    def test_an_override_with_a_reason_is_recorded_and_logged(self, send):
        referral = send(consent_on=None, consent_method="", consent_override_reason="Anak dalam bahaya")
        assert referral.consent_overridden
        assert referral.consent_override_reason == "Anak dalam bahaya"
        assert "Anak dalam bahaya" in ReferralEvent.objects.get(referral=referral).note


class TestDueDates:
    def test_three_days_to_answer(self, send, _frozen):
        referral = send()
        assert referral.due_at == NOW + datetime.timedelta(days=3)
        _frozen.shift(datetime.timedelta(days=3) - datetime.timedelta(seconds=1))
        assert not Referral.objects.get(pk=referral.pk).is_overdue
        _frozen.shift(datetime.timedelta(seconds=2))
        assert Referral.objects.get(pk=referral.pk).is_overdue

    def test_one_day_when_urgent(self, send, _frozen):
        referral = send(urgent=True)
        assert referral.due_at == NOW + datetime.timedelta(days=1)
        _frozen.shift(datetime.timedelta(days=1, seconds=1))
        assert Referral.objects.get(pk=referral.pk).is_overdue

    def test_an_answered_referral_is_never_overdue(self, send, service_officer, _frozen):
        referral = services.referral_change(action="accept", referral=send(), actor=service_officer)
        _frozen.shift(datetime.timedelta(days=10))
        assert not Referral.objects.get(pk=referral.pk).is_overdue


class TestAccess:
    def test_the_receiver_sees_the_person_from_sent_on(self, send, service_officer, bp3mi_case):
        person = bp3mi_case.victims.get().person
        assert not persons_visible_to(service_officer).filter(pk=person.pk).exists()
        send()
        assert persons_visible_to(service_officer).filter(pk=person.pk).exists()
        assert not cases_visible_to(service_officer).filter(pk=bp3mi_case.pk).exists()

    def test_accepting_makes_the_receiver_a_handling_agency(self, send, service_officer, bp3mi_case):
        services.referral_change(action="accept", referral=send(), actor=service_officer)
        assert cases_visible_to(service_officer).filter(pk=bp3mi_case.pk).exists()

    def test_completing_keeps_what_accepting_gave(self, send, service_officer, bp3mi_case):
        referral = services.referral_change(action="accept", referral=send(), actor=service_officer)
        services.referral_change(
            action="complete", referral=referral, actor=service_officer, outcome="Selesai"
        )
        assert cases_visible_to(service_officer).filter(pk=bp3mi_case.pk).exists()

    def test_declining_grants_nothing_more(self, send, service_officer, bp3mi_case):
        services.referral_change(action="decline", referral=send(), actor=service_officer, reason="Penuh")
        person = bp3mi_case.victims.get().person
        assert not persons_visible_to(service_officer).filter(pk=person.pk).exists()
        assert not cases_visible_to(service_officer).filter(pk=bp3mi_case.pk).exists()

    def test_cancelling_an_accepted_referral_withdraws_the_case(
        self, send, bp3mi_officer, service_officer, bp3mi_case
    ):
        referral = services.referral_change(action="accept", referral=send(), actor=service_officer)
        services.referral_change(
            action="cancel", referral=referral, actor=bp3mi_officer, reason="Salah kirim"
        )
        assert not cases_visible_to(service_officer).filter(pk=bp3mi_case.pk).exists()
        assert not persons_visible_to(service_officer).filter(pk=bp3mi_case.victims.get().person_id).exists()

    def test_a_second_referral_keeps_access_when_the_first_is_declined(
        self, send, service_officer, bp3mi_case
    ):
        first, second = send(), send(service="psychosocial")
        services.referral_change(
            action="decline", referral=first, actor=service_officer, reason="Layanan lain"
        )
        assert persons_visible_to(service_officer).filter(pk=second.person_id).exists()

    def test_only_a_person_the_sender_may_see_can_be_referred(self, send, outsider):
        with pytest.raises(NotPermitted):
            send(actor=outsider)

    def test_a_person_is_referred_on_only_once_their_referral_is_accepted(
        self, send, bp3mi_officer, service_officer, bp3mi_case
    ):
        # A declined referral gives no further access; access passed on before the answer would
        # outlive it. Accepted, the receiver cares for the person and may refer them on.
        hospital = Agency.objects.get(code="RSUD-KUPANG")
        referral = send(case=None)
        onward = {
            "actor": service_officer,
            "person": referral.person,
            "to_agency": hospital,
            "service": "health_rehabilitation",
            "reason": "Perlu pemeriksaan.",
            "consent_on": datetime.date(2026, 11, 20),
            "consent_method": "verbal",
        }
        with pytest.raises(NotPermitted, match="Terima dulu rujukan"):
            services.referral_send(**onward)
        assert not Referral.objects.filter(to_agency=hospital).exists()
        services.referral_change(action="accept", referral=referral, actor=service_officer)
        assert services.referral_send(**onward).to_agency == hospital


class TestEmail:
    def test_the_receiving_agency_is_told_without_the_identity(
        self, send, service_officer, bp3mi_case, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            referral = send(urgent=True)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [service_officer.email]
        assert referral.number in message.subject and "MENDESAK" in message.subject
        assert "Rumah aman" in message.body
        assert f"/rujukan/{referral.pk}/" in message.body
        assert bp3mi_case.victims.get().person.full_name not in message.subject + message.body

    def test_the_sender_is_told_of_the_answer(
        self, send, bp3mi_officer, service_officer, django_capture_on_commit_callbacks
    ):
        referral = send()
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_change(
                action="decline", referral=referral, actor=service_officer, reason="Penuh"
            )
        assert [message.to for message in mail.outbox] == [[bp3mi_officer.email]]
        assert "Ditolak" in mail.outbox[0].subject

    def test_nothing_is_sent_when_the_change_fails(
        self, send, bp3mi_officer, django_capture_on_commit_callbacks
    ):
        referral = send()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotPermitted):
            services.referral_change(action="accept", referral=referral, actor=bp3mi_officer)
        assert mail.outbox == []

    def test_the_daily_command_mails_each_agency_its_overdue_referrals(
        self, send, service_officer, prosecutor, capsys, _frozen, django_capture_on_commit_callbacks
    ):
        send()
        send(service="psychosocial")
        send(to_agency=prosecutor.agency, service="legal_aid")
        _frozen.shift(datetime.timedelta(days=4))
        send(service="health_rehabilitation")  # fresh: not overdue
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):  # the test's transaction holds the queue
            call_command("send_overdue_referrals")
        assert "3 rujukan terlambat di 2 instansi; 2 e-mail diantrekan." in capsys.readouterr().out
        by_recipient = {message.to[0]: message for message in mail.outbox}
        assert set(by_recipient) == {service_officer.email, prosecutor.email}
        assert by_recipient[service_officer.email].body.count("/rujukan/") == 2
