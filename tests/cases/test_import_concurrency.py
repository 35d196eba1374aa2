"""Two officers importing the same sheet at the same moment add its arrivals once. PostgreSQL only:
SQLite serialises whole-database writes and has no row locks to test."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from cases.importer import services
from cases.models import Returnee
from tests.conftest import make_account
from tests.sheets import people, xlsx_file

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


def test_the_same_sheet_imported_twice_at_once_is_added_once():
    officers = [make_account("bp3mi-1", "BP3MI-NTT"), make_account("bp3mi-2", "BP3MI-NTT")]
    data = xlsx_file(people(40))
    barrier = threading.Barrier(len(officers))
    outcomes = [None] * len(officers)

    def worker(index):
        try:
            barrier.wait()
            _upload, outcomes[index] = services.arrival_import_file(
                actor=officers[index], file_name="kepulangan.xlsx", data=data
            )
        finally:
            connection.close()

    with time_machine.travel(NOW, tick=True):
        threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(officers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted((outcome.imported, outcome.present) for outcome in outcomes) == [(0, 40), (40, 0)]
    assert Returnee.objects.count() == 40
