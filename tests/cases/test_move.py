"""The stage graph of DESIGN §4.1, walked exhaustively through the one move service."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.choices import Stage, TerminationGround
from cases.models import StageEvent
from cases.services import case_move, case_step
from cases.workflow import MOVES_BY_PAIR, TERMINATION_GROUNDS
from gugus_tugas.accounts.models import Agency, AgencyKind
from gugus_tugas.errors import Conflict, NotPermitted
from tests.conftest import make_account
from tests.factories import make_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
ENTERED = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _today_is_the_30th_of_june():
    with time_machine.travel(datetime.datetime(2025, 6, 30, 10, tzinfo=datetime.UTC), tick=False):
        yield


# What DESIGN §4.1 says, restated here on purpose: the test checks the table against the text.
ALLOWED = {
    "identified": {"reported", "not_tppo"},
    "reported": {"inquiry", "investigation", "transferred"},
    "inquiry": {"investigation", "terminated", "transferred"},
    "investigation": {"prosecution", "terminated", "transferred"},
    "prosecution": {"trial", "terminated"},
    "trial": {"verdict"},
    "verdict": {"appeal", "final"},
    "appeal": {"final"},
    "terminated": {"investigation"},
    "not_tppo": set(),
    "final": set(),
    "transferred": set(),
}
POLICE, PROSECUTION, COURT = {"police"}, {"prosecution"}, {"court"}
WHO = {
    ("identified", "reported"): POLICE,
    ("identified", "not_tppo"): POLICE,  # plus the identifying agency, tested separately
    ("reported", "inquiry"): POLICE,
    ("reported", "investigation"): POLICE,
    ("reported", "transferred"): POLICE,
    ("inquiry", "investigation"): POLICE,
    ("inquiry", "terminated"): POLICE,
    ("inquiry", "transferred"): POLICE,
    ("investigation", "prosecution"): POLICE | PROSECUTION,
    ("investigation", "terminated"): POLICE,
    ("investigation", "transferred"): POLICE,
    ("prosecution", "trial"): PROSECUTION | COURT,
    ("prosecution", "terminated"): PROSECUTION | COURT,
    ("trial", "verdict"): PROSECUTION | COURT,
    ("verdict", "appeal"): PROSECUTION | COURT,
    ("verdict", "final"): PROSECUTION | COURT,
    ("appeal", "final"): PROSECUTION | COURT,
    ("terminated", "investigation"): POLICE,
}


def stage_data(source: str, target: str) -> dict:
    return {
        "reported": {"lp_number": "LP/B/123/VI/2025/SPKT/POLDA NTT", "lp_model": "B"},
        "terminated": {
            "ground": "prosecution_stopped" if source == "prosecution" else "insufficient_evidence"
        },
        "prosecution": {"prosecution_agency": "KEJARI-KUPANG"},
        "trial": {"court_case_number": "88/Pid.Sus/2025/PN Kpg"},
        "verdict": {
            "verdict": "convicted",
            "sentence_months": 48,
            "fine_idr": 120_000_000,
            "restitution_idr": 25_000_000,
        },
        "final": {"restitution_paid": False},
        "transferred": {"receiving_unit": "Dittipidum Bareskrim Polri"},
    }.get(target, {})


@pytest.fixture
def officers_by_kind(db, bp3mi_officer):
    """One officer for every agency kind (a legal-aid agency is created: none is seeded)."""
    Agency.objects.get_or_create(code="LBH-KUPANG", defaults={"name": "LBH Kupang", "kind": "legal_aid"})
    officers = {}
    for kind in AgencyKind.values:
        agency = Agency.objects.filter(kind=kind).order_by("code").first()
        officers[kind] = make_account(f"petugas-{kind}", agency.code)
    return officers


def test_the_table_is_the_design():
    table = {stage: set() for stage in Stage.values}
    for source, target in MOVES_BY_PAIR:
        table[source].add(target)
    assert table == ALLOWED
    assert {pair: set(move.made_by) - {"identifying_agency"} for pair, move in MOVES_BY_PAIR.items()} == WHO


@pytest.mark.parametrize("source", Stage.values)
@pytest.mark.parametrize("target", Stage.values)
def test_every_pair_of_stages_for_every_agency_kind(officers_by_kind, bp3mi_officer, source, target):
    allowed_kinds = WHO.get((source, target), set())
    for kind, officer in officers_by_kind.items():
        # The case is BP3MI's: as the identifying agency, BP3MI may also screen it out.
        identifying = (source, target) == (
            "identified",
            "not_tppo",
        ) and officer.agency == bp3mi_officer.agency
        may_move = kind in allowed_kinds or identifying
        case = make_case(bp3mi_officer, stage=source, stage_entered_on=ENTERED, handled_by=[officer.agency])
        if target not in ALLOWED[source]:
            with pytest.raises(Conflict):
                case_move(case=case, to=target, on=TODAY, actor=officer, data=stage_data(source, target))
        elif may_move:
            moved = case_move(case=case, to=target, on=TODAY, actor=officer, data=stage_data(source, target))
            assert moved.stage == target
            assert moved.stage_entered_on == TODAY
            event = StageEvent.objects.get(case=case)
            assert (event.from_stage, event.to_stage, event.actor, event.agency) == (
                source,
                target,
                officer,
                officer.agency,
            )
        else:
            with pytest.raises(NotPermitted):
                case_move(case=case, to=target, on=TODAY, actor=officer, data=stage_data(source, target))
        if not (target in ALLOWED[source] and may_move):
            case.refresh_from_db()
            assert case.stage == source
            assert not StageEvent.objects.filter(case=case).exists()


def test_the_identifying_agency_may_screen_its_case_out(bp3mi_officer):
    case = make_case(bp3mi_officer)
    moved = case_move(case=case, to="not_tppo", on=datetime.date(2024, 2, 1), actor=bp3mi_officer)
    assert moved.stage == "not_tppo"


def test_another_service_agency_may_not_screen_a_case_out(bp3mi_officer, service_officer):
    case = make_case(bp3mi_officer, handled_by=[service_officer.agency])
    with pytest.raises(NotPermitted):
        case_move(case=case, to="not_tppo", on=datetime.date(2024, 2, 1), actor=service_officer)


@pytest.mark.parametrize("persona", ["chair", "admin"])
def test_chair_and_admin_make_no_moves(personas, bp3mi_officer, persona):
    case = make_case(bp3mi_officer)
    with pytest.raises(NotPermitted):
        case_move(case=case, to="not_tppo", on=datetime.date(2024, 2, 1), actor=personas[persona])


def test_an_officer_of_an_agency_not_handling_the_case_may_not_move_it(bp3mi_officer, police_officer):
    case = make_case(bp3mi_officer)
    with pytest.raises(NotPermitted):
        case_move(
            case=case,
            to="reported",
            on=datetime.date(2024, 2, 1),
            actor=police_officer,
            data=stage_data("identified", "reported"),
        )


class TestDates:
    def test_the_date_may_not_be_in_the_future(self, bp3mi_officer, police_officer):
        case = make_case(bp3mi_officer, handled_by=[police_officer.agency], identified_on=ENTERED)
        with pytest.raises(ValidationError) as error:
            case_move(
                case=case,
                to="reported",
                on=TODAY + datetime.timedelta(days=1),
                actor=police_officer,
                data=stage_data("identified", "reported"),
            )
        assert "on" in error.value.message_dict

    def test_the_date_may_not_precede_the_current_stage(self, bp3mi_officer, police_officer):
        case = make_case(bp3mi_officer, handled_by=[police_officer.agency], identified_on=ENTERED)
        with pytest.raises(ValidationError) as error:
            case_move(
                case=case,
                to="reported",
                on=ENTERED - datetime.timedelta(days=1),
                actor=police_officer,
                data=stage_data("identified", "reported"),
            )
        assert "01/06/2025" in error.value.message_dict["on"][0]

    def test_the_same_day_as_the_previous_stage_is_allowed(self, bp3mi_officer, police_officer):
        case = make_case(bp3mi_officer, handled_by=[police_officer.agency], identified_on=ENTERED)
        moved = case_move(
            case=case,
            to="reported",
            on=ENTERED,
            actor=police_officer,
            data=stage_data("identified", "reported"),
        )
        assert moved.reported_on == ENTERED

    def test_a_step_may_not_precede_the_stage_either(self, bp3mi_officer, police_officer):
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        with pytest.raises(ValidationError):
            case_step(
                case=case, kind="spdp_sent", on=ENTERED - datetime.timedelta(days=2), actor=police_officer
            )


class TestStageData:
    @pytest.mark.parametrize(
        ("target", "source"),
        [
            ("reported", "identified"),
            ("terminated", "inquiry"),
            ("prosecution", "investigation"),
            ("trial", "prosecution"),
            ("verdict", "trial"),
            ("final", "verdict"),
            ("transferred", "reported"),
        ],
    )
    def test_each_move_requires_its_data(self, officers_by_kind, bp3mi_officer, target, source):
        move = MOVES_BY_PAIR[(source, target)]
        officer = officers_by_kind[sorted(move.made_by)[0]]
        case = make_case(bp3mi_officer, stage=source, stage_entered_on=ENTERED, handled_by=[officer.agency])
        with pytest.raises(ValidationError) as error:
            case_move(case=case, to=target, on=TODAY, actor=officer, data={})
        assert set(error.value.message_dict) == set(move.requires)

    def test_the_moves_record_their_data_on_the_case(self, bp3mi_officer, police_officer, prosecutor):
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        case = case_move(
            case=case,
            to="prosecution",
            on=TODAY,
            actor=police_officer,
            data=stage_data("investigation", "prosecution"),
        )
        assert case.p21_on == TODAY
        assert case.prosecution_agency.code == "KEJARI-KUPANG"
        assert "KEJARI-KUPANG" in set(case.handlings.values_list("agency__code", flat=True))
        case = case_move(
            case=case, to="trial", on=TODAY, actor=prosecutor, data=stage_data("prosecution", "trial")
        )
        case = case_move(
            case=case, to="verdict", on=TODAY, actor=prosecutor, data=stage_data("trial", "verdict")
        )
        case = case_move(case=case, to="final", on=TODAY, actor=prosecutor, data={"restitution_paid": True})
        assert (
            case.court_case_number,
            case.verdict,
            case.sentence_months,
            case.fine_idr,
            case.restitution_idr,
            case.restitution_paid,
        ) == ("88/Pid.Sus/2025/PN Kpg", "convicted", 48, 120_000_000, 25_000_000, True)
        assert list(case.events.values_list("to_stage", flat=True)) == [
            "prosecution",
            "trial",
            "verdict",
            "final",
        ]

    def test_an_acquittal_carries_no_sentence(self, bp3mi_officer, prosecutor):
        case = make_case(
            bp3mi_officer, stage="trial", stage_entered_on=ENTERED, handled_by=[prosecutor.agency]
        )
        data = {**stage_data("trial", "verdict"), "verdict": "acquitted"}
        with pytest.raises(ValidationError):
            case_move(case=case, to="verdict", on=TODAY, actor=prosecutor, data=data)

    def test_prosecution_must_name_a_prosecution_agency(self, bp3mi_officer, police_officer):
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        with pytest.raises(ValidationError) as error:
            case_move(
                case=case,
                to="prosecution",
                on=TODAY,
                actor=police_officer,
                data={"prosecution_agency": "PN-KUPANG"},
            )
        assert "prosecution_agency" in error.value.message_dict


class TestTermination:
    @pytest.mark.parametrize("source", ["inquiry", "investigation"])
    @pytest.mark.parametrize("ground", [g for g in TerminationGround.values if g != "prosecution_stopped"])
    def test_the_police_grounds_end_an_inquiry_or_investigation(
        self, bp3mi_officer, police_officer, source, ground
    ):
        case = make_case(
            bp3mi_officer, stage=source, stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        moved = case_move(case=case, to="terminated", on=TODAY, actor=police_officer, data={"ground": ground})
        assert moved.termination_ground == ground

    @pytest.mark.parametrize("source", ["inquiry", "investigation"])
    def test_skpp_is_not_a_police_ground(self, bp3mi_officer, police_officer, source):
        case = make_case(
            bp3mi_officer, stage=source, stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        with pytest.raises(ValidationError):
            case_move(
                case=case,
                to="terminated",
                on=TODAY,
                actor=police_officer,
                data={"ground": "prosecution_stopped"},
            )

    def test_a_prosecution_ends_only_by_skpp(self, bp3mi_officer, prosecutor):
        assert TERMINATION_GROUNDS["prosecution"] == ["prosecution_stopped"]
        case = make_case(
            bp3mi_officer, stage="prosecution", stage_entered_on=ENTERED, handled_by=[prosecutor.agency]
        )
        with pytest.raises(ValidationError):
            case_move(
                case=case,
                to="terminated",
                on=TODAY,
                actor=prosecutor,
                data={"ground": "insufficient_evidence"},
            )
        moved = case_move(
            case=case, to="terminated", on=TODAY, actor=prosecutor, data={"ground": "prosecution_stopped"}
        )
        assert moved.termination_ground == "prosecution_stopped"

    @pytest.mark.parametrize("ground", ["withdrawn", "settled_by_adat", "adat_settlement"])
    def test_withdrawal_and_adat_settlement_are_not_grounds(self, bp3mi_officer, police_officer, ground):
        assert ground not in TerminationGround.values
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        with pytest.raises(ValidationError):
            case_move(case=case, to="terminated", on=TODAY, actor=police_officer, data={"ground": ground})


class TestResolution:
    @pytest.mark.parametrize(
        ("source", "target"),
        [
            ("investigation", "prosecution"),
            ("inquiry", "terminated"),
            ("reported", "transferred"),
        ],
    )
    def test_entering_a_resolving_stage_sets_the_resolution_date(
        self, bp3mi_officer, police_officer, source, target
    ):
        case = make_case(
            bp3mi_officer, stage=source, stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        moved = case_move(
            case=case, to=target, on=TODAY, actor=police_officer, data=stage_data(source, target)
        )
        assert moved.is_resolved
        assert moved.resolution_on == TODAY

    def test_a_reopened_case_is_unresolved_until_resolved_again(self, bp3mi_officer, police_officer):
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        first, reopened, second = (
            datetime.date(2025, 6, 5),
            datetime.date(2025, 6, 10),
            datetime.date(2025, 6, 20),
        )
        case = case_move(
            case=case,
            to="terminated",
            on=first,
            actor=police_officer,
            data={"ground": "insufficient_evidence"},
        )
        assert case.resolution_on == first
        case = case_move(case=case, to="investigation", on=reopened, actor=police_officer)
        assert case.resolution_on is None
        assert case.termination_ground == ""
        case = case_move(
            case=case,
            to="prosecution",
            on=second,
            actor=police_officer,
            data={"prosecution_agency": "KEJARI-KUPANG"},
        )
        assert case.resolution_on == second


class TestSteps:
    def test_spdp_sets_the_date_and_makes_the_prosecutor_a_handler(self, bp3mi_officer, police_officer):
        case = make_case(
            bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        event = case_step(
            case=case,
            kind="spdp_sent",
            on=datetime.date(2025, 6, 3),
            actor=police_officer,
            data={"prosecution_agency": "KEJARI-KUPANG"},
        )
        case.refresh_from_db()
        assert case.spdp_on == datetime.date(2025, 6, 3)
        assert (event.from_stage, event.to_stage, event.kind) == (
            "investigation",
            "investigation",
            "spdp_sent",
        )
        assert "KEJARI-KUPANG" in set(case.handlings.values_list("agency__code", flat=True))

    def test_a_step_of_another_stage_is_refused(self, bp3mi_officer, police_officer):
        case = make_case(
            bp3mi_officer, stage="inquiry", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
        )
        with pytest.raises(Conflict):
            case_step(case=case, kind="p19_returned", on=TODAY, actor=police_officer)

    def test_p19_is_recorded_by_the_prosecutor(self, bp3mi_officer, prosecutor, service_officer):
        case = make_case(
            bp3mi_officer,
            stage="investigation",
            stage_entered_on=ENTERED,
            handled_by=[prosecutor.agency, service_officer.agency],
        )
        case_step(case=case, kind="p19_returned", on=TODAY, actor=prosecutor, note="Berkas kurang saksi")
        with pytest.raises(NotPermitted):
            case_step(case=case, kind="p19_returned", on=TODAY, actor=service_officer)
        assert case.events.get().note == "Berkas kurang saksi"


def test_skpp_after_p21_keeps_the_p21_resolution_date(bp3mi_officer, police_officer, prosecutor):
    case = make_case(
        bp3mi_officer, stage="investigation", stage_entered_on=ENTERED, handled_by=[police_officer.agency]
    )
    p21 = datetime.date(2025, 6, 10)
    case = case_move(
        case=case,
        to="prosecution",
        on=p21,
        actor=police_officer,
        data={"prosecution_agency": "KEJARI-KUPANG"},
    )
    case = case_move(
        case=case, to="terminated", on=TODAY, actor=prosecutor, data={"ground": "prosecution_stopped"}
    )
    assert case.resolution_on == p21  # resolved at P-21; the SKPP does not move it to another year
