"""Reads of the referrals app and who sees which referral (DESIGN §5, §6): the sending and the receiving
agency. The person's identity follows cases.selectors.persons_visible_to, which counts the access a
referral grants while it stands."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Person
from cases.selectors import mask_person, persons_visible_to
from gugus_tugas.accounts.models import User
from gugus_tugas.accounts.selectors import NavBadge
from referrals.models import Referral, Status


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_officer:
        return Referral.objects.none()
    return Referral.objects.filter(Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id))


def persons_referable_by(user: User) -> QuerySet[Person]:
    """The persons an officer's agency may refer on: its own (recorded by it, victims of cases it
    handles) and those referred to it that it accepted. Not a person it sees only through a referral
    still waiting for its answer: access passed on before a decline would outlive the declined
    referral, which gives no further access (DESIGN §5)."""
    if not user.is_officer:
        return Person.objects.none()
    accepted = Referral.objects.filter(
        person=OuterRef("pk"), to_agency_id=user.agency_id, status__in=(Status.ACCEPTED, Status.COMPLETED)
    )
    return persons_visible_to(user, granted=False) | Person.objects.filter(Exists(accepted))


def referral_for(user: User, pk) -> Referral:
    referral = (
        referrals_visible_to(user).select_related("person", "case", "from_agency", "to_agency").filter(pk=pk)
    )
    referral = referral.first()
    if referral is None:
        raise Http404
    return referral


def incoming(user: User) -> QuerySet[Referral]:
    """The referrals addressed to the officer's agency: those of referrals_visible_to it receives, said
    without the OR that would keep the database from reading the inbox index in order."""
    if not user.is_officer:
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=user.agency_id)


def outgoing(user: User) -> QuerySet[Referral]:
    """The referrals the officer's agency sent (see incoming)."""
    if not user.is_officer:
        return Referral.objects.none()
    return Referral.objects.filter(from_agency_id=user.agency_id)


def waiting(user: User) -> dict[str, int]:
    """Referrals waiting for an answer: "incoming", for this officer's agency to give, and "outgoing",
    sent by it and not answered yet. One query: the counts of the navigation and of the box's tabs."""
    if not user.is_officer:
        return {"incoming": 0, "outgoing": 0}
    to_us, from_us = Q(to_agency_id=user.agency_id), Q(from_agency_id=user.agency_id)
    return Referral.objects.filter(to_us | from_us, status=Status.SENT).aggregate(
        incoming=Count("pk", filter=to_us), outgoing=Count("pk", filter=from_us)
    )


def waiting_badges(user: User) -> list[NavBadge]:
    counts = waiting(user)
    return [
        NavBadge(counts["incoming"], _("incoming, waiting for your answer")),
        NavBadge(counts["outgoing"], _("sent, waiting for an answer"), quiet=True),
    ]


def overdue() -> QuerySet[Referral]:
    return Referral.objects.filter(status=Status.SENT, due_at__lt=timezone.now())


# What a referral says in its own words: hidden, with the person, from an agency the referral no longer
# gives the identity to (free text often names the person; the chair's masked view hides it too).
FREE_TEXT = ("reason", "consent_override_reason", "accept_note", "decline_reason", "outcome", "cancel_reason")


def with_identity_shown(user: User, referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each referral annotated with `identity_shown`: whether this account sees its person in full."""
    return referrals.annotate(
        identity_shown=Exists(persons_visible_to(user).filter(pk=OuterRef("person_id")))
    )


def persons_as_seen(user: User, referrals) -> dict[int, object]:
    """For each referral's person: the person in full if this account may see them, else masked. One
    query for the lot."""
    person_ids = {referral.person_id for referral in referrals}
    visible = set(persons_visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
    return {
        referral.pk: referral.person if referral.person_id in visible else mask_person(referral.person)
        for referral in referrals
    }
