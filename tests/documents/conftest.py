import datetime
from pathlib import Path

import pytest
from django.conf import settings

from documents import services
from tests.documents.samples import PDF, upload
from tests.factories import make_case


def stored_files() -> list[Path]:
    """Every file in the test's documents folder (conftest gives each test its own)."""
    root = Path(settings.STORAGES["documents"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def case(bp3mi_officer, police_officer):
    """A BP3MI case handled by the police."""
    return make_case(bp3mi_officer, handled_by=[police_officer.agency])


@pytest.fixture
def lp(case, police_officer):
    """The police report of the case, scanned as a PDF and uploaded by the investigator."""
    return services.document_upload(
        actor=police_officer,
        owner=case,
        upload=upload(PDF, "LP-B-12.pdf"),
        kind="lp",
        title="LP/B/12/III/2025",
        dated_on=datetime.date(2025, 3, 2),
    )
