"""Lists and details cost the same number of queries however many rows there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseObstacle, StageEvent, Suspect
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_cases(officer, police, count):
    for _n in range(count):
        case = make_case(officer, handled_by=[police.agency], victims=[make_person(), make_person()])
        make_returnee(officer, case=case)


def grow_case(case, officer, count):
    for n in range(count):
        case.victims.create(person=make_person())
        Suspect.objects.create(case=case, full_name=f"Tersangka {n}", role="broker")
        CaseObstacle.objects.create(
            case=case,
            kind=["victim_unwilling", "victim_unreachable"][n % 2],
            set_on=datetime.date(2024, 1, 11),
            set_by=officer,
            cleared_on=datetime.date(2024, 1, 12),
            cleared_by=officer,
        )
        StageEvent.objects.create(
            case=case,
            kind="hearing",
            from_stage="trial",
            to_stage="trial",
            on=datetime.date(2024, 2, 1),
            actor=officer,
            agency=officer.agency,
        )


LIST_URLS = [
    reverse("cases:returnee_list"),
    reverse("cases:case_list"),
    "/api/v1/returnees/",
    "/api/v1/cases/",
    reverse("cases:case_list") + "?child_victim=false&exploitation_type=forced_labour&q=TPPO",
    # The arrival log is read in two parts and merged (cases.selectors.returnees_listed).
    reverse("cases:returnee_list") + "?category=deportee&arrived_from=01/01/2024&page=2",
    reverse("cases:returnee_list") + "?q=Maria",
    reverse("cases:returnee_list") + "?q=5371015705980003",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_do_not_grow_with_rows(client_for, bp3mi_officer, police_officer, url):
    client = client_for(bp3mi_officer)
    add_cases(bp3mi_officer, police_officer, 3)
    few = queries(client, url)
    add_cases(bp3mi_officer, police_officer, 12)
    assert queries(client, url) == few


@pytest.mark.parametrize("url", [reverse("cases:returnee_list"), "/api/v1/returnees/"])
def test_the_arrivals_of_handled_cases_do_not_grow_either(client_for, bp3mi_officer, police_officer, url):
    # The police see arrivals only through the cases they handle: the second part of the list.
    client = client_for(police_officer)
    add_cases(bp3mi_officer, police_officer, 3)
    few = queries(client, url)
    add_cases(bp3mi_officer, police_officer, 60)
    assert queries(client, url) == few


def test_the_chairs_masked_list_does_not_grow_either(client_for, chair, bp3mi_officer, police_officer):
    client = client_for(chair)
    add_cases(bp3mi_officer, police_officer, 3)
    few = queries(client, reverse("cases:case_list"))
    add_cases(bp3mi_officer, police_officer, 12)
    assert queries(client, reverse("cases:case_list")) == few


@pytest.mark.parametrize("kind", ["page", "api", "events", "history"])
def test_a_case_detail_does_not_grow_with_victims_suspects_and_events(
    client_for, bp3mi_officer, police_officer, kind
):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    url = {
        "page": reverse("cases:case_detail", args=[case.pk]),
        "api": f"/api/v1/cases/{case.pk}/",
        "events": f"/api/v1/cases/{case.pk}/events/",
        "history": reverse("cases:case_history", args=[case.pk]),
    }[kind]
    client = client_for(police_officer)
    grow_case(case, police_officer, 2)
    few = queries(client, url)
    grow_case(case, police_officer, 10)
    assert queries(client, url) == few


def grow_arrival(returnee, officer, count):
    # More change-history rows for the arrival, and more arrivals of the same person.
    for n in range(count):
        returnee.route_notes = f"Lewat Entikong, catatan {n}"
        returnee.save()
        make_returnee(officer, person=returnee.person, arrived_on=datetime.date(2023, 1, 1 + n))


@pytest.mark.parametrize("kind", ["page", "api"])
def test_an_arrival_detail_does_not_grow_with_its_history(client_for, bp3mi_officer, kind):
    returnee = make_returnee(bp3mi_officer)
    url = {
        "page": reverse("cases:returnee_detail", args=[returnee.pk]),
        "api": f"/api/v1/returnees/{returnee.pk}/",
    }[kind]
    client = client_for(bp3mi_officer)
    grow_arrival(returnee, bp3mi_officer, 2)
    few = queries(client, url)
    grow_arrival(returnee, bp3mi_officer, 10)
    assert queries(client, url) == few
