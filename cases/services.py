"""Writes of the cases app. Every change of a person, arrival or case goes through one of these
functions: each checks what it must, writes inside one transaction, records who did it (history and
timeline) and raises ValidationError (bad input), Conflict (stale or lost race) or NotPermitted."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CaseSource, HandlingGrounds, ScreeningResult, Stage, StepKind
from cases.models import (
    CASE_FIELDS,
    CHILD_AGE,
    PERSON_FIELDS,
    RETURNEE_FIELDS,
    SCREENING_FIELDS,
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
from cases.selectors import may_edit_person, may_log_arrivals, may_open_cases
from cases.workflow import MOVES_BY_PAIR, PROSECUTION_AGENCY, STEPS, Datum, Move, may_act, moved_fields
from gugus_tugas.accounts.models import Agency, User
from gugus_tugas.errors import Conflict, NotPermitted

VICTIM_FIELDS = ("relationship_to_trafficker",)
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
    *,
    victim: CaseVictim,
    actor: User,
    version: int | None,
    fields: dict,
    person: dict | None = None,
    person_version: int | None = None,
) -> CaseVictim:
    """Change a victim's own fields (the relationship to the trafficker) and, given `person`, the
    person's identity fields by person_update's rules: both or neither, and each only if the officer
    saw its current version."""
    victim = CaseVictim.objects.select_for_update().select_related("case", "person").get(pk=victim.pk)
    _require_handling(victim.case, actor)
    if person:
        person_update(person=victim.person, actor=actor, version=person_version, fields=person)
    _check_version(victim, version)
    if _assign(victim, fields, VICTIM_FIELDS):
        victim.full_clean(exclude=["case", "person"])
        victim.version += 1
        victim.save(update_fields=[*VICTIM_FIELDS, "version"])
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
    """One piece of stage data as its case field cleans it; ValidationError when the field or the
    move refuses it."""
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
