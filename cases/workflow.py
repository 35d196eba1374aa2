"""The stage graph of DESIGN §4.1, written once as data: each move with who may make it and the stage
data it carries, and the rule of the resolution date (§4.4). The buttons, the move form, the API's
transition, the move service, the synthetic generator and the tests all read it; nothing restates it."""

import datetime
from dataclasses import dataclass

from cases.choices import Stage, StepKind, TerminationGround
from gugus_tugas.accounts.models import AgencyKind

POLICE = frozenset({AgencyKind.POLICE})
POLICE_OR_PROSECUTION = frozenset({AgencyKind.POLICE, AgencyKind.PROSECUTION})
PROSECUTION_OR_COURT = frozenset({AgencyKind.PROSECUTION, AgencyKind.COURT})
# Not a kind: the agency that identified (created) the case.
IDENTIFYING_AGENCY = "identifying_agency"


# SKPP ends a prosecution; the police grounds end an inquiry or an investigation.
TERMINATION_GROUNDS = {
    Stage.INQUIRY: [
        ground for ground in TerminationGround if ground != TerminationGround.PROSECUTION_STOPPED
    ],
    Stage.INVESTIGATION: [
        ground for ground in TerminationGround if ground != TerminationGround.PROSECUTION_STOPPED
    ],
    Stage.PROSECUTION: [TerminationGround.PROSECUTION_STOPPED],
}


@dataclass(frozen=True)
class Datum:
    """One piece of stage data a move carries: its name in forms and the API (DESIGN §9) and the case
    field that keeps it, whose model field validates it. `choices` narrows the field's choices where
    the move allows fewer (the termination grounds of a stage). A related record (the prosecution
    agency) is named by its code."""

    name: str
    case_field: str = ""  # when it differs from the name
    choices: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        return self.case_field or self.name


def ground(source: Stage) -> Datum:
    return Datum("ground", "termination_ground", tuple(TERMINATION_GROUNDS[source]))


LP_NUMBER, LP_MODEL = Datum("lp_number"), Datum("lp_model")
PROSECUTION_AGENCY = Datum("prosecution_agency")
RECEIVING_UNIT = Datum("receiving_unit")
VERDICT = (Datum("verdict"), Datum("sentence_months"), Datum("fine_idr"), Datum("restitution_idr"))
RESTITUTION_PAID = Datum("restitution_paid")


@dataclass(frozen=True)
class Move:
    source: Stage
    target: Stage
    made_by: frozenset[str]
    # The stage data the move must carry (DESIGN §4.1 and the field names of §9).
    data: tuple[Datum, ...] = ()

    @property
    def requires(self) -> tuple[str, ...]:
        return tuple(datum.name for datum in self.data)


MOVES = [
    Move(Stage.IDENTIFIED, Stage.REPORTED, POLICE, (LP_NUMBER, LP_MODEL)),
    Move(Stage.IDENTIFIED, Stage.NOT_TPPO, POLICE | {IDENTIFYING_AGENCY}),
    Move(Stage.REPORTED, Stage.INQUIRY, POLICE),
    Move(Stage.REPORTED, Stage.INVESTIGATION, POLICE),
    Move(Stage.REPORTED, Stage.TRANSFERRED, POLICE, (RECEIVING_UNIT,)),
    Move(Stage.INQUIRY, Stage.INVESTIGATION, POLICE),
    Move(Stage.INQUIRY, Stage.TERMINATED, POLICE, (ground(Stage.INQUIRY),)),
    Move(Stage.INQUIRY, Stage.TRANSFERRED, POLICE, (RECEIVING_UNIT,)),
    Move(Stage.INVESTIGATION, Stage.PROSECUTION, POLICE_OR_PROSECUTION, (PROSECUTION_AGENCY,)),
    Move(Stage.INVESTIGATION, Stage.TERMINATED, POLICE, (ground(Stage.INVESTIGATION),)),
    Move(Stage.INVESTIGATION, Stage.TRANSFERRED, POLICE, (RECEIVING_UNIT,)),
    Move(Stage.PROSECUTION, Stage.TRIAL, PROSECUTION_OR_COURT, (Datum("court_case_number"),)),
    Move(Stage.PROSECUTION, Stage.TERMINATED, PROSECUTION_OR_COURT, (ground(Stage.PROSECUTION),)),
    Move(Stage.TRIAL, Stage.VERDICT, PROSECUTION_OR_COURT, VERDICT),
    Move(Stage.VERDICT, Stage.APPEAL, PROSECUTION_OR_COURT),
    Move(Stage.VERDICT, Stage.FINAL, PROSECUTION_OR_COURT, (RESTITUTION_PAID,)),
    Move(Stage.APPEAL, Stage.FINAL, PROSECUTION_OR_COURT, (RESTITUTION_PAID,)),
    # Reopening, e.g. after a praperadilan ruling.
    Move(Stage.TERMINATED, Stage.INVESTIGATION, POLICE),
]
MOVES_BY_PAIR = {(move.source, move.target): move for move in MOVES}
# Every piece of stage data, by name (what the API's transition accepts).
STAGE_DATA = {datum.name: datum for move in MOVES for datum in move.data}

# Entering one of these stages resolves a case (police clearance, DESIGN §4.4).
RESOLVING_STAGES = frozenset({Stage.PROSECUTION, Stage.TERMINATED, Stage.TRANSFERRED})
# Stages a case never leaves.
FINAL_STAGES = frozenset({Stage.NOT_TPPO, Stage.FINAL, Stage.TRANSFERRED})
# Stages where a case is not open (a terminated case is closed unless reopened).
CLOSED_STAGES = FINAL_STAGES | {Stage.TERMINATED}


def resolution_date(
    *, source: Stage, target: Stage, on: datetime.date, resolved_on: datetime.date | None
) -> datetime.date | None:
    """The case's resolution date after a move on `on` (DESIGN §4.4). The first resolving move (P-21,
    termination, transfer) sets it and a later one keeps it: an SKPP after P-21 keeps the P-21 date.
    Reopening a terminated case clears it, so that the next resolving move sets it again."""
    if target in RESOLVING_STAGES:
        return resolved_on or on
    if source == Stage.TERMINATED:
        return None
    return resolved_on


def moved_fields(case, move: Move, on: datetime.date) -> dict:
    """What a move on `on` writes on the case besides its stage data: the stage and its date, the
    police report and P-21 dates, the resolution date, and on reopening the end of the ground."""
    fields = {
        "stage": move.target,
        "stage_entered_on": on,
        "resolution_on": resolution_date(
            source=move.source, target=move.target, on=on, resolved_on=case.resolution_on
        ),
    }
    if move.target == Stage.REPORTED:
        fields["reported_on"] = on
    if move.target == Stage.PROSECUTION:
        fields["p21_on"] = on
    if move.source == Stage.TERMINATED:
        fields["termination_ground"] = ""
    return fields


@dataclass(frozen=True)
class Step:
    kind: StepKind
    stages: frozenset[Stage]
    made_by: frozenset[str]


STEPS = {
    step.kind: step
    for step in [
        Step(StepKind.SPDP_SENT, frozenset({Stage.INVESTIGATION}), POLICE),
        Step(StepKind.TAHAP1_SENT, frozenset({Stage.INVESTIGATION}), POLICE),
        Step(StepKind.P19_RETURNED, frozenset({Stage.INVESTIGATION}), POLICE_OR_PROSECUTION),
        Step(StepKind.TAHAP2_DONE, frozenset({Stage.PROSECUTION}), POLICE_OR_PROSECUTION),
        Step(StepKind.HEARING, frozenset({Stage.TRIAL, Stage.APPEAL}), PROSECUTION_OR_COURT),
    ]
}


def may_act(made_by: frozenset[str], user, case) -> bool:
    """Whether this account's agency is one that may make a move or step on this case."""
    if not user.is_officer:
        return False
    if user.agency.kind in made_by:
        return True
    return IDENTIFYING_AGENCY in made_by and case.created_by_agency_id == user.agency_id


def moves_from(stage: str) -> list[Move]:
    return [move for move in MOVES if move.source == stage]


def moves_for(user, case) -> list[Move]:
    """The moves this officer may make on this case now: what the page offers as buttons."""
    return [move for move in moves_from(case.stage) if may_act(move.made_by, user, case)]


def steps_for(user, case) -> list[Step]:
    return [
        step for step in STEPS.values() if case.stage in step.stages and may_act(step.made_by, user, case)
    ]
