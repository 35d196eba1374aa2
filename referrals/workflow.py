"""The referral statuses of DESIGN §5, written once as data: which status each action leaves from, where
it goes, which side makes it, and the text it records."""

from dataclasses import dataclass

from referrals.models import Status

RECEIVER = "receiver"
SENDER = "sender"


@dataclass(frozen=True)
class Change:
    action: str
    sources: frozenset[Status]
    target: Status
    made_by: str  # RECEIVER or SENDER
    text_field: str  # where the note, reason or outcome is kept
    text_required: bool


CHANGES = {
    change.action: change
    for change in [
        Change("accept", frozenset({Status.SENT}), Status.ACCEPTED, RECEIVER, "accept_note", False),
        Change("decline", frozenset({Status.SENT}), Status.DECLINED, RECEIVER, "decline_reason", True),
        Change("complete", frozenset({Status.ACCEPTED}), Status.COMPLETED, RECEIVER, "outcome", True),
        Change(
            "cancel",
            frozenset({Status.SENT, Status.ACCEPTED}),
            Status.CANCELLED,
            SENDER,
            "cancel_reason",
            True,
        ),
    ]
}

# While a referral is in one of these statuses the receiver sees the person's identity.
GRANTING = frozenset({Status.SENT, Status.ACCEPTED, Status.COMPLETED})


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
