"""The dashboard's figures (DESIGN §8, §4.4) against hand-computed expectations."""

import datetime

import pytest
import time_machine

from cases import services
from gugus_tugas.accounts.models import Agency
from gugus_tugas.dashboard import selectors
from gugus_tugas.dashboard.selectors import Period
from tests.factories import make_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 30, 2, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def police_case(bp3mi_officer, police_officer):
    """A case of BP3MI's handled by the police, moved through the one move service."""

    def make(*moves, identified_on=datetime.date(2022, 1, 3)):
        case = make_case(bp3mi_officer, handled_by=[police_officer.agency], identified_on=identified_on)
        for to, on, data in moves:
            case = services.case_move(case=case, to=to, on=on, actor=police_officer, data=data)
        return case

    return make


def lp(on):
    return ("reported", on, {"lp_number": f"LP/{on}", "lp_model": "B"})


def move(to, on, **data):
    return (to, on, data)


def by_year():
    return {row["year"]: row for row in selectors.yearly(Period(2022, 2026))}


def test_reported_in_one_year_and_resolved_in_the_next(police_case):
    police_case(
        lp(datetime.date(2023, 11, 20)),
        move("investigation", datetime.date(2023, 12, 1)),
        move("prosecution", datetime.date(2024, 2, 14), prosecution_agency="KEJARI-KUPANG"),
    )
    years = by_year()
    assert years[2023] == {
        "year": 2023,
        "reported": 1,
        "resolved_in_year": 0,
        "resolved_of_reported": 1,
        "open_of_reported": 0,
        "clearance_rate": 0.0,
        "cohort_resolution_rate": 100.0,
    }
    assert years[2024] == {
        "year": 2024,
        "reported": 0,
        "resolved_in_year": 1,
        "resolved_of_reported": 0,
        "open_of_reported": 0,
        "clearance_rate": None,
        "cohort_resolution_rate": None,
    }


def test_a_reopened_case_counts_only_when_resolved_again_at_the_new_date(police_case, police_officer):
    case = police_case(
        lp(datetime.date(2023, 3, 1)),
        move("investigation", datetime.date(2023, 4, 1)),
        move("terminated", datetime.date(2023, 9, 1), ground="insufficient_evidence"),
    )
    assert by_year()[2023]["resolved_in_year"] == 1
    case = services.case_move(
        case=case, to="investigation", on=datetime.date(2024, 1, 10), actor=police_officer
    )
    years = by_year()
    assert (years[2023]["resolved_in_year"], years[2023]["resolved_of_reported"]) == (0, 0)
    assert years[2023]["open_of_reported"] == 1
    services.case_move(
        case=case,
        to="prosecution",
        on=datetime.date(2025, 5, 5),
        actor=police_officer,
        data={"prosecution_agency": "KEJARI-KUPANG"},
    )
    years = by_year()
    assert (
        years[2023]["resolved_of_reported"],
        years[2024]["resolved_in_year"],
        years[2025]["resolved_in_year"],
    ) == (1, 0, 1)


def test_transferred_cases_are_resolved(police_case):
    police_case(
        lp(datetime.date(2024, 5, 1)),
        move("transferred", datetime.date(2024, 6, 1), receiving_unit="Bareskrim"),
    )
    assert by_year()[2024]["resolved_in_year"] == 1
    assert by_year()[2024]["resolved_of_reported"] == 1


def test_cases_never_reported_and_screened_out_count_in_neither(bp3mi_officer, police_case):
    make_case(bp3mi_officer, identified_on=datetime.date(2024, 2, 1))  # identified only
    police_case(move("not_tppo", datetime.date(2024, 2, 10)), identified_on=datetime.date(2024, 2, 1))
    assert all(
        row["reported"] == 0 and row["resolved_in_year"] == 0 for row in selectors.yearly(Period(2022, 2026))
    )


def test_years_without_reports_are_zeros_with_no_rate(police_case):
    police_case(lp(datetime.date(2025, 1, 5)))
    years = selectors.yearly(Period(2020, 2026))
    assert [row["year"] for row in years] == list(range(2020, 2027))
    assert years[0] == {
        "year": 2020,
        "reported": 0,
        "resolved_in_year": 0,
        "resolved_of_reported": 0,
        "open_of_reported": 0,
        "clearance_rate": None,
        "cohort_resolution_rate": None,
    }
    assert years[5]["reported"] == 1 and years[5]["open_of_reported"] == 1


def test_the_year_range_and_the_agency_filter(police_case, bp3mi_officer, prosecutor):
    police_case(lp(datetime.date(2023, 3, 1)))
    police_case(
        lp(datetime.date(2025, 3, 1)),
        move("investigation", datetime.date(2025, 4, 1)),
        move("prosecution", datetime.date(2025, 6, 1), prosecution_agency="KEJARI-KUPANG"),
    )
    assert [row["year"] for row in selectors.yearly(Period(2024, 2025))] == [2024, 2025]
    kejari = Agency.objects.get(code="KEJARI-KUPANG")
    only_kejari = {row["year"]: row["reported"] for row in selectors.yearly(Period(2023, 2025, kejari))}
    assert only_kejari == {2023: 0, 2024: 0, 2025: 1}


def test_open_cases_by_stage_with_median_days(police_case):
    police_case(lp(datetime.date(2026, 6, 20)))  # 10 days at "reported"
    police_case(lp(datetime.date(2026, 6, 10)))  # 20 days
    police_case(lp(datetime.date(2026, 5, 31)), move("inquiry", datetime.date(2026, 6, 29)))  # 1 day
    stages = {row["stage"]: row for row in selectors.open_by_stage(Period(2020, 2026))}
    assert (stages["reported"]["open"], stages["reported"]["median_days"]) == (2, 15.0)
    assert (stages["inquiry"]["open"], stages["inquiry"]["median_days"]) == (1, 1.0)
    assert (stages["trial"]["open"], stages["trial"]["median_days"]) == (0, None)
    assert "final" not in stages and "terminated" not in stages


def test_legal_deadlines(police_case, police_officer, prosecutor):
    late_spdp = police_case(lp(datetime.date(2026, 6, 1)), move("investigation", datetime.date(2026, 6, 20)))
    on_time = police_case(lp(datetime.date(2026, 6, 1)), move("investigation", datetime.date(2026, 6, 23)))
    # 23 June + 7 days = 30 June, today: the last allowed day, not yet late.
    returned = police_case(lp(datetime.date(2026, 4, 1)), move("investigation", datetime.date(2026, 4, 2)))
    services.case_step(
        case=returned,
        kind="spdp_sent",
        on=datetime.date(2026, 4, 3),
        actor=police_officer,
        data={"prosecution_agency": "KEJARI-KUPANG"},
    )
    services.case_step(case=returned, kind="tahap1_sent", on=datetime.date(2026, 5, 1), actor=police_officer)
    services.case_step(case=returned, kind="p19_returned", on=datetime.date(2026, 6, 1), actor=prosecutor)
    resent = police_case(lp(datetime.date(2026, 4, 1)), move("investigation", datetime.date(2026, 4, 2)))
    services.case_step(case=resent, kind="spdp_sent", on=datetime.date(2026, 4, 3), actor=police_officer)
    services.case_step(case=resent, kind="p19_returned", on=datetime.date(2026, 5, 1), actor=police_officer)
    services.case_step(case=resent, kind="tahap1_sent", on=datetime.date(2026, 5, 10), actor=police_officer)
    late = selectors.past_deadline(Period(2020, 2026))
    assert (late["spdp"], late["p19"]) == (1, 1)
    assert {(row["number"], row["deadline"], row["days_late"]) for row in late["cases"]} == {
        (late_spdp.number, "spdp", 3),
        (returned.number, "p19", 15),
    }
    assert on_time.number not in str(late)
    first_only = selectors.past_deadline(Period(2020, 2026), limit=1)
    assert (first_only["spdp"], first_only["p19"]) == (1, 1)  # the totals count past the listed cases
    assert [row["case_id"] for row in first_only["cases"]] == [returned.pk]  # longest in investigation
