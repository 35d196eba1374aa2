"""Demo referrals for seed_demo: BP3MI hands its cases to the police by referral, and victims are
referred to services, in every status, some overdue. Written through the services; only the
timestamps are moved back afterwards, because a demo's history happened in the past."""

import datetime
import random

from django.utils import timezone

from cases.choices import ConsentMethod
from cases.models import Case
from gugus_tugas.accounts.models import Agency, User
from referrals import services
from referrals.models import Referral, Service, due_after


def backdate(
    referral: Referral, day: datetime.date, *, answered_after: datetime.timedelta | None = None
) -> None:
    """Move a referral and its events back to `day` (at 09:00 WITA), keeping their spacing."""
    sent_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    shift = sent_at - referral.sent_at
    answered = sent_at + answered_after if answered_after is not None else None
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent_at,
        due_at=due_after(sent_at, urgent=referral.urgent),
        answered_at=answered if referral.answered_at else None,
        closed_at=(answered or sent_at) if referral.closed_at else None,
    )
    for event in referral.events.all():
        event.at = answered if (answered and event.from_status) else event.at + shift
        event.save(update_fields=["at"])


def hand_over_to_police(case: Case, bp3mi: User, police: User, on: datetime.date) -> None:
    """BP3MI refers the victim to the police for law enforcement; the police accept the next day."""
    referral = services.referral_send(
        actor=bp3mi,
        person=case.victims.first().person,
        case=case,
        to_agency=police.agency,
        service=Service.LAW_ENFORCEMENT,
        reason="Indikasi TPPO dari hasil asesmen kepulangan; mohon penyelidikan.",
        consent_on=on,
        consent_method=ConsentMethod.WRITTEN,
    )
    referral = services.referral_change(
        referral=referral, actor=police, action="accept", note="Diterima, ditangani Subdit IV."
    )
    backdate(referral, on, answered_after=datetime.timedelta(days=1))


# The changes that bring a demo referral to its fate, each with its text.
ANSWERS = {
    "accepted": [("accept", {})],
    "completed": [
        ("accept", {}),
        ("complete", {"outcome": "Layanan diberikan; korban kembali ke keluarga."}),
    ],
    "declined": [("decline", {"reason": "Kuota rumah aman penuh; disarankan ke UPTD PPA."})],
    "cancelled": [("cancel", {"reason": "Korban sudah dijemput keluarga."})],
}


def seed_service_referrals(
    accounts: dict[str, User], cases: list[Case], today: datetime.date, seed: int
) -> int:
    """Victims referred to shelters, health and protection services, in every status; some overdue."""
    rng = random.Random(seed)
    bp3mi = accounts["bp3mi"]
    receivers = {
        "dinsos": (Service.SHELTER, "Butuh rumah aman sementara sebelum kembali ke desa."),
        "dp3a": (Service.PSYCHOSOCIAL, "Pendampingan psikososial; korban mengalami trauma."),
        "rsud": (Service.HEALTH_REHABILITATION, "Pemeriksaan kesehatan lanjutan."),
        "lpsk": (Service.WITNESS_PROTECTION, "Saksi korban menerima ancaman dari keluarga pelaku."),
        "dukcapil": (Service.CIVIL_DOCUMENTS, "KTP hilang, ditahan agen di Malaysia."),
    }
    bp3mi_cases = [case for case in cases if case.created_by_agency_id == bp3mi.agency_id][:14]
    plan = [
        "completed",
        "completed",
        "accepted",
        "accepted",
        "declined",
        "cancelled",
        "sent_overdue",
        "sent_overdue_urgent",
        "sent_fresh",
        "override_fresh",
        "completed",
        "accepted",
        "sent_overdue",
        "declined",
    ]
    made = 0
    for case, fate in zip(bp3mi_cases, plan, strict=False):
        username = rng.choice(list(receivers))
        service, reason = receivers[username]
        receiver = accounts[username]
        person = case.victims.first().person
        urgent = fate.endswith("urgent")
        override = fate.startswith("override")
        referral = services.referral_send(
            actor=bp3mi,
            person=person,
            case=case,
            to_agency=Agency.objects.get(pk=receiver.agency_id),
            service=service,
            reason=reason,
            urgent=urgent,
            consent_on=None if override else case.identified_on,
            consent_method="" if override else ConsentMethod.VERBAL,
            consent_override_reason="Korban anak; orang tua diduga terlibat." if override else "",
        )
        for action, text in ANSWERS.get(fate, []):
            actor = bp3mi if action == "cancel" else receiver
            referral = services.referral_change(referral=referral, actor=actor, action=action, **text)
        if fate.startswith("sent_overdue"):
            backdate(referral, today - datetime.timedelta(days=rng.randint(4, 9)))
        elif not fate.endswith("fresh"):
            backdate(
                referral,
                case.identified_on + datetime.timedelta(days=2),
                answered_after=datetime.timedelta(days=rng.randint(1, 5)),
            )
        made += 1
    return made
