"""The documents' writes (documents.services): a file and its row land together or not at all; nothing is
ever deleted; replacing and withdrawing belong to the uploading agency."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from documents import services
from documents.models import Document
from gugus_tugas.errors import Conflict, NotPermitted
from tests.documents.conftest import stored_files
from tests.documents.samples import HTML, PDF, photo, upload

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 2)


def test_it_stores_the_file_under_a_name_of_its_own_with_its_fingerprint(lp):
    [path] = stored_files()
    assert path.name != "LP-B-12.pdf" and path.name == lp.stored_name.rsplit("/", 1)[-1]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == lp.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (lp.file_name, lp.content_type, lp.size, lp.agency.code) == (
        "LP-B-12.pdf",
        "application/pdf",
        len(PDF),
        "POLDA-NTT",
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # readable by the application alone


def test_the_title_defaults_to_the_file_name(case, police_officer):
    document = services.document_upload(
        actor=police_officer,
        owner=case,
        upload=upload(PDF, "SPDP 03.pdf"),
        kind="spdp",
        title=" ",
        dated_on=DAY,
    )
    assert document.title == "SPDP 03"


def test_a_refused_file_leaves_nothing(case, police_officer):
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            actor=police_officer, owner=case, upload=upload(HTML, "LP.pdf"), kind="lp", title="", dated_on=DAY
        )
    assert list(refused.value.error_dict) == ["file"]
    assert Document.objects.count() == 0 and stored_files() == []


def test_a_failed_database_write_leaves_no_file(case, police_officer, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(DatabaseError):
        services.document_upload(
            actor=police_officer, owner=case, upload=upload(PDF), kind="lp", title="", dated_on=DAY
        )
    assert stored_files() == []


def test_a_failed_file_write_leaves_no_row(case, police_officer, monkeypatch):
    storage = services.document_storage()

    def fail(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "save", fail)
    with pytest.raises(OSError):
        services.document_upload(
            actor=police_officer, owner=case, upload=upload(PDF), kind="lp", title="", dated_on=DAY
        )
    assert Document.objects.count() == 0


def test_a_future_date_is_refused(case, police_officer):
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            actor=police_officer,
            owner=case,
            upload=upload(PDF),
            kind="lp",
            title="",
            dated_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert list(refused.value.error_dict) == ["dated_on"]
    assert stored_files() == []


def test_the_chair_adds_nothing(case, chair):
    with pytest.raises(NotPermitted):
        services.document_upload(
            actor=chair, owner=case, upload=upload(PDF), kind="lp", title="", dated_on=DAY
        )


def test_a_replacement_keeps_the_old_version(lp, police_officer):
    new = services.document_replace(actor=police_officer, document=lp, upload=upload(photo(), "LP jelas.jpg"))
    assert (new.replaces, new.case, new.kind, new.title, new.dated_on) == (lp, lp.case, "lp", lp.title, DAY)
    lp.refresh_from_db()
    assert lp.replaced_by == new and not lp.is_current and new.is_current
    assert len(stored_files()) == 2  # both versions' bytes are kept


def test_a_version_is_replaced_once(lp, police_officer):
    services.document_replace(actor=police_officer, document=lp, upload=upload(PDF))
    with pytest.raises(Conflict):
        services.document_replace(actor=police_officer, document=lp, upload=upload(PDF))
    assert len(stored_files()) == 2  # the refused replacement's file went again


def test_only_the_uploading_agency_replaces_or_withdraws(lp, bp3mi_officer):
    # BP3MI handles the case and sees the document, but the police uploaded it.
    with pytest.raises(NotPermitted):
        services.document_replace(actor=bp3mi_officer, document=lp, upload=upload(PDF))
    with pytest.raises(NotPermitted):
        services.document_withdraw(actor=bp3mi_officer, document=lp, reason="salah kasus")


def test_a_withdrawal_needs_a_reason_and_deletes_nothing(lp, police_officer):
    with pytest.raises(ValidationError):
        services.document_withdraw(actor=police_officer, document=lp, reason="  ")
    withdrawn = services.document_withdraw(
        actor=police_officer, document=lp, reason="Salah unggah: LP kasus lain"
    )
    assert withdrawn.is_withdrawn and withdrawn.withdrawn_by == police_officer
    assert withdrawn.withdrawal_reason == "Salah unggah: LP kasus lain"
    assert Document.objects.filter(pk=lp.pk).exists() and len(stored_files()) == 1
    with pytest.raises(Conflict):
        services.document_replace(actor=police_officer, document=lp, upload=upload(PDF))
    with pytest.raises(Conflict):
        services.document_withdraw(actor=police_officer, document=lp, reason="lagi")


def test_a_document_belongs_to_exactly_one_record(lp):
    from django.db import IntegrityError, transaction

    lp.person = lp.case.victims.get().person
    with pytest.raises(IntegrityError), transaction.atomic():
        lp.save()
