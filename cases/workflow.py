"""The stage graph of DESIGN §4.1, written once as data. Forms, buttons, API validation, the services
and the tests all read it; nothing else restates it."""

from dataclasses import dataclass

from cases.choices import Stage, StepKind, TerminationGround
from gugus_tugas.accounts.models import AgencyKind

POLICE = frozenset({AgencyKind.POLICE})
POLICE_OR_PROSECUTION = frozenset({AgencyKind.POLICE, AgencyKind.PROSECUTION})
PROSECUTION_OR_COURT = frozenset({AgencyKind.PROSECUTION, AgencyKind.COURT})
# Not a kind: the agency that identified (created) the case.
IDENTIFYING_AGENCY = "identifying_agency"


@dataclass(frozen=True)
class Move:
    source: Stage
    target: Stage
    made_by: frozenset[str]
    # The stage data the move must carry (DESIGN §4.1 and the field names of §9).
    requires: tuple[str, ...] = ()


MOVES = [
    Move(Stage.IDENTIFIED, Stage.REPORTED, POLICE, ("lp_number", "lp_model")),
    Move(Stage.IDENTIFIED, Stage.NOT_TPPO, POLICE | {IDENTIFYING_AGENCY}),
    Move(Stage.REPORTED, Stage.INQUIRY, POLICE),
    Move(Stage.REPORTED, Stage.INVESTIGATION, POLICE),
    Move(Stage.REPORTED, Stage.TRANSFERRED, POLICE, ("receiving_unit",)),
    Move(Stage.INQUIRY, Stage.INVESTIGATION, POLICE),
    Move(Stage.INQUIRY, Stage.TERMINATED, POLICE, ("ground",)),
    Move(Stage.INQUIRY, Stage.TRANSFERRED, POLICE, ("receiving_unit",)),
    Move(Stage.INVESTIGATION, Stage.PROSECUTION, POLICE_OR_PROSECUTION, ("prosecution_agency",)),
    Move(Stage.INVESTIGATION, Stage.TERMINATED, POLICE, ("ground",)),
    Move(Stage.INVESTIGATION, Stage.TRANSFERRED, POLICE, ("receiving_unit",)),
    Move(Stage.PROSECUTION, Stage.TRIAL, PROSECUTION_OR_COURT, ("court_case_number",)),
    Move(Stage.PROSECUTION, Stage.TERMINATED, PROSECUTION_OR_COURT, ("ground",)),
    Move(
        Stage.TRIAL,
        Stage.VERDICT,
        PROSECUTION_OR_COURT,
        ("verdict", "sentence_months", "fine_idr", "restitution_idr"),
    ),
    Move(Stage.VERDICT, Stage.APPEAL, PROSECUTION_OR_COURT),
    Move(Stage.VERDICT, Stage.FINAL, PROSECUTION_OR_COURT, ("restitution_paid",)),
    Move(Stage.APPEAL, Stage.FINAL, PROSECUTION_OR_COURT, ("restitution_paid",)),
    # Reopening, e.g. after a praperadilan ruling.
    Move(Stage.TERMINATED, Stage.INVESTIGATION, POLICE),
]
MOVES_BY_PAIR = {(move.source, move.target): move for move in MOVES}

# Entering one of these stages resolves a case (police clearance, DESIGN §4.4).
RESOLVING_STAGES = frozenset({Stage.PROSECUTION, Stage.TERMINATED, Stage.TRANSFERRED})
# Stages a case never leaves.
FINAL_STAGES = frozenset({Stage.NOT_TPPO, Stage.FINAL, Stage.TRANSFERRED})
# Stages where a case is not open (a terminated case is closed unless reopened).
CLOSED_STAGES = FINAL_STAGES | {Stage.TERMINATED}

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
