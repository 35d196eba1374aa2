"""Reads of the cases app, and the one place that decides who sees which case, arrival and person
(DESIGN §6, UU 21/2007 Pasal 44). Pages, API and exports all ask here."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    ArrivalImport,
    Case,
    CaseHandling,
    CaseVictim,
    Person,
    PersonAccess,
    Returnee,
    Suspect,
    regency_of,
)
from gugus_tugas.accounts.models import Agency, AgencyKind, User
from gugus_tugas.pagination import OrderedParts


def may_log_arrivals(user: User) -> bool:
    """The arrival log is BP3MI's: officers of a migrant-protection agency write it."""
    return user.is_officer and user.agency.kind == AgencyKind.MIGRANT_PROTECTION


def may_open_cases(user: User) -> bool:
    """Any member agency may identify a possible victim (DESIGN §4.1, stage "identified")."""
    return user.is_officer


def _handled_by(agency_id: int) -> QuerySet:
    return CaseHandling.objects.filter(agency_id=agency_id).values("case_id")


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Officers: the cases their agency handles. The chair: every case (shown masked). Others: none."""
    if user.is_officer:
        return Case.objects.filter(pk__in=_handled_by(user.agency_id))
    if user.is_chair:
        return Case.objects.all()
    return Case.objects.none()


def sees_identities(user: User) -> bool:
    """Whether the persons of the cases this account may see are shown in full. Officers see only
    cases their agency handles, in full; the chair sees every case, masked."""
    return user.is_officer


def case_for(user: User, pk) -> Case:
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def returnees_visible_to(user: User) -> QuerySet[Returnee]:
    """The arrivals an officer's agency logged, and those that became a case it handles."""
    if not user.is_officer:
        return Returnee.objects.none()
    return Returnee.objects.filter(
        Q(recorded_by_agency_id=user.agency_id) | Q(case__in=_handled_by(user.agency_id))
    )


def returnees_listed(
    user: User, queryset: QuerySet[Returnee] | None = None, *, related: tuple[str, ...] = ("person", "case")
) -> OrderedParts:
    """The arrivals of `queryset` (filtered, not yet restricted) that returnees_visible_to lets this
    account see, newest first, in the shape a list page needs at national scale: the arrivals the agency
    logged, read from its (agency, arrival date) index, and those of cases it handles that another
    agency logged, as two parts that OrderedParts merges page by page."""
    queryset = Returnee.objects.all() if queryset is None else queryset
    if not user.is_officer:
        return OrderedParts([queryset.none()], ["-arrived_on", "-id"], fetch=lambda pks: queryset.none())
    agency_id = user.agency_id
    logged = queryset.filter(recorded_by_agency_id=agency_id)
    of_handled_cases = queryset.filter(case__isnull=False, case__in=_handled_by(agency_id)).exclude(
        recorded_by_agency_id=agency_id
    )
    return OrderedParts(
        [logged, of_handled_cases],
        ["-arrived_on", "-id"],
        fetch=lambda pks: Returnee.objects.filter(pk__in=pks).select_related(*related),
    )


def returnee_for(user: User, pk) -> Returnee:
    returnee = returnees_visible_to(user).filter(pk=pk).first()
    if returnee is None:
        raise Http404
    return returnee


def persons_visible_to(user: User, *, granted: bool = True) -> QuerySet[Person]:
    """Persons whose identity an officer may see: recorded by the agency, victims of cases it handles,
    or granted to it by a referral (PersonAccess; left out with granted=False)."""
    if not user.is_officer:
        return Person.objects.none()
    agency_id = user.agency_id
    own = Q(recorded_by_agency_id=agency_id) | Exists(
        CaseVictim.objects.filter(person=OuterRef("pk"), case__in=_handled_by(agency_id))
    )
    if not granted:
        return Person.objects.filter(own)
    return Person.objects.filter(
        own | Exists(PersonAccess.objects.filter(person=OuterRef("pk"), agency_id=agency_id))
    )


def person_identity_visible(user: User, person: Person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


def may_edit_person(user: User, person: Person) -> bool:
    """The recording agency and the agencies handling a case of theirs correct a person's record; an
    agency that sees them only through a referral reads."""
    return persons_visible_to(user, granted=False).filter(pk=person.pk).exists()


# What the chair's masked view leaves out of a record's change history: free text may name people,
# and a suspect's NIK is not the chair's to read (docs/DECISIONS.md).
HIDDEN_FROM_MASKED_VIEW = {Case: {"summary"}, Suspect: {"nik", "note"}}


def history_fields_hidden_from(user: User, model) -> set[str]:
    return set() if sees_identities(user) else HIDDEN_FROM_MASKED_VIEW.get(model, set())


def handling_agency_codes(case: Case) -> list[str]:
    """Codes of the case's handling agencies; uses prefetched handlings when present."""
    return sorted({handling.agency.code for handling in case.handlings.all()})


def nik_holders(nik: str, *, exclude_person_id: int | None = None) -> list[str]:
    """Names of the agencies that already hold a person with this NIK; never the record itself."""
    if not nik:
        return []
    persons = Person.objects.filter(nik=nik)
    if exclude_person_id is not None:
        persons = persons.exclude(pk=exclude_person_id)
    agency_ids = persons.values("recorded_by_agency_id")
    return list(Agency.objects.filter(pk__in=agency_ids).order_by("name").values_list("name", flat=True))


# Masking for the chair (DESIGN §6): initials, an age band, no NIK, no birth date, address or phone.

AGE_BANDS = [
    (0, 11, "0-11"),
    (12, 17, "12-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 59, "45-59"),
    (60, 200, "60+"),
]


def age_band(age: int | None) -> str:
    if age is None:
        return str(_("unknown"))
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def initials(full_name: str) -> str:
    return "".join(f"{part[0].upper()}." for part in full_name.split() if part[:1].isalpha()) or "?"


@dataclass(frozen=True)
class MaskedPerson:
    """What the chair sees of a person: enough to count and compare, not to identify."""

    id: int
    full_name: str
    sex: str
    age_band: str
    origin_region_id: str | None
    masked: bool = True
    nik: None = None
    birth_date: None = None
    address: None = None
    phone: None = None

    def get_sex_display(self):
        return Person(sex=self.sex).get_sex_display()


def mask_person(person: Person, on: datetime.date | None = None) -> MaskedPerson:
    region = regency_of(person.origin_region_id) or None  # regency at most: a kelurahan narrows too far
    return MaskedPerson(
        id=person.pk,
        full_name=initials(person.full_name),
        sex=person.sex,
        age_band=age_band(person.age_on(on or timezone.localdate())),
        origin_region_id=region,
    )


# Spreadsheet import


def arrival_imports_visible_to(user: User) -> QuerySet[ArrivalImport]:
    """The uploads of the officer's own agency; they hold the sheets' personal data, so nobody else's.
    The rows are left out: a list does not need them and they may be megabytes."""
    if not may_log_arrivals(user):
        return ArrivalImport.objects.none()
    return ArrivalImport.objects.filter(agency_id=user.agency_id).defer("rows", "headers")


def arrival_import_for(user: User, pk) -> ArrivalImport:
    arrival_import = ArrivalImport.objects.filter(pk=pk, agency_id=user.agency_id).first()
    if arrival_import is None or not may_log_arrivals(user):
        raise Http404
    return arrival_import


def open_upload_of(user: User, file_sha256: str) -> ArrivalImport | None:
    """The agency's upload of this same file that is still on its way in, if any."""
    return (
        arrival_imports_visible_to(user)
        .filter(file_sha256=file_sha256)
        .exclude(status=ArrivalImport.Status.IMPORTED)
        .first()
    )


def other_uploads_of(arrival_import: ArrivalImport) -> QuerySet[ArrivalImport]:
    """The agency's other uploads of the same file (same SHA-256), newest first."""
    return (
        ArrivalImport.objects.filter(
            agency_id=arrival_import.agency_id, file_sha256=arrival_import.file_sha256
        )
        .exclude(pk=arrival_import.pk)
        .select_related("created_by", "imported_by")
        .defer("rows", "headers")
    )


def arrivals_logged_between(agency_id: int, first: datetime.date, last: datetime.date) -> QuerySet:
    """(arrived_on, NIK, name, birth date) of the arrivals the agency logged in a period: one query
    that an import compares every row of a sheet against."""
    return Returnee.objects.filter(
        recorded_by_agency_id=agency_id, arrived_on__range=(first, last)
    ).values_list("arrived_on", "person__nik", "person__full_name", "person__birth_date")
