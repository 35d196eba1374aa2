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
from referrals.workflow import CHANGES, RECEIVER, Change, side_of


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
    consent_override_reason = consent_override_reason.strip()
    if consent_override_reason:
        consent_on, consent_method = None, ""
    _check_referral(
        actor=actor,
        person=person,
        to_agency=to_agency,
        case=case,
        reason=reason,
        consent=(consent_on, consent_method, consent_override_reason),
    )
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


def _check_referral(*, actor: User, person: Person, to_agency: Agency, case, reason: str, consent) -> None:
    """What referral_send refuses as bad input, all at once (ValidationError)."""
    consent_on, consent_method, override = consent
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
    if not override and not (consent_on and consent_method in ConsentMethod.values):
        errors["consent_on"] = _(
            "Record the person's consent (date and method), or why the referral goes without it."
        )
    elif not override and consent_on > timezone.localdate():
        errors["consent_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_change(*, referral: Referral, actor: User, action: str, **text: str) -> Referral:
    """Change a referral's status by one of referrals.workflow.CHANGES: the receiving agency accepts,
    declines or completes, the sending agency cancels. Locks the referral; refuses with Conflict when
    it is no longer in a status the change leaves from, with NotPermitted when the actor's agency is
    not the side that makes it, and with ValidationError when the change needs a text (a reason, an
    outcome) and has none. Keeps the text where the change keeps it, the answering and closing times
    and an event naming the actor. An accepted referral naming a case makes the receiver a handling
    agency; a declined or cancelled one withdraws the access it gave. The e-mail goes after commit.

    The text goes under the change's own name (Change.argument: note, reason or outcome)."""
    change = CHANGES[action]
    if set(text) - {change.argument}:
        raise TypeError(f"{action} takes its text as {change.argument}=, not {', '.join(text)}")
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
            if change.made_by == RECEIVER
            else _("Only the sending agency cancels a referral.")
        )
    text = text.get(change.argument, "").strip()
    if change.text_required and not text:
        raise ValidationError({change.text_field: _("This field is required.")})
    _record_change(referral, change, actor, text)
    _follow_access(referral, change)
    referral_id = referral.pk
    transaction.on_commit(lambda: notifications.referral_changed(referral_id, action), robust=True)
    return referral


def _record_change(referral: Referral, change: Change, actor: User, text: str) -> None:
    now = timezone.now()
    source = referral.status
    referral.status = change.target
    setattr(referral, change.text_field, text)
    if source == Status.SENT and change.target in {Status.ACCEPTED, Status.DECLINED}:
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


def _follow_access(referral: Referral, change: Change) -> None:
    """The access the referral gives follows its status (DESIGN §6)."""
    grounds = _grounds(referral)
    if change.withdraws_access:
        person_revoke_access(person=referral.person, agency=referral.to_agency_id, grounds=grounds)
        if referral.case_id:
            case_revoke_handling(case=referral.case, agency=referral.to_agency_id, grounds=grounds)
    elif change.target == Status.ACCEPTED and referral.case_id:
        # An accepted referral naming a case makes the receiver one of its handling agencies (§6).
        case_grant_handling(case=referral.case, agency=referral.to_agency_id, grounds=grounds)
