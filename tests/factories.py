"""Records for tests, built directly so that each test states only what it is about."""

import datetime
import itertools

from cases.choices import ArrivalPoint, CaseSource, ReturneeCategory, ScreeningResult, Sex, Stage
from cases.models import Case, CaseHandling, CaseVictim, Person, Returnee
from gugus_tugas.accounts.models import Agency

_numbers = itertools.count(1)


def make_person(agency: Agency | None = None, **fields) -> Person:
    defaults = {
        "full_name": "Maria Goreti Bria",
        "sex": Sex.FEMALE,
        "birth_date": datetime.date(1998, 5, 17),
        "recorded_by_agency": agency or Agency.objects.get(code="BP3MI-NTT"),
        "address": "Jl. Timor Raya 12, Oesapa",
        "phone": "081234567890",
    }
    return Person.objects.create(**{**defaults, **fields})


def make_case(
    creator,
    *,
    stage: str = Stage.IDENTIFIED,
    identified_on: datetime.date = datetime.date(2024, 1, 10),
    stage_entered_on: datetime.date | None = None,
    handled_by=(),
    victims=None,
    **fields,
) -> Case:
    """A case created by `creator`'s agency at `stage`, handled also by the agencies in `handled_by`."""
    seq = next(_numbers)
    case = Case.objects.create(
        number=f"TPPO/{identified_on.year}/{seq}",
        year=identified_on.year,
        seq=seq,
        stage=stage,
        identified_on=identified_on,
        stage_entered_on=stage_entered_on or identified_on,
        source=CaseSource.BP3MI_IDENTIFICATION,
        created_by_agency=creator.agency,
        created_by=creator,
        **fields,
    )
    CaseHandling.objects.create(case=case, agency=creator.agency, grounds="created")
    for agency in handled_by:
        CaseHandling.objects.create(case=case, agency=agency, grounds="test")
    for person in victims if victims is not None else [make_person(creator.agency)]:
        CaseVictim.objects.create(case=case, person=person)
    return case


def make_returnee(officer, *, person: Person | None = None, **fields) -> Returnee:
    defaults = {
        "arrived_on": datetime.date(2024, 3, 4),
        "arrival_point": ArrivalPoint.TENAU_PORT,
        "category": ReturneeCategory.DEPORTEE,
        "country": "MY",
        "screening_result": ScreeningResult.PENDING,
    }
    return Returnee.objects.create(
        person=person or make_person(officer.agency),
        recorded_by_agency=officer.agency,
        created_by=officer,
        **{**defaults, **fields},
    )
