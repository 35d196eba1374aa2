"""The dashboard's answers in the real Redis (DESIGN §18): kept until a write to what they read, and never
older than the reader's own last write, even when another reader computed from the old rows while the
write was being committed. (With a lagging replica: tests/test_replica.py.)"""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gugus_tugas.dashboard import selectors
from gugus_tugas.dashboard.selectors import Period
from tests.factories import make_case, make_returnee

# Committed writes, as in production: an answer computed inside a transaction that wrote is not kept.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PERIOD = Period(2020, 2026)
REPORTED = datetime.date(2024, 3, 1)


def reported(period=PERIOD, year=2024) -> int:
    return next(row["reported"] for row in selectors.yearly(period) if row["year"] == year)


def test_an_answer_is_kept_until_what_it_read_is_written(redis_cache, police_officer, bp3mi_officer):
    make_case(police_officer, reported_on=REPORTED)
    assert reported() == 1
    with CaptureQueriesContext(connection) as queries:
        assert reported() == 1
        assert reported() == 1
    assert len(queries) == 0  # from Redis
    assert any(key.startswith(b"gugus-tugas-test-") for key in redis_cache.scan_iter())

    make_returnee(bp3mi_officer)  # arrivals: the yearly table read nothing of it
    with CaptureQueriesContext(connection) as queries:
        assert reported() == 1
    assert len(queries) == 0

    make_case(police_officer, reported_on=REPORTED)  # a case: the yearly table is forgotten
    assert reported() == 2


def test_each_period_and_agency_has_its_own_answer(redis_cache, police_officer, bp3mi_officer):
    make_case(police_officer, reported_on=REPORTED)
    assert reported(Period(2020, 2026)) == 1
    assert reported(Period(2020, 2026, agency=bp3mi_officer.agency)) == 0
    assert reported(Period(2024, 2024)) == 1


def test_the_dashboard_page_is_answered_from_the_cache(redis_cache, client_for, chair, police_officer):
    make_case(police_officer, reported_on=REPORTED)
    client = client_for(chair)
    assert client.get(reverse("dashboard:index")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard:index")).status_code == 200
    cases_read = [query for query in queries if "cases_" in query["sql"] or "referrals_" in query["sql"]]
    assert cases_read == []  # every section came from Redis; only the session and the account are read


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the table for the reader")
def test_a_writer_never_gets_the_answer_another_reader_computed_before_the_commit(
    redis_cache, police_officer
):
    make_case(police_officer, reported_on=REPORTED)
    assert reported() == 1
    seen = []

    def reader():
        try:
            seen.append(reported())
        finally:
            connection.close()

    with transaction.atomic():
        make_case(police_officer, reported_on=REPORTED)
        # Another officer's request reads while this one has written but not committed, and keeps what
        # it read under the tables' versions of that moment.
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join()
    assert seen == [1]  # the old rows: the write was not committed yet
    assert reported() == 2  # the commit forgot that answer too
