"""Who sees which document (DESIGN §13): exactly who sees the record it is attached to in full. The rule
is not restated here: a case's documents follow cases.selectors, a person's persons_visible_to, and a
referral's the referral's own texts (referrals.selectors), which go with the person's identity. The chair,
who reads cases masked, sees how many documents of each kind a case has; the administrator nothing."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Case, Person
from cases.selectors import case_for, cases_visible_to, persons_visible_to, sees_identities
from documents.models import OWNER_FIELDS, Document, DocumentKind
from gugus_tugas.accounts.models import User
from referrals.models import Referral
from referrals.selectors import referrals_visible_to, with_identity_shown


def _referrals_shown_in_full(user: User) -> QuerySet[Referral]:
    return with_identity_shown(user, referrals_visible_to(user)).filter(identity_shown=True)


def documents_visible_to(user: User) -> QuerySet[Document]:
    if not sees_identities(user):
        return Document.objects.none()
    return Document.objects.filter(
        Q(case__in=cases_visible_to(user))
        | Q(person__in=persons_visible_to(user))
        | Q(referral__in=_referrals_shown_in_full(user).values("pk"))
    )


def document_for(user: User, pk) -> Document:
    document = (
        documents_visible_to(user)
        .select_related("uploaded_by", "agency", "withdrawn_by", "replaced_by", "case", "person", "referral")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    return document


def owner_for(user: User, owner_type: str, pk) -> Case | Person | Referral:
    """The case, person or referral whose documents this account opens: 404 for what it may not see,
    403 for the chair on a case (she reads the case, not its papers)."""
    if owner_type == "case":
        case = case_for(user, pk)
        if not sees_identities(user):
            raise PermissionDenied(_("The chair sees how many documents a case has, not the documents."))
        return case
    visible = {"person": persons_visible_to(user), "referral": _referrals_shown_in_full(user)}
    owner = visible[owner_type].filter(pk=pk).first()
    if owner is None:
        raise Http404
    return owner


def owner_type_of(owner: Case | Person | Referral) -> str:
    return OWNER_FIELDS[type(owner)]


def documents_of(owner: Case | Person | Referral) -> QuerySet[Document]:
    """Every version of every document of a record the caller has already found visible (owner_for),
    each with its successor if it was replaced; newest paper first."""
    return Document.objects.filter(**{owner_type_of(owner): owner}).select_related(
        "uploaded_by", "agency", "withdrawn_by", "replaced_by"
    )


def current(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.filter(replaced_by__isnull=True)


def document_counts(case: Case) -> list[tuple[str, int]]:
    """How many papers of each kind the case file holds now (latest versions, not withdrawn): what the
    chair sees of them."""
    counts = (
        current(Document.objects.filter(case=case, withdrawn_at__isnull=True))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    by_kind = {row["kind"]: row["n"] for row in counts}
    return [(kind.label, by_kind[kind.value]) for kind in DocumentKind if kind.value in by_kind]


def versions_of(document: Document) -> list[Document]:
    """The document's whole chain of versions, oldest first (a few rows: one query per version)."""
    first = document
    while first.replaces_id:
        first = Document.objects.select_related("uploaded_by", "agency").get(pk=first.replaces_id)
    chain = [first]
    while (
        successor := Document.objects.filter(replaces=chain[-1])
        .select_related("uploaded_by", "agency")
        .first()
    ):
        chain.append(successor)
    return chain


def persons_of(owner: Case | Person | Referral) -> list[int]:
    """The persons whose identity a record's documents may show: the access log names them."""
    if isinstance(owner, Person):
        return [owner.pk]
    if isinstance(owner, Referral):
        return [owner.person_id]
    return list(owner.victims.values_list("person_id", flat=True))


def persons_concerned(document: Document) -> list[int]:
    return persons_of(document.owner)


def may_change(user: User, document: Document) -> bool:
    """Replacing and withdrawing belong to the agency that uploaded the document."""
    return user.is_officer and document.agency_id == user.agency_id


def may_see_documents_of(user: User, owner: Case | Person | Referral) -> bool:
    """Whether this account sees the documents of a record it is looking at (owner_for's rule)."""
    try:
        owner_for(user, owner_type_of(owner), owner.pk)
    except (Http404, PermissionDenied):
        return False
    return True
