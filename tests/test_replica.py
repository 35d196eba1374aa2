"""Reads from a real PostgreSQL streaming replica (DESIGN §18): list pages read it, an officer always
sees their own writes even while it lags, the dashboard's cache (in Redis) never answers them from rows
older than their write, and a stopped replica sends reads to the primary.

`.ci/run` makes the replica (`.ci/replica`: a second cluster made with pg_basebackup -R) and sets
DATABASE_REPLICA_URL and DATABASE_REPLICA_CLUSTER; without them these tests skip, except in CI
(REQUIRE_REPLICA), where they fail."""

import datetime
import os
import subprocess
import time

import dj_database_url
import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gugus_tugas import replica as replica_module
from gugus_tugas.dashboard import selectors
from gugus_tugas.dashboard.selectors import Period
from tests.cases.test_pages import arrival_post
from tests.conftest import make_account
from tests.factories import make_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]


def missing(reason):
    if os.environ.get("REQUIRE_REPLICA"):
        pytest.fail(reason)
    pytest.skip(reason)


def replica_query(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def caught_up(timeout=30):
    """Wait until the replica has replayed everything the primary has written."""
    target = replica_module.position("default")
    deadline = time.monotonic() + timeout
    while replica_module.position("replica") < target:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@pytest.fixture
def replica(settings):
    """The replica alias pointed at the replica's copy of the test database, replay running."""
    if connection.vendor != "postgresql":
        pytest.skip("a replica needs PostgreSQL")
    if "replica" not in django_settings.DATABASES:
        missing("DATABASE_REPLICA_URL is not set (.ci/run makes a replica)")
    url = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    alias = connections["replica"]
    mirrored = alias.settings_dict
    alias.close()
    alias.settings_dict = {**connections["default"].settings_dict, "HOST": url["HOST"], "PORT": url["PORT"]}
    settings.READ_REPLICA = True
    replica_module._down_until = 0.0
    caught_up()
    yield alias
    alias.close()
    if replica_query_safe("SELECT pg_is_wal_replay_paused()"):
        replica_query("SELECT pg_wal_replay_resume()")
    alias.close()
    alias.settings_dict = mirrored
    replica_module._down_until = 0.0


def replica_query_safe(sql):
    try:
        return replica_query(sql)
    except Exception:
        return None


def listed(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    return text in response.text


def test_list_pages_read_the_replica(replica, client_for, police_officer):
    client = client_for(police_officer)  # a session that has written nothing
    replica_query("SELECT pg_wal_replay_pause()")
    case = make_case(police_officer)  # on the primary only, for now
    with CaptureQueriesContext(replica) as on_replica:
        assert not listed(client, reverse("cases:case_list"), case.number)
    assert any("cases_case" in query["sql"] for query in on_replica)

    replica_query("SELECT pg_wal_replay_resume()")
    caught_up()
    assert listed(client, reverse("cases:case_list"), case.number)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_sees_their_own_write_while_the_replica_lags(replica, bp3mi_officer):
    colleague = logged_in(make_account("bp3mi-2", "BP3MI-NTT"))  # same office, wrote nothing
    writer = logged_in(bp3mi_officer)
    with time_machine.travel(datetime.datetime(2026, 11, 27, 1, 0, tzinfo=datetime.UTC), tick=True) as clock:
        replica_query("SELECT pg_wal_replay_pause()")
        assert writer.post(reverse("cases:returnee_create"), arrival_post()).status_code == 302
        arrivals = reverse("cases:returnee_list")
        assert listed(writer, arrivals, "Maria Goreti Bria")  # within the first seconds: the primary
        assert not listed(colleague, arrivals, "Maria Goreti Bria")  # the replica has not replayed it

        clock.shift(datetime.timedelta(seconds=replica_module.STICKY_SECONDS + 1))
        assert listed(writer, arrivals, "Maria Goreti Bria")  # the replica still lags: the primary

        replica_query("SELECT pg_wal_replay_resume()")
        caught_up()
        with CaptureQueriesContext(replica) as on_replica:
            assert listed(writer, arrivals, "Maria Goreti Bria")
        assert any("cases_returnee" in query["sql"] for query in on_replica)  # the replica again
        assert listed(colleague, arrivals, "Maria Goreti Bria")


def test_a_stopped_replica_sends_reads_to_the_primary(replica, client_for, police_officer):
    cluster = os.environ.get("DATABASE_REPLICA_CLUSTER")  # e.g. "15 replica"
    if not cluster:
        missing("DATABASE_REPLICA_CLUSTER is not set (.ci/run sets it)")
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster.split()]
    client = client_for(police_officer)
    case = make_case(police_officer)
    replica.close()
    subprocess.run([*ctl, "stop", "-m", "fast"], check=True)
    try:
        started = time.monotonic()
        assert listed(client, reverse("cases:case_list"), case.number)
        assert listed(client, reverse("cases:case_list"), case.number)  # not tried again for a while
        assert time.monotonic() - started < 5
    finally:
        subprocess.run([*ctl, "start"], check=True)
    replica.close()
    deadline = time.monotonic() + 30
    while replica_query_safe("SELECT 1") != 1:
        assert time.monotonic() < deadline, "the replica did not start again"
        time.sleep(0.2)
    replica_module._down_until = 0.0
    caught_up()
    with CaptureQueriesContext(replica) as on_replica:
        assert listed(client, reverse("cases:case_list"), case.number)
    assert on_replica.captured_queries  # back on the replica


def test_the_cache_never_answers_a_writer_from_a_replica_that_lags_behind_the_write(
    replica, redis_cache, police_officer
):
    period = Period(2020, 2026)

    def reported():
        return next(row["reported"] for row in selectors.yearly(period) if row["year"] == 2024)

    make_case(police_officer, reported_on=datetime.date(2024, 3, 1))
    caught_up()
    replica_query("SELECT pg_wal_replay_pause()")
    make_case(police_officer, reported_on=datetime.date(2024, 3, 2))  # committed on the primary
    written = replica_module.position("default")  # what the officer's session keeps
    with replica_module.reads("replica"):  # someone who wrote nothing, through the lagging replica
        assert reported() == 1
        assert reported() == 1  # and kept in Redis under the tables' latest versions
    with replica_module.reads("replica"):
        with CaptureQueriesContext(replica) as on_replica:
            assert reported() == 1
        assert on_replica.captured_queries == []  # served from the cache
    with replica_module.reads(None, own_write=written):  # the writer, on the primary
        assert reported() == 2  # the kept answer predates the write: computed anew
    replica_query("SELECT pg_wal_replay_resume()")
    caught_up()
    with replica_module.reads("replica", own_write=written):
        assert reported() == 2
