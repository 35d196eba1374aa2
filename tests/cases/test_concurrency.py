"""Two officers acting on one case at the same moment never both win (DESIGN §4.2). PostgreSQL only:
SQLite serialises whole-database writes and has no row locks to test."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client

from cases.models import StageEvent
from tests.conftest import make_account
from tests.factories import make_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(clients, requests):
    """Send one request per client from its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def worker(index):
        try:
            barrier.wait()
            method, url, data = requests[index]
            results[index] = getattr(clients[index], method)(url, data, content_type="application/json")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_conflicting_moves_at_once_one_wins_and_one_gets_409():
    bp3mi = make_account("bp3mi-race", "BP3MI-NTT")
    first, second = make_account("penyidik-1", "POLDA-NTT"), make_account("penyidik-2", "POLDA-NTT")
    case = make_case(bp3mi, handled_by=[first.agency], identified_on=datetime.date(2025, 5, 1))
    url = f"/api/v1/cases/{case.pk}/transitions/"
    report = {
        "to": "reported",
        "from": "identified",
        "on": "2025-05-10",
        "lp_number": "LP/A/1",
        "lp_model": "A",
    }
    screen_out = {"to": "not_tppo", "from": "identified", "on": "2025-05-10"}
    responses = race(
        [logged_in(first), logged_in(second)], [("post", url, report), ("post", url, screen_out)]
    )
    assert sorted(response.status_code for response in responses) == [200, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert "tidak lagi berada di tahap" in loser.json()["detail"]
    assert StageEvent.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    winner = next(response for response in responses if response.status_code == 200)
    assert case.stage == winner.json()["stage"]


def test_two_edits_of_the_same_version_at_once_one_wins_and_one_gets_409():
    bp3mi = make_account("bp3mi-race", "BP3MI-NTT")
    police = make_account("penyidik-1", "POLDA-NTT")
    case = make_case(bp3mi, handled_by=[police.agency])
    url = f"/api/v1/cases/{case.pk}/"
    responses = race(
        [logged_in(bp3mi), logged_in(police)],
        [
            ("patch", url, {"summary": "Versi BP3MI", "version": 1}),
            ("patch", url, {"summary": "Versi Polda", "version": 1}),
        ],
    )
    assert sorted(response.status_code for response in responses) == [200, 409]
    case.refresh_from_db()
    assert case.version == 2
    assert case.summary == next(r for r in responses if r.status_code == 200).json()["summary"]


def test_cases_opened_at_once_get_consecutive_numbers_without_gaps():
    officers = [make_account(f"penyidik-{n}", "POLDA-NTT") for n in range(4)]
    payload = {
        "identified_on": "2025-05-01",
        "source": "police_report",
        "victims": [{"full_name": "Korban", "sex": "F"}],
    }
    responses = race([logged_in(officer) for officer in officers], [("post", "/api/v1/cases/", payload)] * 4)
    assert [response.status_code for response in responses] == [201] * 4
    assert sorted(response.json()["number"] for response in responses) == [
        f"TPPO/2025/{n}" for n in range(1, 5)
    ]


def test_two_officers_flagging_the_same_obstacle_at_once_record_it_once():
    bp3mi = make_account("bp3mi-race", "BP3MI-NTT")
    police = make_account("penyidik-1", "POLDA-NTT")
    case = make_case(bp3mi, handled_by=[police.agency])
    url = f"/kasus/{case.pk}/hambatan/"
    flag = {"kind": "adat_settlement_attempt", "on": "02/02/2024", "note": "Keluarga menawarkan belis."}

    barrier = threading.Barrier(2)
    statuses = []

    def worker(user):
        client = logged_in(user)
        try:
            barrier.wait()
            statuses.append(client.post(url, flag).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(user,)) for user in (bp3mi, police)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]  # both answered with the case page; the second with a conflict message
    assert case.obstacles.count() == 1
