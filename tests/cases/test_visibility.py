"""Who sees what (DESIGN §6): every persona against every arrival and case page and endpoint."""

import datetime

import pytest
from django.urls import reverse

from cases.models import CaseObstacle, Suspect
from gugus_tugas.accounts.models import AccessLog
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db

PERSONAS = ["bp3mi", "police", "prosecutor", "service", "outsider", "chair", "admin"]
VICTIM_NAME = "Yuliana Sabu Lado"
VICTIM_NIK = "5371015705980003"


@pytest.fixture
def world(personas, bp3mi_officer, police_officer):
    """A BP3MI case handled also by the police, from an arrival BP3MI logged."""
    victim = make_person(bp3mi_officer.agency, full_name=VICTIM_NAME, nik=VICTIM_NIK)
    case = make_case(
        bp3mi_officer,
        handled_by=[police_officer.agency],
        victims=[victim],
        identified_on=datetime.date(2024, 3, 5),
        summary="Korban direkrut oleh pamannya.",
    )
    returnee = make_returnee(
        bp3mi_officer,
        person=victim,
        case=case,
        screening_result="possible_victim",
        screened_on=datetime.date(2024, 3, 5),
    )
    suspect = Suspect.objects.create(
        case=case, full_name="Paulus Tersangka", nik="5371010101800001", role="recruiter"
    )
    obstacle = CaseObstacle.objects.create(
        case=case, kind="perpetrator_is_family", set_on=datetime.date(2024, 3, 6), set_by=bp3mi_officer
    )
    return {
        "case": case,
        "returnee": returnee,
        "victim": case.victims.get(),
        "suspect": suspect,
        "obstacle": obstacle,
    }


def case_pages(world):
    pk = world["case"].pk
    return {
        "detail": reverse("cases:case_detail", args=[pk]),
        "history": reverse("cases:case_history", args=[pk]),
        "edit": reverse("cases:case_edit", args=[pk]),
        "move": reverse("cases:case_move", args=[pk, "not_tppo"]),
        "victim_add": reverse("cases:victim_add", args=[pk]),
        "victim_edit": reverse("cases:victim_edit", args=[pk, world["victim"].pk]),
        "suspect_add": reverse("cases:suspect_add", args=[pk]),
        "suspect_edit": reverse("cases:suspect_edit", args=[pk, world["suspect"].pk]),
        "obstacle_clear": reverse("cases:obstacle_clear", args=[pk, world["obstacle"].pk]),
        "step": reverse("cases:case_step", args=[pk, "hearing"]),
    }


# Expected status of each case page per persona. Handlers see and change; the chair reads masked and
# changes nothing (403); every other account gets 404: existence is not revealed.
READS = {"detail", "history"}
EXPECTED_CASE_PAGE = {
    # A step not open to this agency at this stage sends the officer back to the case with a message.
    "bp3mi": lambda page: 302 if page == "step" else 200,
    "police": lambda page: 302 if page == "step" else 200,
    "prosecutor": lambda page: 404,
    "service": lambda page: 404,
    "outsider": lambda page: 404,
    "chair": lambda page: 200 if page in READS else 403,
    "admin": lambda page: 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_pages(client_for, personas, world, persona):
    client = client_for(personas[persona])
    for page, url in case_pages(world).items():
        expected = EXPECTED_CASE_PAGE[persona](page)
        response = client.get(url)
        assert response.status_code == expected, (persona, page, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_list(client_for, personas, world, persona):
    response = client_for(personas[persona]).get(reverse("cases:case_list"))
    if persona == "admin":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    listed = world["case"].number in response.text
    assert listed == (persona in {"bp3mi", "police", "chair"})
    assert (VICTIM_NAME in response.text) == (persona in {"bp3mi", "police"})
    if persona == "chair":
        assert "Y.S.L." in response.text


def test_the_chair_sees_the_case_masked(client_for, chair, world):
    html = client_for(chair).get(reverse("cases:case_detail", args=[world["case"].pk])).text
    assert "Y.S.L." in html
    assert VICTIM_NAME not in html
    assert VICTIM_NIK not in html
    assert "5371010101800001" not in html  # nor a suspect's NIK
    assert "Korban direkrut" not in html  # free text may name the victim
    assert "Jl. Timor Raya" not in html
    assert "25-34" in html  # age band at identification (born 1998, identified 2024)
    assert not AccessLog.objects.exists()


def test_a_handler_sees_the_victim_and_the_view_is_logged(client_for, police_officer, world):
    html = (
        client_for(police_officer)
        .get(reverse("cases:case_detail", args=[world["case"].pk]), REMOTE_ADDR="10.1.2.3")
        .text
    )
    assert VICTIM_NAME in html and VICTIM_NIK in html
    log = AccessLog.objects.get()
    assert (
        log.user,
        log.agency,
        log.action,
        log.record_type,
        log.record_id,
        log.person_ids,
        log.ip_address,
    ) == (
        police_officer,
        police_officer.agency,
        "view",
        "case",
        str(world["case"].pk),
        [world["victim"].person_id],
        "10.1.2.3",
    )


ARRIVAL_PAGES = ["returnee_list", "returnee_detail", "returnee_edit", "returnee_screen", "returnee_create"]
EXPECTED_ARRIVAL_PAGE = {
    "bp3mi": {
        "returnee_list": 200,
        "returnee_detail": 200,
        "returnee_edit": 200,
        "returnee_screen": 200,
        "returnee_create": 200,
    },
    # The police handle the case the arrival became: they read it, BP3MI alone changes it.
    "police": {
        "returnee_list": 200,
        "returnee_detail": 200,
        "returnee_edit": 403,
        "returnee_screen": 403,
        "returnee_create": 403,
    },
    **{
        persona: {
            "returnee_list": 200,
            "returnee_detail": 404,
            "returnee_edit": 404,
            "returnee_screen": 404,
            "returnee_create": 403,
        }
        for persona in ["prosecutor", "service", "outsider"]
    },
    **{
        persona: {
            "returnee_list": 404,
            "returnee_detail": 404,
            "returnee_edit": 404,
            "returnee_screen": 404,
            "returnee_create": 403,
        }
        for persona in ["chair", "admin"]
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_arrival_pages(client_for, personas, world, persona):
    client = client_for(personas[persona])
    for page in ARRIVAL_PAGES:
        args = [] if page in {"returnee_list", "returnee_create"} else [world["returnee"].pk]
        response = client.get(reverse(f"cases:{page}", args=args))
        assert response.status_code == EXPECTED_ARRIVAL_PAGE[persona][page], (persona, page)
        if page == "returnee_list" and response.status_code == 200:
            assert (VICTIM_NAME in response.text) == (persona in {"bp3mi", "police"})


# The API: the same rules through the same selectors.

EXPECTED_API = {
    # persona: (returnee detail, case detail, case events, PATCH case, POST transition)
    "bp3mi": (200, 200, 200, 200, 200),
    "police": (200, 200, 200, 200, 200),
    "prosecutor": (404, 404, 404, 404, 404),
    "service": (404, 404, 404, 404, 404),
    "outsider": (404, 404, 404, 404, 404),
    "chair": (404, 200, 200, 403, 403),
    "admin": (404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_endpoints(client_for, personas, world, persona):
    client = client_for(personas[persona])
    case, returnee = world["case"], world["returnee"]
    expected = EXPECTED_API[persona]
    got = (
        client.get(f"/api/v1/returnees/{returnee.pk}/").status_code,
        client.get(f"/api/v1/cases/{case.pk}/").status_code,
        client.get(f"/api/v1/cases/{case.pk}/events/").status_code,
        client.patch(
            f"/api/v1/cases/{case.pk}/",
            {"summary": "Diperbarui", "version": case.version},
            content_type="application/json",
        ).status_code,
    )
    case.refresh_from_db()
    # BP3MI (the identifying agency) and the police may both screen a case out.
    transition = client.post(
        f"/api/v1/cases/{case.pk}/transitions/",
        {"to": "not_tppo", "from": "identified", "on": "2024-04-01"},
        content_type="application/json",
    ).status_code
    assert (*got, transition) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_lists_show_only_what_each_persona_may_see(client_for, personas, world, persona):
    client = client_for(personas[persona])
    returnees = client.get("/api/v1/returnees/").json()
    cases = client.get("/api/v1/cases/").json()
    assert returnees["count"] == (1 if persona in {"bp3mi", "police"} else 0)
    assert cases["count"] == (1 if persona in {"bp3mi", "police", "chair"} else 0)
    if persona == "chair":
        victim = cases["results"][0]["victims"][0]
        assert victim["masked"] is True
        assert victim["full_name"] == "Y.S.L."
        assert (victim["nik"], victim["birth_date"], victim["address"], victim["phone"]) == (
            None,
            None,
            None,
            None,
        )
        assert victim["age_band"] == "25-34"
        assert cases["results"][0]["summary"] is None


def test_api_uses_the_field_names_of_the_design(client_for, police_officer, world):
    case = client_for(police_officer).get(f"/api/v1/cases/{world['case'].pk}/").json()
    for name in [
        "id",
        "number",
        "stage",
        "version",
        "identified_on",
        "source",
        "summary",
        "exploitation_types",
        "destination_country",
        "victims",
        "suspects",
        "obstacles",
        "reported_on",
        "resolution_on",
        "handling_agencies",
        "lp_number",
        "lp_model",
        "prosecution_agency",
        "ground",
        "court_case_number",
        "verdict",
        "sentence_months",
        "fine_idr",
        "restitution_idr",
        "restitution_paid",
        "receiving_unit",
    ]:
        assert name in case, name
    assert case["handling_agencies"] == ["BP3MI-NTT", "POLDA-NTT"]
    victim = case["victims"][0]
    for name in [
        "id",
        "full_name",
        "nik",
        "sex",
        "birth_date",
        "origin_region",
        "address",
        "phone",
        "relationship_to_trafficker",
    ]:
        assert name in victim, name
    returnee = client_for(police_officer).get(f"/api/v1/returnees/{world['returnee'].pk}/").json()
    for name in [
        "id",
        "person",
        "arrived_on",
        "arrival_point",
        "category",
        "procedural",
        "country",
        "employer",
        "sector",
        "screened_on",
        "indicators",
        "exploitation_types",
        "screening_result",
        "case",
    ]:
        assert name in returnee, name
    assert returnee["case"] == world["case"].pk


# persona: (PATCH the arrival, POST an SPDP step on a case under investigation)
EXPECTED_API_WRITES = {
    "bp3mi": (200, 403),  # logged the arrival; handles the case but is no police
    "police": (403, 201),  # sees the arrival through its case but did not log it
    "prosecutor": (404, 404),
    "service": (404, 404),
    "outsider": (404, 404),
    "chair": (404, 403),  # reads every case, writes none
    "admin": (404, 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_writes_on_arrivals_and_timelines(
    client_for, personas, world, bp3mi_officer, police_officer, persona
):
    client = client_for(personas[persona])
    returnee = world["returnee"]
    investigated = make_case(
        bp3mi_officer,
        stage="investigation",
        handled_by=[police_officer.agency],
        identified_on=datetime.date(2024, 3, 5),
    )
    got = (
        client.patch(
            f"/api/v1/returnees/{returnee.pk}/",
            {"route_notes": "Lewat Entikong", "version": returnee.version},
            content_type="application/json",
        ).status_code,
        client.post(
            f"/api/v1/cases/{investigated.pk}/events/",
            {"kind": "spdp_sent", "on": "2024-03-06"},
            content_type="application/json",
        ).status_code,
    )
    assert got == EXPECTED_API_WRITES[persona]
    returnee.refresh_from_db()
    assert (returnee.route_notes == "Lewat Entikong") == (persona == "bp3mi")
    assert investigated.events.filter(kind="spdp_sent").exists() == (persona == "police")
