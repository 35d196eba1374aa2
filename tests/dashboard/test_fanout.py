"""The dashboard's sections computed at the same time, each on its own connection (fanout.py), are the
sections computed in turn, in the reader's language. PostgreSQL only: the threads must see committed
rows, and the demo's SQLite computes them in turn."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from gugus_tugas.dashboard import tables
from gugus_tugas.dashboard.selectors import Period
from tests.factories import make_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need committed rows in PostgreSQL"),
]


@pytest.fixture
def cases(police_officer, bp3mi_officer):
    make_case(police_officer, reported_on=datetime.date(2024, 3, 1), destination_country="MY")
    make_case(
        bp3mi_officer, identified_on=datetime.date(2025, 5, 2), stage_entered_on=datetime.date(2025, 5, 2)
    )


def test_the_sections_at_once_are_the_sections_in_turn(settings, cases):
    period = Period(2020, 2026)
    settings.DASHBOARD_THREADS = 0
    in_turn = tables.every_section(period)
    settings.DASHBOARD_THREADS = 3
    at_once = tables.every_section(period)
    assert list(at_once) == list(tables.SECTIONS)
    assert at_once == in_turn
    assert sum(row[1] for row in at_once["yearly"][0].rows) == 1


def test_the_page_computed_at_once_speaks_the_readers_language(settings, client_for, chair, cases):
    settings.DASHBOARD_THREADS = 3
    client = client_for(chair)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dashboard:index")).text
    assert "Victims by sex" in page
    assert "Unknown" in page  # a label made in a thread (origin regency), in English
    assert "Tidak diketahui" not in page
