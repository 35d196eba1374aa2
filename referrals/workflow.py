"""The referral statuses of DESIGN §5, written once as data: which status each action leaves from, where
it goes, which side makes it, the text it records and what that text is called. The service, the pages
and the API read it; nothing restates it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from referrals.models import Status

RECEIVER = "receiver"
SENDER = "sender"


# While a referral is in one of these statuses the receiver sees the person's identity.
GRANTING = frozenset({Status.SENT, Status.ACCEPTED, Status.COMPLETED})


@dataclass(frozen=True)
class Change:
    action: str
    sources: frozenset[Status]
    target: Status
    made_by: str  # RECEIVER or SENDER
    text_field: str  # where the note, reason or outcome is kept
    argument: str  # what the text is called in the API (DESIGN §9: note, reason, outcome)
    text_required: bool
    title: str  # the page's heading and button
    text_label: str  # the page's label of the text

    @property
    def withdraws_access(self) -> bool:
        """Declined or cancelled: the referral gives no further access to the person or the case."""
        return self.target not in GRANTING


CHANGES = {
    change.action: change
    for change in [
        Change(
            "accept",
            frozenset({Status.SENT}),
            Status.ACCEPTED,
            RECEIVER,
            "accept_note",
            "note",
            False,
            _("Accept"),
            _("Note (optional)"),
        ),
        Change(
            "decline",
            frozenset({Status.SENT}),
            Status.DECLINED,
            RECEIVER,
            "decline_reason",
            "reason",
            True,
            _("Decline"),
            _("Why your agency declines"),
        ),
        Change(
            "complete",
            frozenset({Status.ACCEPTED}),
            Status.COMPLETED,
            RECEIVER,
            "outcome",
            "outcome",
            True,
            _("Complete"),
            _("Service given and outcome"),
        ),
        Change(
            "cancel",
            frozenset({Status.SENT, Status.ACCEPTED}),
            Status.CANCELLED,
            SENDER,
            "cancel_reason",
            "reason",
            True,
            _("Cancel the referral"),
            _("Why the referral is cancelled"),
        ),
    ]
}


def side_of(user, referral) -> str | None:
    if not user.is_officer:
        return None
    if user.agency_id == referral.to_agency_id:
        return RECEIVER
    if user.agency_id == referral.from_agency_id:
        return SENDER
    return None


def changes_for(user, referral) -> list[Change]:
    """The actions this officer may take on this referral now: what the page offers."""
    side = side_of(user, referral)
    return [
        change for change in CHANGES.values() if change.made_by == side and referral.status in change.sources
    ]
