"""Writes of the referrals app: sending a referral and each change of its status. Every function locks
what it changes, checks the allowed source status and the acting side, writes the event with the actor
inside one transaction, records the access the referral grants or withdraws through the cases app,
and sends its e-mail only once the transaction has committed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import ConsentMethod, HandlingGrounds
from cases.models import Case, Person
from cases.selectors import person_identity_visible
from cases.services import (
    case_grant_handling,
    case_revoke_handling,
    person_grant_access,
    person_revoke_access,
)
from gugus_tugas.accounts.models import Agency, User
from gugus_tugas.errors import Conflict, NotPermitted
from referrals import notifications
from referrals.models import Referral, ReferralEvent, Status, due_after
from referrals.selectors import persons_referable_by
from referrals.workflow import CHANGES, GRANTING, side_of


def _grounds(referral: Referral) -> str:
    return HandlingGrounds.for_referral(referral.pk)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    person: Person,
    to_agency: Agency,
    service: str,
    reason: str,
    urgent: bool = False,
    case: Case | None = None,
    consent_on: datetime.date | None = None,
    consent_method: str = "",
    consent_override_reason: str = "",
) -> Referral:
    """Refer a person the actor's agency may see (and optionally their case) to another agency. Needs
    the person's consent (date and method) or a recorded reason for going without it. From now on the
    receiving agency sees the person's identity, so that it can decide; it is told by e-mail."""
    if not actor.is_officer:
        raise NotPermitted(_("Only officers send referrals."))
    if not person_identity_visible(actor, person):
        raise NotPermitted(_("Your agency may not refer this person."))
    if not persons_referable_by(actor).filter(pk=person.pk).exists():
        raise NotPermitted(_("Accept the referral of this person before referring them on."))
    errors = {}
    if case is not None and not case.victims.filter(person=person).exists():
        errors["case"] = _("This person is not a victim in that case.")
    if case is not None and not case.handlings.filter(agency_id=actor.agency_id).exists():
        errors["case"] = _("Your agency does not handle that case.")
    if to_agency.pk == actor.agency_id:
        errors["to_agency"] = _("Refer to another agency than your own.")
    elif not to_agency.is_active:
        errors["to_agency"] = _("This agency is no longer active.")
    if not reason.strip():
        errors["reason"] = _("Say what the person needs.")
    consent_override_reason = consent_override_reason.strip()
    if consent_override_reason:
        consent_on, consent_method = None, ""
    elif not (consent_on and consent_method in ConsentMethod.values):
        errors["consent_on"] = _(
            "Record the person's consent (date and method), or why the referral goes without it."
        )
    elif consent_on > timezone.localdate():
        errors["consent_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    sent_at = timezone.now()
    referral = Referral(
        person=person,
        case=case,
        from_agency_id=actor.agency_id,
        to_agency=to_agency,
        service=service,
        reason=reason.strip(),
        urgent=urgent,
        consent_on=consent_on,
        consent_method=consent_method,
        consent_override_reason=consent_override_reason,
        sent_at=sent_at,
        due_at=due_after(sent_at, urgent=urgent),
        created_by=actor,
    )
    referral.full_clean()
    referral._history_user = actor
    referral.save()
    note = (
        _("Sent without consent: %(reason)s") % {"reason": consent_override_reason}
        if consent_override_reason
        else ""
    )
    ReferralEvent.objects.create(
        referral=referral,
        to_status=Status.SENT,
        actor=actor,
        agency_id=actor.agency_id,
        note=note,
        at=sent_at,
    )
    person_grant_access(person=person, agency=to_agency, grounds=_grounds(referral))
    # Robust: the referral is saved whatever the mail server does; a failure is logged, not raised.
    referral_id = referral.pk
    transaction.on_commit(lambda: notifications.referral_sent(referral_id), robust=True)
    return referral


def _change(referral: Referral, actor: User, action: str, text: str = "") -> Referral:
    change = CHANGES[action]
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("person", "case").get(pk=referral.pk)
    )
    if referral.status not in change.sources:
        raise Conflict(
            _("This referral is already “%(status)s”; it can no longer be changed that way.")
            % {"status": referral.get_status_display()}
        )
    if side_of(actor, referral) != change.made_by:
        raise NotPermitted(
            _("Only the receiving agency answers a referral.")
            if change.made_by == "receiver"
            else _("Only the sending agency cancels a referral.")
        )
    text = text.strip()
    if change.text_required and not text:
        raise ValidationError({change.text_field: _("This field is required.")})
    now = timezone.now()
    source = referral.status
    referral.status = change.target
    setattr(referral, change.text_field, text)
    if source == Status.SENT and action in {"accept", "decline"}:
        referral.answered_at = now
    if change.target in {Status.DECLINED, Status.COMPLETED, Status.CANCELLED}:
        referral.closed_at = now
    referral._history_user = actor
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        from_status=source,
        to_status=change.target,
        actor=actor,
        agency_id=actor.agency_id,
        note=text,
        at=now,
    )
    if change.target not in GRANTING:
        # Declined or cancelled: the referral gives no further access to the person or the case.
        person_revoke_access(person=referral.person, agency=referral.to_agency_id, grounds=_grounds(referral))
        if referral.case_id:
            case_revoke_handling(case=referral.case, agency=referral.to_agency_id, grounds=_grounds(referral))
    elif change.target == Status.ACCEPTED and referral.case_id:
        # An accepted referral naming a case makes the receiver one of its handling agencies (§6).
        case_grant_handling(case=referral.case, agency=referral.to_agency_id, grounds=_grounds(referral))
    referral_id = referral.pk
    transaction.on_commit(lambda: notifications.referral_changed(referral_id, action), robust=True)
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, actor: User, note: str = "") -> Referral:
    """The receiving agency takes the referral on; a named case becomes one it handles."""
    return _change(referral, actor, "accept", note)


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, reason: str) -> Referral:
    """The receiving agency declines, with a reason; its view of the person ends."""
    return _change(referral, actor, "decline", reason)


@transaction.atomic
def referral_complete(*, referral: Referral, actor: User, outcome: str) -> Referral:
    """The receiving agency records the service given and its outcome."""
    return _change(referral, actor, "complete", outcome)


@transaction.atomic
def referral_cancel(*, referral: Referral, actor: User, reason: str) -> Referral:
    """The sending agency withdraws a referral still open, with a reason; the access it gave ends."""
    return _change(referral, actor, "cancel", reason)
