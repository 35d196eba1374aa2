"""The API of DESIGN §9 for arrivals, cases, moves and the timeline."""

import datetime

import pytest
import time_machine

from cases.models import Case, Returnee, StageEvent
from tests.factories import make_case, make_returnee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


PERSON = {
    "full_name": "Maria Goreti Bria",
    "nik": "5371015705980003",
    "sex": "F",
    "birth_date": "1998-05-17",
    "origin_region": "53.71.01",
    "address": "Oesapa",
    "phone": "0812",
}


def test_bp3mi_logs_and_screens_an_arrival_then_opens_a_case(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    created = post(
        client,
        "/api/v1/returnees/",
        {
            "person": PERSON,
            "arrived_on": "2026-11-25",
            "arrival_point": "tenau_port",
            "category": "deportee",
            "procedural": False,
            "country": "MY",
        },
    )
    assert created.status_code == 201, created.json()
    returnee = created.json()
    assert returnee["person"]["full_name"] == "Maria Goreti Bria"
    assert returnee["screening_result"] == "pending"
    screened = patch(
        client,
        f"/api/v1/returnees/{returnee['id']}/",
        {
            "version": returnee["version"],
            "screened_on": "2026-11-26",
            "indicators": ["debt_bondage"],
            "exploitation_types": ["forced_labour"],
            "screening_result": "possible_victim",
        },
    )
    assert screened.status_code == 200, screened.json()
    opened = post(client, f"/api/v1/returnees/{returnee['id']}/open-case/", {})
    assert opened.status_code == 201
    case = opened.json()
    assert (case["number"], case["stage"], case["source"]) == (
        "TPPO/2026/1",
        "identified",
        "bp3mi_identification",
    )
    assert case["victims"][0]["full_name"] == "Maria Goreti Bria"
    assert client.get(f"/api/v1/returnees/{returnee['id']}/").json()["case"] == case["id"]


def test_only_migrant_protection_officers_log_arrivals(client_for, police_officer):
    response = post(
        client_for(police_officer),
        "/api/v1/returnees/",
        {"person": PERSON, "arrived_on": "2026-11-25", "arrival_point": "tenau_port", "category": "deportee"},
    )
    assert response.status_code == 403
    assert not Returnee.objects.exists()


def test_bad_input_is_400_with_field_messages_in_indonesian(client_for, bp3mi_officer):
    response = post(
        client_for(bp3mi_officer),
        "/api/v1/returnees/",
        {
            "person": {**PERSON, "nik": "123"},
            "arrived_on": "2027-01-01",
            "arrival_point": "ferry",
            "category": "deportee",
        },
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["person"]["nik"] == ["NIK terdiri dari tepat 16 angka."]
    assert "arrival_point" in errors
    assert not Returnee.objects.exists()


def test_a_case_is_opened_with_its_victims(client_for, police_officer):
    response = post(
        client_for(police_officer),
        "/api/v1/cases/",
        {
            "identified_on": "2026-11-20",
            "source": "police_report",
            "exploitation_types": ["forced_labour"],
            "destination_country": "MY",
            "victims": [
                {**PERSON, "relationship_to_trafficker": "family"},
                {"full_name": "Anak Kedua", "sex": "M", "birth_date": "2012-01-01"},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["stage"] == "identified"
    assert [victim["relationship_to_trafficker"] for victim in case["victims"]] == ["family", "unknown"]
    assert [victim["is_child"] for victim in case["victims"]] == [False, True]
    assert case["handling_agencies"] == ["POLDA-NTT"]


def test_patch_needs_the_version_and_a_stale_one_is_409(client_for, bp3mi_officer):
    case = make_case(bp3mi_officer)
    client = client_for(bp3mi_officer)
    missing = patch(client, f"/api/v1/cases/{case.pk}/", {"summary": "Tanpa versi"})
    assert missing.status_code == 400
    assert "version" in missing.json()
    ok = patch(client, f"/api/v1/cases/{case.pk}/", {"summary": "Pertama", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = patch(client, f"/api/v1/cases/{case.pk}/", {"summary": "Kedua", "version": 1})
    assert stale.status_code == 409
    assert "diubah petugas lain" in stale.json()["detail"]
    case.refresh_from_db()
    assert case.summary == "Pertama"


def test_transitions_answer_as_the_design_says(client_for, bp3mi_officer, police_officer):
    case = make_case(
        bp3mi_officer, handled_by=[police_officer.agency], identified_on=datetime.date(2026, 11, 1)
    )
    police = client_for(police_officer)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    missing = post(police, url, {"to": "reported", "from": "identified", "on": "2026-11-20"})
    assert missing.status_code == 400
    assert set(missing.json()) == {"lp_number", "lp_model"}
    moved = post(
        police,
        url,
        {
            "to": "reported",
            "from": "identified",
            "on": "2026-11-20",
            "lp_number": "LP/B/1/XI/2026",
            "lp_model": "B",
            "note": "SPKT",
        },
    )
    assert moved.status_code == 200
    assert (moved.json()["stage"], moved.json()["reported_on"]) == ("reported", "2026-11-20")
    stale = post(police, url, {"to": "inquiry", "from": "identified", "on": "2026-11-21"})
    assert stale.status_code == 409
    not_in_graph = post(police, url, {"to": "verdict", "on": "2026-11-21"})
    assert not_in_graph.status_code == 409
    future = post(police, url, {"to": "inquiry", "on": "2026-12-24"})
    assert future.status_code == 400
    bp3mi = client_for(bp3mi_officer)
    forbidden = post(bp3mi, url, {"to": "inquiry", "from": "reported", "on": "2026-11-21"})
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "Instansi Anda tidak berwenang melakukan perpindahan tahap ini."
    assert StageEvent.objects.filter(case=case).count() == 1


def test_the_timeline_and_steps(client_for, bp3mi_officer, police_officer):
    case = make_case(
        bp3mi_officer,
        handled_by=[police_officer.agency],
        stage="investigation",
        stage_entered_on=datetime.date(2026, 11, 2),
    )
    client = client_for(police_officer)
    url = f"/api/v1/cases/{case.pk}/events/"
    step = post(
        client,
        url,
        {
            "kind": "spdp_sent",
            "on": "2026-11-05",
            "note": "SPDP ke Kejari",
            "prosecution_agency": "KEJARI-KUPANG",
        },
    )
    assert step.status_code == 201, step.json()
    post(client, url, {"kind": "tahap1_sent", "on": "2026-11-20"})
    timeline = client.get(url).json()
    assert timeline["count"] == 2
    first = timeline["results"][0]
    assert {key: first[key] for key in ("kind", "from", "to", "on", "actor", "agency", "note")} == {
        "kind": "spdp_sent",
        "from": "investigation",
        "to": "investigation",
        "on": "2026-11-05",
        "actor": "penyidik",
        "agency": "POLDA-NTT",
        "note": "SPDP ke Kejari",
    }
    wrong_stage = post(client, url, {"kind": "hearing", "on": "2026-11-21"})
    assert wrong_stage.status_code == 409


def test_filters_and_search(client_for, bp3mi_officer):
    make_returnee(bp3mi_officer, category="deportee", arrived_on=datetime.date(2026, 1, 5))
    other = make_returnee(bp3mi_officer, category="repatriated", arrived_on=datetime.date(2026, 6, 5))
    other.person.nik = "5371011705980003"
    other.person.full_name = "Yakobus Tefa"
    other.person.save()
    client = client_for(bp3mi_officer)
    assert client.get("/api/v1/returnees/?category=repatriated").json()["count"] == 1
    assert client.get("/api/v1/returnees/?arrived_from=2026-06-01").json()["count"] == 1
    assert client.get("/api/v1/returnees/?q=53710117").json()["count"] == 1
    assert client.get("/api/v1/returnees/?q=tefa").json()["count"] == 1
    assert client.get("/api/v1/returnees/?category=bogus").status_code == 400
    make_case(
        bp3mi_officer,
        stage="reported",
        reported_on=datetime.date(2025, 3, 1),
        exploitation_types=["servitude"],
    )
    assert client.get("/api/v1/cases/?report_year=2025").json()["count"] == 1
    assert client.get("/api/v1/cases/?exploitation_type=servitude").json()["count"] == 1
    assert client.get("/api/v1/cases/?exploitation_type=forced_labour").json()["count"] == 0
    assert client.get("/api/v1/cases/?agency=BP3MI-NTT").json()["count"] == 1
    assert Case.objects.count() == 1
