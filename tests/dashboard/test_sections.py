"""Referrals, victims, obstacles and returnees on the dashboard; the page, the exports and the API."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases import services as case_services
from cases.models import CaseObstacle
from gugus_tugas.accounts.models import AccessLog
from gugus_tugas.dashboard import selectors
from gugus_tugas.dashboard.selectors import Period
from referrals import services as referral_services
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 30, 2, tzinfo=datetime.UTC), tick=True) as clock:
        yield clock


def test_referrals_by_receiving_agency_with_median_hours_to_accept(bp3mi_officer, service_officer, _frozen):
    case = make_case(bp3mi_officer)
    person = case.victims.get().person

    def send():
        return referral_services.referral_send(
            actor=bp3mi_officer,
            person=person,
            to_agency=service_officer.agency,
            service="shelter",
            reason="x",
            consent_on=datetime.date(2026, 6, 1),
            consent_method="verbal",
        )

    fast, slow, late, declined = send(), send(), send(), send()
    _frozen.shift(datetime.timedelta(hours=2))
    referral_services.referral_change(action="accept", referral=fast, actor=service_officer)
    _frozen.shift(datetime.timedelta(hours=4))
    referral_services.referral_change(action="accept", referral=slow, actor=service_officer)
    referral_services.referral_change(
        action="decline", referral=declined, actor=service_officer, reason="Penuh"
    )
    _frozen.shift(datetime.timedelta(days=3))
    [row] = selectors.referrals_by_agency(Period(2026, 2026))
    assert (row["agency"], row["total"], row["sent"], row["accepted"], row["declined"], row["overdue"]) == (
        "DINSOS-KUPANG",
        4,
        1,
        2,
        1,
        1,
    )
    assert row["median_hours_to_accept"] == 4.0  # 2 and 6 hours
    assert late.pk


def test_victims_by_sex_age_exploitation_destination_origin_and_relationship(bp3mi_officer):
    girl = make_person(sex="F", birth_date=datetime.date(2010, 1, 1), origin_region_id="53.71.01")
    man = make_person(sex="M", birth_date=datetime.date(1990, 1, 1), origin_region_id="53.02.01")
    case = make_case(
        bp3mi_officer,
        victims=[],
        identified_on=datetime.date(2025, 3, 1),
        exploitation_types=["forced_labour", "sexual_exploitation"],
        destination_country="MY",
    )
    case.victims.create(person=girl, is_child=True, relationship_to_trafficker="family")
    case.victims.create(person=man, relationship_to_trafficker="stranger")
    make_case(
        bp3mi_officer, stage="not_tppo", identified_on=datetime.date(2025, 3, 1)
    )  # screened out: not counted
    found = selectors.victims(Period(2025, 2025))
    assert found["total"] == 2
    assert found["sex"] == {"F": 1, "M": 1}
    assert found["children"] == {True: 1, False: 1}
    assert (
        found["exploitation_types"]["forced_labour"],
        found["exploitation_types"]["sexual_exploitation"],
        found["exploitation_types"]["servitude"],
    ) == (2, 2, 0)
    assert found["destination_countries"] == {"MY": 2}
    assert found["origin_regencies"] == {"Kota Kupang": 1, "Kabupaten Timor Tengah Selatan": 1}
    assert found["relationships"] == {"family": 1, "stranger": 1}


def test_obstacle_counts(bp3mi_officer):
    case = make_case(bp3mi_officer, identified_on=datetime.date(2025, 2, 1))
    for kind, cleared in [
        ("perpetrator_is_family", None),
        ("adat_settlement_attempt", datetime.date(2025, 3, 1)),
        ("adat_settlement_attempt", None),
    ]:
        CaseObstacle.objects.create(
            case=case, kind=kind, set_on=datetime.date(2025, 2, 2), set_by=bp3mi_officer, cleared_on=cleared
        )
    counts = {
        row["kind"]: (row["recorded"], row["open"], row["cases"])
        for row in selectors.obstacles(Period(2025, 2025))
    }
    assert counts["adat_settlement_attempt"] == (2, 1, 1)
    assert counts["perpetrator_is_family"] == (1, 1, 1)
    assert counts["victim_unwilling"] == (0, 0, 0)


def test_returnees_per_month(bp3mi_officer):
    make_returnee(
        bp3mi_officer,
        arrived_on=datetime.date(2026, 2, 3),
        category="deportee",
        procedural=False,
        screening_result="possible_victim",
        screened_on=datetime.date(2026, 2, 3),
    )
    make_returnee(
        bp3mi_officer,
        arrived_on=datetime.date(2026, 2, 3),
        category="deportee",
        procedural=True,
        screening_result="not_victim",
        screened_on=datetime.date(2026, 2, 3),
    )
    make_returnee(
        bp3mi_officer, arrived_on=datetime.date(2026, 2, 9), category="repatriated", procedural=False
    )
    months = {row["month"]: row for row in selectors.returnees_by_month(Period(2026, 2026))}
    assert list(months) == [f"2026-{m:02d}" for m in range(1, 7)]  # up to this month, zeros included
    february = months["2026-02"]
    assert (
        february["total"],
        february["deportee"],
        february["repatriated"],
        february["screened"],
        february["became_cases"],
    ) == (3, 2, 1, 2, 0)
    assert (february["non_procedural_share"], february["possible_victim_share"]) == (66.7, 50.0)
    assert months["2026-01"]["total"] == 0 and months["2026-01"]["non_procedural_share"] is None


# The page, the exports and the API -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["bp3mi", "police", "service", "admin"])
def test_only_the_chair_opens_the_dashboard(client_for, personas, persona):
    client = client_for(personas[persona])
    assert client.get(reverse("dashboard:index")).status_code == 403
    assert client.get(reverse("dashboard:export", args=["yearly", "csv"])).status_code == 403
    assert client.get("/api/v1/dashboard/yearly/").status_code == 403


def test_the_page_shows_every_section_and_names_no_victim(client_for, chair, bp3mi_officer):
    make_case(
        bp3mi_officer,
        victims=[make_person(full_name="Nama Rahasia")],
        identified_on=datetime.date(2025, 1, 1),
    )
    html = client_for(chair).get(reverse("dashboard:index") + "?from=2024&to=2026").text
    for title in [
        "Laporan dan penyelesaian per tahun",
        "Kasus aktif per tahap",
        "Rujukan per instansi penerima",
        "Korban menurut jenis kelamin",
        "Hambatan sosial budaya",
        "Kepulangan pekerja migran per bulan",
    ]:
        assert title in html, title
    assert "<svg" in html
    assert "Nama Rahasia" not in html
    assert "Periode: 2024\u20132026" in html


def test_a_bad_period_is_explained_and_the_default_shown(client_for, chair):
    response = client_for(chair).get(reverse("dashboard:index") + "?from=2026&to=2020")
    assert response.status_code == 200
    assert "Tahun akhir sebelum tahun awal" in response.text
    api = client_for(chair).get("/api/v1/dashboard/yearly/?from=abc")
    assert api.status_code == 400
    assert "from" in api.json()


def test_the_csv_export_holds_the_table_and_is_logged(client_for, chair, bp3mi_officer, police_officer):
    case = make_case(
        bp3mi_officer, handled_by=[police_officer.agency], identified_on=datetime.date(2024, 1, 2)
    )
    case_services.case_move(
        case=case,
        to="reported",
        on=datetime.date(2024, 1, 3),
        actor=police_officer,
        data={"lp_number": "LP/1", "lp_model": "B"},
    )
    response = client_for(chair).get(
        reverse("dashboard:export", args=["yearly", "csv"]) + "?from=2024&to=2025", REMOTE_ADDR="10.0.0.9"
    )
    assert response["Content-Disposition"] == 'attachment; filename="gugus-tugas-tppo-yearly-2024-2025.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Tahun"
    assert rows[1] == ["2024", "1", "0", "0", "1", "0.0", "0.0"]
    assert rows[2] == ["2025", "0", "0", "0", "0", "", ""]
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.record_type, log.record_id, log.ip_address) == (
        chair,
        "export",
        "dashboard",
        "yearly",
        "10.0.0.9",
    )


def test_the_xlsx_export_of_all_tables(client_for, chair):
    response = client_for(chair).get(
        reverse("dashboard:export", args=["semua", "xlsx"]) + "?from=2025&to=2025"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "yearly",
        "stages",
        "deadlines",
        "referrals",
        "victims_sex",
        "victims_age",
        "victims_exploitation",
        "victims_destination",
        "victims_origin",
        "victims_relationship",
        "obstacles",
        "returnees",
    ]
    yearly = workbook["yearly"]
    assert yearly["A1"].value == "Laporan dan penyelesaian per tahun"
    assert yearly["A5"].value == 2025 and yearly["B5"].value == 0
    assert workbook["returnees"]["A5"].value == "01/2025"  # month first, as dates are written


def test_unknown_exports_are_404(client_for, chair):
    assert client_for(chair).get(reverse("dashboard:export", args=["persons", "csv"])).status_code == 404
    assert client_for(chair).get(reverse("dashboard:export", args=["yearly", "pdf"])).status_code == 404


def test_the_api_sections(client_for, chair):
    client = client_for(chair)
    yearly = client.get("/api/v1/dashboard/yearly/?from=2024&to=2025").json()
    assert yearly == {
        "years": [
            {
                "year": 2024,
                "reported": 0,
                "resolved_in_year": 0,
                "resolved_of_reported": 0,
                "open_of_reported": 0,
                "clearance_rate": None,
                "cohort_resolution_rate": None,
            },
            {
                "year": 2025,
                "reported": 0,
                "resolved_in_year": 0,
                "resolved_of_reported": 0,
                "open_of_reported": 0,
                "clearance_rate": None,
                "cohort_resolution_rate": None,
            },
        ]
    }
    for section, key in [
        ("stages", "stages"),
        ("deadlines", "cases"),
        ("referrals", "agencies"),
        ("victims", "sex"),
        ("obstacles", "obstacles"),
        ("returnees", "months"),
    ]:
        response = client.get(f"/api/v1/dashboard/{section}/")
        assert response.status_code == 200 and key in response.json(), section


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard:index"),
        "/api/v1/dashboard/yearly/",
        "/api/v1/dashboard/stages/",
        "/api/v1/dashboard/deadlines/",
        "/api/v1/dashboard/referrals/",
        "/api/v1/dashboard/victims/",
        "/api/v1/dashboard/obstacles/",
        "/api/v1/dashboard/returnees/",
        reverse("dashboard:export", args=["semua", "xlsx"]),
    ],
)
def test_the_dashboard_queries_do_not_grow_with_cases(client_for, chair, bp3mi_officer, service_officer, url):
    client = client_for(chair)

    def grow(count):
        for n in range(count):
            case = make_case(
                bp3mi_officer,
                identified_on=datetime.date(2025, 1 + n % 12, 1),
                stage=["identified", "investigation", "prosecution"][n % 3],
                reported_on=datetime.date(2025, 1 + n % 12, 2) if n % 3 else None,
                resolution_on=datetime.date(2025, 12, 1) if n % 3 == 2 else None,
            )
            make_returnee(bp3mi_officer, case=case, arrived_on=datetime.date(2025, 1 + n % 12, 1))
            referral_services.referral_send(
                actor=bp3mi_officer,
                person=case.victims.get().person,
                to_agency=service_officer.agency,
                service="shelter",
                reason="x",
                consent_on=datetime.date(2025, 1, 1),
                consent_method="verbal",
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(3)
    few = queries()
    grow(15)
    assert queries() == few
