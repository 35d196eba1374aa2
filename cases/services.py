"""Writes of the cases app. Every change of a person, arrival or case goes through one of these
functions: each checks what it must, writes inside one transaction, records who did it (history and
timeline) and raises ValidationError (bad input), Conflict (stale or lost race) or NotPermitted."""

import bisect
import datetime
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cases.choices import CaseSource, HandlingGrounds, ScreeningResult, Stage, StepKind
from cases.importer import checking
from cases.importer.checking import RowState, SourceRow
from cases.importer.columns import (
    COLUMNS_BY_FIELD,
    describe_columns,
    guess_mapping,
    mapping_errors,
    missing_fields,
    resolve_columns,
)
from cases.importer.reading import file_digest, read_table
from cases.models import (
    CHILD_AGE,
    ArrivalImport,
    ArrivalTally,
    Case,
    CaseHandling,
    CaseNumberSequence,
    CaseObstacle,
    CaseVictim,
    Person,
    PersonAccess,
    Returnee,
    StageEvent,
    Suspect,
    age_on,
    regency_of,
)
from cases.selectors import arrivals_logged_between, may_edit_person, may_log_arrivals, may_open_cases
from cases.workflow import MOVES_BY_PAIR, PROSECUTION_AGENCY, STEPS, Datum, Move, may_act, moved_fields
from gugus_tugas.accounts.models import Agency, User
from gugus_tugas.errors import Conflict, NotPermitted

PERSON_FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "origin_region",
    "address",
    "phone",
)
RETURNEE_FIELDS = (
    "arrived_on",
    "arrival_point",
    "category",
    "procedural",
    "country",
    "employer",
    "sector",
    "route_notes",
)
SCREENING_FIELDS = ("screened_on", "indicators", "exploitation_types", "screening_result")
CASE_FIELDS = ("identified_on", "source", "summary", "exploitation_types", "destination_country")
SUSPECT_FIELDS = ("full_name", "nik", "role", "detention_status", "note")


def today() -> datetime.date:
    return timezone.localdate()


def _save(instance, actor: User, *, exclude: Iterable[str] = ()) -> None:
    """Validate the model and save it with the actor recorded in its history."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    instance._history_user = actor
    instance.save()


def _check_version(instance, version: int | None) -> None:
    if version is None:
        raise ValidationError({"version": _("The version you loaded is required to save changes.")})
    if instance.version != version:
        raise Conflict(
            _(
                "Someone else changed this record since you opened it. "
                "Reload to see the changes, then try again."
            )
        )


def _assign(instance, fields: dict, allowed: Iterable[str]) -> list[str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _require_handling(case: Case, actor: User) -> None:
    if not (actor.is_officer and case.handlings.filter(agency_id=actor.agency_id).exists()):
        raise NotPermitted(_("Only officers of the case's handling agencies change it."))


def _require_recorder(returnee: Returnee, actor: User) -> None:
    if not (actor.is_officer and returnee.recorded_by_agency_id == actor.agency_id):
        raise NotPermitted(_("Only the agency that logged this arrival changes it."))


def _not_in_future(field: str, day: datetime.date) -> None:
    if day > today():
        raise ValidationError({field: _("This date is in the future.")})


# Persons


def _person_create(*, actor: User, fields: dict) -> Person:
    person = Person(recorded_by_agency_id=actor.agency_id)
    _assign(person, fields, PERSON_FIELDS)
    if person.birth_date:
        _not_in_future("birth_date", person.birth_date)
    _save(person, actor)
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User, version: int | None, fields: dict) -> Person:
    """Change a person's identity fields if the officer saw the current version; keeps the child flag
    of every case they are a victim in up to date."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not may_edit_person(actor, person):
        raise NotPermitted(
            _("Only the agency that recorded this person, or one handling their case, changes it.")
        )
    _check_version(person, version)
    changed = _assign(person, fields, PERSON_FIELDS)
    if not changed:
        return person
    if person.birth_date:
        _not_in_future("birth_date", person.birth_date)
    person.version += 1
    _save(person, actor)
    if "birth_date" in changed:
        for victim in person.victimisations.select_related("case"):
            _refresh_child(victim)
    if {"sex", "origin_region"} & set(changed):
        person.victimisations.update(sex=person.sex, origin_regency=regency_of(person.origin_region_id))
    return person


def _is_child(person: Person, case: Case) -> bool:
    age = age_on(person.birth_date, case.identified_on)
    return age is not None and age < CHILD_AGE


def _refresh_child(victim: CaseVictim) -> None:
    is_child = _is_child(victim.person, victim.case)
    if victim.is_child != is_child:
        victim.is_child = is_child
        victim.save(update_fields=["is_child"])


# Arrival log


@transaction.atomic
def returnee_log(*, actor: User, person: dict, fields: dict) -> Returnee:
    """Log one arrival with a new person record, for the actor's (migrant-protection) agency."""
    if not may_log_arrivals(actor):
        raise NotPermitted(_("Only migrant-protection officers log arrivals."))
    returnee = Returnee(recorded_by_agency_id=actor.agency_id, created_by=actor)
    _assign(returnee, fields, RETURNEE_FIELDS + SCREENING_FIELDS)
    _not_in_future("arrived_on", returnee.arrived_on)
    _check_screening(returnee)
    returnee.person = _person_create(actor=actor, fields=person)
    _save(returnee, actor)
    return returnee


def _check_screening(returnee: Returnee) -> None:
    if returnee.screening_result != ScreeningResult.PENDING and not returnee.screened_on:
        raise ValidationError({"screened_on": _("A screening result needs the screening date.")})
    if returnee.screened_on:
        _not_in_future("screened_on", returnee.screened_on)
        if returnee.arrived_on and returnee.screened_on < returnee.arrived_on:
            raise ValidationError({"screened_on": _("Screening cannot come before the arrival.")})


@transaction.atomic
def returnee_update(
    *,
    returnee: Returnee,
    actor: User,
    version: int | None,
    fields: dict,
    person: dict | None = None,
    person_version: int | None = None,
) -> Returnee:
    """Correct an arrival (and its person) or record its screening, if the officer saw the current
    version. An arrival that became a case keeps its screening result."""
    returnee = Returnee.objects.select_for_update().get(pk=returnee.pk)
    _require_recorder(returnee, actor)
    _check_version(returnee, version)
    if (
        returnee.case_id
        and fields.get("screening_result", returnee.screening_result) != returnee.screening_result
    ):
        raise ValidationError({"screening_result": _("This arrival is already a case; its result stays.")})
    changed = _assign(returnee, fields, RETURNEE_FIELDS + SCREENING_FIELDS)
    if person:
        person_update(person=returnee.person, actor=actor, version=person_version, fields=person)
    if changed:
        if "arrived_on" in changed:
            _not_in_future("arrived_on", returnee.arrived_on)
        _check_screening(returnee)
        returnee.version += 1
        _save(returnee, actor)
    return returnee


@transaction.atomic
def returnee_open_case(*, returnee: Returnee, actor: User) -> Case:
    """Turn a possible victim into a case in one step: the person becomes its victim, the screening's
    exploitation types and country carry over, and the arrival links to the case."""
    returnee = Returnee.objects.select_for_update(of=("self",)).select_related("person").get(pk=returnee.pk)
    _require_recorder(returnee, actor)
    if returnee.case_id:
        raise Conflict(_("This arrival is already case %(number)s.") % {"number": returnee.case.number})
    if returnee.screening_result != ScreeningResult.POSSIBLE_VICTIM:
        raise ValidationError({"screening_result": _("Only a possible victim can become a case.")})
    case = case_open(
        actor=actor,
        identified_on=returnee.screened_on,
        source=CaseSource.BP3MI_IDENTIFICATION,
        summary=_("Identified at screening of an arrival on %(date)s (%(point)s).")
        % {"date": returnee.arrived_on.strftime("%d/%m/%Y"), "point": returnee.get_arrival_point_display()},
        exploitation_types=returnee.exploitation_types,
        destination_country=returnee.country,
        victims=[{"person": returnee.person}],
    )
    returnee.case = case
    returnee.version += 1
    _save(returnee, actor)
    return case


# Cases


def _next_number(year: int) -> tuple[int, str]:
    # The sequence row is locked until the case's transaction ends: concurrent openings wait, and a
    # rolled-back opening gives its number back, so numbers have neither duplicates nor gaps.
    CaseNumberSequence.objects.bulk_create([CaseNumberSequence(year=year)], ignore_conflicts=True)
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last, f"TPPO/{year}/{sequence.last}"


def case_grant_handling(*, case: Case, agency: Agency | int, grounds: str) -> None:
    """Make an agency one of the case's handling agencies for these grounds (idempotent)."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    CaseHandling.objects.get_or_create(case=case, agency_id=agency_id, grounds=grounds)


def case_revoke_handling(*, case: Case, agency: Agency | int, grounds: str) -> None:
    """End the handling these grounds gave; other grounds of the same agency remain."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    CaseHandling.objects.filter(case=case, agency_id=agency_id, grounds=grounds).delete()


def person_grant_access(*, person: Person, agency: Agency | int, grounds: str) -> None:
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    PersonAccess.objects.get_or_create(person=person, agency_id=agency_id, grounds=grounds)


def person_revoke_access(*, person: Person, agency: Agency | int, grounds: str) -> None:
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    PersonAccess.objects.filter(person=person, agency_id=agency_id, grounds=grounds).delete()


@transaction.atomic
def case_open(
    *,
    actor: User,
    identified_on: datetime.date,
    source: str,
    victims: list[dict],
    summary: str = "",
    exploitation_types: Iterable[str] = (),
    destination_country: str = "",
) -> Case:
    """Open a case at "identified" with its victims (existing persons or new person records), number it
    TPPO/<year>/<seq>, and make the actor's agency its first handling agency."""
    if not may_open_cases(actor):
        raise NotPermitted(_("Only officers of a member agency open cases."))
    if not victims:
        raise ValidationError({"victims": _("A case needs at least one victim.")})
    if identified_on is None:
        raise ValidationError({"identified_on": _("This field is required.")})
    _not_in_future("identified_on", identified_on)
    case = Case(
        identified_on=identified_on,
        stage_entered_on=identified_on,
        source=source,
        summary=summary,
        exploitation_types=list(exploitation_types),
        destination_country=destination_country,
        created_by_agency_id=actor.agency_id,
        created_by=actor,
        year=identified_on.year,
        seq=0,
        number="-",
    )
    case.full_clean(exclude=["seq", "number"], validate_unique=False, validate_constraints=False)
    case.seq, case.number = _next_number(identified_on.year)
    case._history_user = actor
    case.save()
    case_grant_handling(case=case, agency=actor.agency_id, grounds=HandlingGrounds.CREATED)
    for victim in victims:
        victim_add(case=case, actor=actor, **victim)
    return case


def victim_add(
    *,
    case: Case,
    actor: User,
    person: Person | None = None,
    person_fields: dict | None = None,
    relationship_to_trafficker: str = "unknown",
) -> CaseVictim:
    """Add a victim to a case: an existing person or a new person record."""
    with transaction.atomic():
        _require_handling(case, actor)
        if person is None:
            person = _person_create(actor=actor, fields=person_fields or {})
        if case.victims.filter(person=person).exists():
            raise ValidationError({"person": _("This person is already a victim in this case.")})
        victim = CaseVictim(
            case=case,
            person=person,
            relationship_to_trafficker=relationship_to_trafficker,
            is_child=_is_child(person, case),
        )
        victim.full_clean(exclude=["case", "person"])
        victim.save()
        return victim


@transaction.atomic
def victim_update(
    *, victim: CaseVictim, actor: User, version: int | None, relationship_to_trafficker: str
) -> CaseVictim:
    """Change a victim's relationship to the trafficker if the officer saw the current version."""
    victim = CaseVictim.objects.select_for_update().select_related("case").get(pk=victim.pk)
    _require_handling(victim.case, actor)
    _check_version(victim, version)
    if victim.relationship_to_trafficker != relationship_to_trafficker:
        victim.relationship_to_trafficker = relationship_to_trafficker
        victim.full_clean(exclude=["case", "person"])
        victim.version += 1
        victim.save(update_fields=["relationship_to_trafficker", "version"])
    return victim


@transaction.atomic
def case_update(*, case: Case, actor: User, version: int | None, fields: dict) -> Case:
    """Edit a case's own fields if the officer saw the current version. The stage and its data change
    only by moves; the identified date only while the case is still at "identified"."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_handling(case, actor)
    _check_version(case, version)
    if "identified_on" in fields and fields["identified_on"] != case.identified_on:
        if case.stage != Stage.IDENTIFIED:
            raise ValidationError(
                {"identified_on": _("The identified date is fixed once the case has moved on.")}
            )
        _not_in_future("identified_on", fields["identified_on"])
        if fields["identified_on"].year != case.year:
            raise ValidationError(
                {
                    "identified_on": _(
                        "The case number carries the year of identification; the date stays in %(year)s."
                    )
                    % {"year": case.year}
                }
            )
        case.stage_entered_on = fields["identified_on"]
    changed = _assign(case, fields, CASE_FIELDS)
    if not changed:
        return case
    case.version += 1
    _save(case, actor)
    if "identified_on" in changed:
        for victim in case.victims.select_related("person", "case"):
            _refresh_child(victim)
    return case


def _stage_data(case: Case, move: Move, data: dict) -> dict:
    """Check the stage data a move carries through the case's own fields and set it on the case;
    returns the timeline event's data (a related agency by its code)."""
    errors, event_data = {}, {}
    for datum in move.data:
        value = data.get(datum.name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            errors[datum.name] = _("This move needs this field.")
            continue
        try:
            value = _stage_value(case, datum, value)
        except ValidationError as error:
            errors[datum.name] = error.messages
            continue
        setattr(case, datum.field, value)
        event_data[datum.field] = value.code if isinstance(value, Agency) else value
    if errors:
        raise ValidationError(errors)
    return event_data


def _stage_value(case: Case, datum: Datum, value):
    field = Case._meta.get_field(datum.field)
    if field.is_relation:  # an agency, named by its code (DESIGN §9)
        related = field.related_model.objects.complex_filter(field.get_limit_choices_to())
        agency = related.filter(code=value).first()
        if agency is None:
            raise ValidationError(field.error_messages["invalid"])
        return agency
    value = field.clean(value, case)
    if datum.choices and value not in datum.choices:
        raise ValidationError(
            _("At this stage the choices are: %(choices)s.")
            % {"choices": ", ".join(str(label) for code, label in field.choices if code in datum.choices)}
        )
    return value


def _check_act_date(case: Case, on: datetime.date | None) -> None:
    if on is None:
        raise ValidationError({"on": _("The date of the legal act is required.")})
    _not_in_future("on", on)
    if on < case.stage_entered_on:
        raise ValidationError(
            {
                "on": _("The date cannot be before %(date)s, when the case entered its current stage.")
                % {"date": case.stage_entered_on.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def case_move(
    *,
    case: Case,
    to: str,
    on: datetime.date,
    actor: User,
    note: str = "",
    data: dict | None = None,
    seen_stage: str | None = None,
) -> Case:
    """Move a case to another stage. Re-reads the case under a row lock; refuses with Conflict when it
    is no longer at the stage the officer saw or the stage graph has no such move, with NotPermitted
    when the officer's agency may not make it, and with ValidationError for a bad date or missing
    stage data. Writes the case, its timeline event and its history in one transaction, and makes the
    actor's agency (and at P-21 the prosecution agency) a handling agency."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if seen_stage is not None and case.stage != seen_stage:
        raise Conflict(
            _(
                "The case is no longer at stage “%(seen)s”: it is now at “%(now)s”. "
                "Reload to see who moved it."
            )
            % {"seen": Stage(seen_stage).label, "now": case.get_stage_display()}
        )
    _require_handling(case, actor)
    move = MOVES_BY_PAIR.get((case.stage, to))
    if move is None:
        raise Conflict(
            _("A case at “%(now)s” cannot move to “%(to)s”.")
            % {"now": case.get_stage_display(), "to": Stage(to).label if to in Stage.values else to}
        )
    if not may_act(move.made_by, actor, case):
        raise NotPermitted(_("Your agency may not make this move."))
    _check_act_date(case, on)
    event_data = _stage_data(case, move, data or {})
    for name, value in moved_fields(case, move, on).items():
        setattr(case, name, value)
    case.version += 1
    _save(case, actor)
    StageEvent.objects.create(
        case=case,
        kind=StageEvent.MOVE,
        from_stage=move.source,
        to_stage=to,
        on=on,
        actor=actor,
        agency_id=actor.agency_id,
        note=note,
        data=event_data,
    )
    case_grant_handling(case=case, agency=actor.agency_id, grounds=HandlingGrounds.MOVED)
    if to == Stage.PROSECUTION:
        case_grant_handling(case=case, agency=case.prosecution_agency, grounds=HandlingGrounds.P21)
    return case


@transaction.atomic
def case_step(
    *, case: Case, kind: str, on: datetime.date, actor: User, note: str = "", data: dict | None = None
) -> StageEvent:
    """Record a legal step inside the current stage (SPDP, Tahap I, P-19, Tahap II, hearing) on the
    timeline. The first SPDP sets the case's SPDP date and may name the prosecution agency that
    received it, which becomes a handling agency so that it can follow the investigation."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_handling(case, actor)
    step = STEPS.get(kind)
    if step is None:
        raise ValidationError({"kind": _("Unknown step.")})
    if case.stage not in step.stages:
        raise Conflict(
            _("“%(step)s” is not a step of stage “%(stage)s”.")
            % {"step": step.kind.label, "stage": case.get_stage_display()}
        )
    if not may_act(step.made_by, actor, case):
        raise NotPermitted(_("Your agency may not record this step."))
    _check_act_date(case, on)
    event_data = {}
    if kind == StepKind.SPDP_SENT:
        code = (data or {}).get("prosecution_agency")
        if code:
            try:
                agency = _stage_value(case, PROSECUTION_AGENCY, code)
            except ValidationError as error:
                raise ValidationError({"prosecution_agency": error.messages}) from error
            case_grant_handling(case=case, agency=agency, grounds=HandlingGrounds.SPDP)
            event_data["prosecution_agency"] = agency.code
        if case.spdp_on is None:
            case.spdp_on = on
    case.version += 1
    _save(case, actor)
    case_grant_handling(case=case, agency=actor.agency_id, grounds=HandlingGrounds.MOVED)
    return StageEvent.objects.create(
        case=case,
        kind=kind,
        from_stage=case.stage,
        to_stage=case.stage,
        on=on,
        actor=actor,
        agency_id=actor.agency_id,
        note=note,
        data=event_data,
    )


# Suspects and obstacles


@transaction.atomic
def suspect_add(*, case: Case, actor: User, fields: dict) -> Suspect:
    _require_handling(case, actor)
    suspect = Suspect(case=case)
    _assign(suspect, fields, SUSPECT_FIELDS)
    _save(suspect, actor)
    return suspect


@transaction.atomic
def suspect_update(*, suspect: Suspect, actor: User, version: int | None, fields: dict) -> Suspect:
    suspect = Suspect.objects.select_for_update().get(pk=suspect.pk)
    _require_handling(suspect.case, actor)
    _check_version(suspect, version)
    if _assign(suspect, fields, SUSPECT_FIELDS):
        suspect.version += 1
        _save(suspect, actor)
    return suspect


@transaction.atomic
def obstacle_set(*, case: Case, actor: User, kind: str, on: datetime.date, note: str = "") -> CaseObstacle:
    """Flag a socio-cultural obstacle on a case; one open flag per kind."""
    # The case row is locked so that two officers flagging the same obstacle at once get a conflict,
    # not a broken constraint.
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_handling(case, actor)
    _not_in_future("set_on", on)
    if on < case.identified_on:
        raise ValidationError({"set_on": _("The date cannot be before the case was identified.")})
    if CaseObstacle.objects.filter(case=case, kind=kind, cleared_on__isnull=True).exists():
        raise Conflict(_("This obstacle is already set on the case."))
    obstacle = CaseObstacle(case=case, kind=kind, set_on=on, set_note=note, set_by=actor)
    obstacle.full_clean(exclude=["case", "set_by"], validate_constraints=False)
    obstacle.save()
    return obstacle


@transaction.atomic
def obstacle_clear(*, obstacle: CaseObstacle, actor: User, on: datetime.date, note: str = "") -> CaseObstacle:
    obstacle = CaseObstacle.objects.select_for_update().get(pk=obstacle.pk)
    _require_handling(obstacle.case, actor)
    if obstacle.cleared_on is not None:
        raise Conflict(_("This obstacle was already cleared."))
    _not_in_future("cleared_on", on)
    if on < obstacle.set_on:
        raise ValidationError({"cleared_on": _("An obstacle cannot clear before it was set.")})
    obstacle.cleared_on, obstacle.cleared_note, obstacle.cleared_by = on, note, actor
    obstacle.save()
    return obstacle


# Spreadsheet import (cases/importer). An uploaded sheet is kept as an ArrivalImport while the officer
# matches its columns, has it checked, fixes or skips rows and imports it; returnees_import writes the
# arrivals, for the pages and for the import_arrivals command alike.

# Checking goes in steps, one request each, so that the officer sees a large sheet's progress and no
# request runs long: at least this many rows a step, and at most IMPORT_CHECK_STEPS steps, since every
# step reads and writes the whole upload again.
IMPORT_CHECK_ROWS_PER_STEP = 5000
IMPORT_CHECK_STEPS = 5
# Rows written per batch: one INSERT per table on PostgreSQL (SQLite splits it at 999 parameters).
IMPORT_BATCH_SIZE = 1000


@dataclass
class RejectedRow:
    number: int
    values: dict[str, str]
    reasons: list[str]
    # What is wrong, for a summary: the fields at fault, or the row's state (duplicate, skipped, warning).
    causes: list[str]


@dataclass
class ImportOutcome:
    imported: int = 0
    present: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    # Of the rejected rows: with errors, repeating an earlier row, skipped, NIK warnings not accepted.
    invalid: int = 0
    duplicate: int = 0
    skipped: int = 0
    unconfirmed: int = 0


def _require_importer(actor: User) -> None:
    if not may_log_arrivals(actor):
        raise NotPermitted(_("Only migrant-protection officers import arrivals."))


def _locked_import(arrival_import: ArrivalImport, actor: User) -> ArrivalImport:
    _require_importer(actor)
    arrival_import = ArrivalImport.objects.select_for_update().get(pk=arrival_import.pk)
    if arrival_import.agency_id != actor.agency_id:
        raise NotPermitted(_("Only the agency that uploaded this file imports it."))
    return arrival_import


def _require_status(arrival_import: ArrivalImport, *statuses: str) -> None:
    if arrival_import.status == ArrivalImport.Status.IMPORTED:
        raise Conflict(
            _("This file was already imported on %(date)s.")
            % {"date": timezone.localtime(arrival_import.imported_at).strftime("%d/%m/%Y %H:%M")}
        )
    if arrival_import.status not in statuses:
        raise Conflict(_("This import is not at that step any more. Reload the page."))


@transaction.atomic
def returnees_import(
    *, actor: User, rows: Iterable[SourceRow], accept_warnings: bool = False, change_reason: str = ""
) -> ImportOutcome:
    """Import arrivals from spreadsheet rows for the actor's (migrant-protection) agency.

    Guarantees: every row is checked with the entry form's rules (cases.importer.checking); the rows
    that pass are written in one transaction, all of them or, on any error, none. No arrival is
    written twice: a row repeating an earlier row, or an arrival the agency already logged (same NIK
    and arrival date; without a NIK, the same name, birth date and arrival date), is left out, and
    the agency's row is locked so that two imports of the same sheet run one after the other. Rows
    whose NIK disagrees with the sex or birth date are written only with accept_warnings. Every
    person and arrival gets its history row with the actor. Queries do not grow with the rows: one
    for the arrivals already logged, then four inserts per batch of IMPORT_BATCH_SIZE rows."""
    _require_importer(actor)
    # The agency's imports wait for each other here, so the second finds the first's arrivals logged.
    list(Agency.objects.select_for_update().filter(pk=actor.agency_id).values_list("pk"))
    ctx = checking.context()
    rows = list(rows)
    checks = [None if row.skipped else checking.check_values(row.values, ctx) for row in rows]
    days = [check.arrival["arrived_on"] for check in checks if check is not None and check.key]
    logged = (
        checking.keys_of_logged(arrivals_logged_between(actor.agency_id, min(days), max(days)))
        if days
        else set()
    )
    states = checking.row_states(
        (
            (row.number, check.key if check else None, bool(check and check.warnings), row.skipped)
            for row, check in zip(rows, checks, strict=True)
        ),
        logged,
    )
    outcome = ImportOutcome()
    good = []
    for row, check, (state, same_as) in zip(rows, checks, states, strict=True):
        if state == RowState.VALID or (state == RowState.WARNING and accept_warnings):
            good.append(check)
            continue
        if state == RowState.PRESENT:
            outcome.present += 1
            continue
        counter = {
            RowState.INVALID: "invalid",
            RowState.DUPLICATE: "duplicate",
            RowState.SKIPPED: "skipped",
            RowState.WARNING: "unconfirmed",
        }[state]
        setattr(outcome, counter, getattr(outcome, counter) + 1)
        described = {
            "state": state,
            "same_as": same_as,
            "problems": check.problems if check else [],
            "warnings": check.warnings if check else [],
        }
        causes = sorted({name for name, _message in described["problems"]}) or [state.value]
        outcome.rejected.append(RejectedRow(row.number, row.values, checking.reasons(described), causes))
    now = timezone.now()
    history = {"default_user": actor, "default_date": now, "default_change_reason": change_reason[:100]}
    # One batch of model instances at a time: a 50,000-row sheet would otherwise hold 200,000 of them.
    for start in range(0, len(good), IMPORT_BATCH_SIZE):
        batch = good[start : start + IMPORT_BATCH_SIZE]
        persons = [
            Person(recorded_by_agency_id=actor.agency_id, created_at=now, **check.person) for check in batch
        ]
        bulk_create_with_history(persons, Person, **history)
        arrivals = [
            Returnee(
                person=person,
                recorded_by_agency_id=actor.agency_id,
                created_by_id=actor.pk,
                created_at=now,
                **check.arrival,
            )
            for person, check in zip(persons, batch, strict=True)
        ]
        bulk_create_with_history(arrivals, Returnee, **history)
        # bulk_create bypasses Returnee.save, which keeps the dashboard's monthly tally: count them here.
        ArrivalTally.add_many(
            Counter(
                tuple(arrival.tally_key()[column] for column in ArrivalTally.COLUMNS) for arrival in arrivals
            )
        )
    outcome.imported = len(good)
    return outcome


def arrival_import_create(*, actor: User, file_name: str, data: bytes) -> ArrivalImport:
    """Read an uploaded XLSX or CSV file and keep its rows for checking. A file that is no readable
    sheet, is empty or is too large is refused with a ValidationError that says why. The columns are
    matched from the header row; when a required column is not found, the import waits at the
    column-matching step."""
    _require_importer(actor)
    table = read_table(data)
    mapping = guess_mapping(table.headers)
    return ArrivalImport.objects.create(
        agency_id=actor.agency_id,
        created_by=actor,
        file_name=(file_name or "")[:255],
        file_sha256=file_digest(data),
        header_row=table.header_row,
        headers=table.headers,
        rows=[{"n": number, "cells": cells} for number, cells in table.rows],
        mapping=mapping,
        row_count=len(table.rows),
        status=ArrivalImport.Status.MAPPING if missing_fields(mapping) else ArrivalImport.Status.CHECKING,
    )


@transaction.atomic
def arrival_import_map(
    *, arrival_import: ArrivalImport, actor: User, mapping: dict[str, int]
) -> ArrivalImport:
    """Match the sheet's columns to the fields (field -> column index); every required field needs
    a column and no column serves two fields. The rows are then checked again from the start."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(
        arrival_import,
        ArrivalImport.Status.MAPPING,
        ArrivalImport.Status.CHECKING,
        ArrivalImport.Status.READY,
    )
    errors = mapping_errors(mapping, len(arrival_import.headers))
    if errors:
        raise ValidationError(errors)
    arrival_import.mapping = dict(mapping)
    arrival_import.status = ArrivalImport.Status.CHECKING
    arrival_import.checked_count = 0
    arrival_import.save(update_fields=["mapping", "status", "checked_count"])
    return arrival_import


@transaction.atomic
def arrival_import_check(
    *, arrival_import: ArrivalImport, actor: User, all_rows: bool = False
) -> ArrivalImport:
    """Check the next step's rows (see IMPORT_CHECK_STEPS), or all that are left. After the last row,
    settle each row's state against the rest of the sheet and the arrivals already logged, and make
    the import ready for the preview."""
    arrival_import = _locked_import(arrival_import, actor)
    if arrival_import.status == ArrivalImport.Status.READY:
        return arrival_import
    _require_status(arrival_import, ArrivalImport.Status.CHECKING)
    ctx = checking.context()
    start = arrival_import.checked_count
    step = max(IMPORT_CHECK_ROWS_PER_STEP, math.ceil(arrival_import.row_count / IMPORT_CHECK_STEPS))
    end = arrival_import.row_count if all_rows else min(start + step, arrival_import.row_count)
    for row in arrival_import.rows[start:end]:
        checking.check_row(row, arrival_import.mapping, ctx)
    arrival_import.checked_count = end
    if end == arrival_import.row_count:
        _settle(arrival_import)
        arrival_import.status = ArrivalImport.Status.READY
    arrival_import.save(update_fields=["rows", "checked_count", "counts", "status"])
    return arrival_import


def _settle(arrival_import: ArrivalImport) -> None:
    days = [
        datetime.date.fromisoformat(row["key"].rsplit("|", 1)[1])
        for row in arrival_import.rows
        if row.get("key")
    ]
    logged = (
        checking.keys_of_logged(arrivals_logged_between(arrival_import.agency_id, min(days), max(days)))
        if days
        else set()
    )
    arrival_import.counts = checking.settle(arrival_import.rows, logged)


def _import_row(arrival_import: ArrivalImport, number: int) -> dict:
    numbers = [row["n"] for row in arrival_import.rows]
    position = bisect.bisect_left(numbers, number)
    if position == len(numbers) or numbers[position] != number:
        raise ValidationError(_("The file has no row %(number)s.") % {"number": number})
    return arrival_import.rows[position]


@transaction.atomic
def arrival_import_fix_row(
    *, arrival_import: ArrivalImport, actor: User, number: int, values: dict[str, str]
) -> dict:
    """Correct fields of one row (text per field, as in the sheet) and check it again; the sheet's
    own cells are kept, the correction is applied over them."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(arrival_import, ArrivalImport.Status.READY)
    row = _import_row(arrival_import, number)
    original = checking.values_of({"cells": row["cells"]}, arrival_import.mapping)
    fix = row.get("fix", {})
    for name, text in values.items():
        if name not in COLUMNS_BY_FIELD:
            raise ValidationError({name: _("This field cannot be changed here.")})
        text = text.strip()
        if text == original.get(name, ""):
            fix.pop(name, None)
        else:
            fix[name] = text
    if fix:
        row["fix"] = fix
    else:
        row.pop("fix", None)
    checking.check_row(row, arrival_import.mapping, checking.context())
    _settle(arrival_import)
    arrival_import.save(update_fields=["rows", "counts"])
    return row


@transaction.atomic
def arrival_import_skip_row(*, arrival_import: ArrivalImport, actor: User, number: int, skip: bool) -> dict:
    """Leave a row out of the import (or take it back in); a skipped row goes to the error report."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(arrival_import, ArrivalImport.Status.READY)
    row = _import_row(arrival_import, number)
    if skip:
        row["skip"] = True
    else:
        row.pop("skip", None)
    _settle(arrival_import)
    arrival_import.save(update_fields=["rows", "counts"])
    return row


@transaction.atomic
def arrival_import_commit(
    *, arrival_import: ArrivalImport, actor: User, accept_warnings: bool
) -> ImportOutcome:
    """Import the checked sheet in one transaction through returnees_import, which checks every row
    again against the log as it is now; rows with NIK warnings only with accept_warnings, else they
    are rejected. The import is then marked imported (a second commit is a Conflict) and keeps only
    the rejected rows, for the error report."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(arrival_import, ArrivalImport.Status.READY)
    outcome = returnees_import(
        actor=actor,
        rows=[
            SourceRow(row["n"], checking.values_of(row, arrival_import.mapping), bool(row.get("skip")))
            for row in arrival_import.rows
        ],
        accept_warnings=accept_warnings,
        change_reason=_("Imported from %(file)s") % {"file": arrival_import.file_name},
    )
    _record_outcome(arrival_import, outcome, actor)
    arrival_import.save()
    return outcome


def _record_outcome(arrival_import: ArrivalImport, outcome: ImportOutcome, actor: User) -> None:
    """Mark an upload imported; of its rows only the rejected ones stay, for the error report."""
    arrival_import.rows = [
        {"n": rejected.number, "values": rejected.values, "reasons": rejected.reasons}
        for rejected in outcome.rejected
    ]
    arrival_import.counts = {
        "imported": outcome.imported,
        RowState.PRESENT.value: outcome.present,
        RowState.INVALID.value: outcome.invalid,
        RowState.DUPLICATE.value: outcome.duplicate,
        RowState.SKIPPED.value: outcome.skipped,
        "unconfirmed": outcome.unconfirmed,
    }
    arrival_import.imported_count = outcome.imported
    arrival_import.imported_at = timezone.now()
    arrival_import.imported_by = actor
    arrival_import.status = ArrivalImport.Status.IMPORTED


@transaction.atomic
def arrival_import_file(
    *,
    actor: User,
    file_name: str,
    data: bytes,
    columns: dict[str, str] | None = None,
    accept_warnings: bool = False,
) -> tuple[ArrivalImport, ImportOutcome]:
    """Import a whole file in one go, without preview (the import_arrivals command): read it, match
    its columns from the header row and from `columns` (field -> header or letter; empty: none),
    import it through returnees_import, with the same guarantees, and record the upload as imported
    (with its rejected rows), as the pages do. A file that cannot be read, or whose required columns
    are not found, is refused with a ValidationError that names the file's columns."""
    _require_importer(actor)
    table = read_table(data)
    mapping = guess_mapping(table.headers)
    for name, index in resolve_columns(columns or {}, table.headers).items():
        if index is None:
            mapping.pop(name, None)
        else:
            mapping[name] = index
    errors = mapping_errors(mapping, len(table.headers))
    if errors:
        raise ValidationError(
            {
                **errors,
                NON_FIELD_ERRORS: _("The file's columns: %(columns)s.")
                % {"columns": describe_columns(table.headers)},
            }
        )
    outcome = returnees_import(
        actor=actor,
        rows=(
            SourceRow(number, checking.values_of({"cells": cells}, mapping)) for number, cells in table.rows
        ),
        accept_warnings=accept_warnings,
        change_reason=_("Imported from %(file)s") % {"file": file_name},
    )
    arrival_import = ArrivalImport(
        agency_id=actor.agency_id,
        created_by=actor,
        file_name=(file_name or "")[:255],
        file_sha256=file_digest(data),
        header_row=table.header_row,
        headers=table.headers,
        mapping=mapping,
        row_count=len(table.rows),
        checked_count=len(table.rows),
    )
    _record_outcome(arrival_import, outcome, actor)
    arrival_import.save()
    return arrival_import, outcome


@transaction.atomic
def arrival_import_cancel(*, arrival_import: ArrivalImport, actor: User) -> None:
    """Throw away an upload that was not imported, with the personal data its rows hold."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(
        arrival_import,
        ArrivalImport.Status.MAPPING,
        ArrivalImport.Status.CHECKING,
        ArrivalImport.Status.READY,
    )
    arrival_import.delete()
