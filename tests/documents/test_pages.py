"""The documents' pages: who sees what (beyond the matrix's status codes), the bytes as stored, the
access log, and every bad input an officer's phone can send."""

import datetime
import hashlib
import io
import tracemalloc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from cases.models import CaseHandling
from documents import services
from documents.models import Document
from gugus_tugas.accounts.models import AccessLog
from referrals import services as referral_services
from tests.documents.conftest import stored_files
from tests.documents.samples import HTML, PDF, docx, has_gps, photo, upload
from tests.factories import make_person

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 2)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def upload_page(client, url, **fields):
    data = {"kind": "lp", "title": "", "dated_on": "02/03/2025", **fields}
    return client.post(url, data)


# Who sees what


def test_the_prosecutor_named_at_p21_downloads_the_case_file(client_for, case, lp, prosecutor):
    assert client_for(prosecutor).get(f"/dokumen/{lp.pk}/unduh/").status_code == 404
    CaseHandling.objects.create(case=case, agency=prosecutor.agency, grounds="p21")
    assert client_for(prosecutor).get(f"/dokumen/{lp.pk}/unduh/").status_code == 200


def test_the_chair_sees_counts_by_kind_never_the_documents(client_for, case, lp, chair, police_officer):
    services.document_upload(
        actor=police_officer, owner=case, upload=upload(photo()), kind="photo", title="Foto TKP", dated_on=DAY
    )
    client = client_for(chair)
    page = client.get(f"/kasus/{case.pk}/").content.decode()
    assert "Laporan Polisi (LP): <strong>1</strong>" in page and "Foto: <strong>1</strong>" in page
    assert lp.title not in page and "Foto TKP" not in page and "/dokumen/" not in page
    assert client.get(f"/kasus/{case.pk}/dokumen/").status_code == 403
    for url in (f"/dokumen/{lp.pk}/", f"/dokumen/{lp.pk}/unduh/", f"/api/v1/documents/{lp.pk}/file/"):
        assert client.get(url).status_code == 404


def test_the_administrator_sees_no_document_anywhere(client_for, lp, admin_user):
    client = client_for(admin_user)
    assert "documents" not in client.get("/admin/").content.decode()
    assert client.get("/admin/documents/document/").status_code == 404
    assert client.get(f"/dokumen/{lp.pk}/unduh/").status_code == 404


def test_a_referral_shows_its_papers_to_the_receiver_until_declined(
    client_for, bp3mi_officer, service_officer
):
    person = make_person(bp3mi_officer.agency)
    referral = referral_services.referral_send(
        actor=bp3mi_officer,
        person=person,
        to_agency=service_officer.agency,
        service="shelter",
        reason="Rumah aman",
        consent_on=DAY,
        consent_method="written",
    )
    consent = services.document_upload(
        actor=bp3mi_officer, owner=referral, upload=upload(PDF), kind="consent_form", title="", dated_on=DAY
    )
    identity = services.document_upload(
        actor=bp3mi_officer,
        owner=person,
        upload=upload(photo()),
        kind="identity_document",
        title="",
        dated_on=DAY,
    )
    client = client_for(service_officer)
    for document in (consent, identity):
        assert client.get(f"/dokumen/{document.pk}/unduh/").status_code == 200
    assert "Formulir persetujuan" in client.get(f"/rujukan/{referral.pk}/").content.decode()
    referral_services.referral_change(
        referral=referral, actor=service_officer, action="decline", reason="Penuh"
    )
    for document in (consent, identity):
        assert client.get(f"/dokumen/{document.pk}/unduh/").status_code == 404
    assert client.get(f"/rujukan/{referral.pk}/dokumen/").status_code == 404
    assert 'id="dokumen"' not in client.get(f"/rujukan/{referral.pk}/").content.decode()


# The bytes, the headers and the log


def test_the_downloaded_bytes_hash_to_the_stored_sha256(client_for, case, police_officer, bp3mi_officer):
    document = services.document_upload(
        actor=police_officer, owner=case, upload=upload(photo()), kind="photo", title="", dated_on=DAY
    )
    for url in (f"/dokumen/{document.pk}/unduh/", f"/api/v1/documents/{document.pk}/file/"):
        data = body(client_for(bp3mi_officer).get(url))
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert not has_gps(data)


def test_a_download_is_an_attachment_that_nothing_sniffs_caches_or_runs(client_for, lp, police_officer):
    response = client_for(police_officer).get(f"/dokumen/{lp.pk}/unduh/")
    assert response["Content-Disposition"] == 'attachment; filename="LP-B-12.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["Content-Security-Policy"].endswith("sandbox")


def test_pdf_and_photos_open_in_place_and_office_files_never(client_for, case, lp, police_officer):
    word = services.document_upload(
        actor=police_officer,
        owner=case,
        upload=upload(docx(), "BAP.docx"),
        kind="bap",
        title="",
        dated_on=DAY,
    )
    client = client_for(police_officer)
    assert client.get(f"/dokumen/{lp.pk}/lihat/")["Content-Disposition"].startswith("inline")
    assert client.get(f"/dokumen/{word.pk}/lihat/")["Content-Disposition"].startswith("attachment")


def test_every_download_is_in_the_access_log(client_for, case, lp, bp3mi_officer):
    AccessLog.objects.all().delete()
    client_for(bp3mi_officer).get(f"/dokumen/{lp.pk}/unduh/", REMOTE_ADDR="10.1.2.3")
    entry = AccessLog.objects.get(action="download")
    assert (entry.user, entry.agency, entry.record_type, entry.record_id) == (
        bp3mi_officer,
        bp3mi_officer.agency,
        "document",
        str(lp.pk),
    )
    assert entry.person_ids == [case.victims.get().person_id] and entry.ip_address == "10.1.2.3"


# Uploading from the page


def test_a_photo_from_the_phone_camera_is_kept_without_its_location(client_for, case, police_officer):
    client = client_for(police_officer)
    response = upload_page(client, f"/kasus/{case.pk}/dokumen/", photo=upload(photo(), "IMG_20250302.jpg"))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#dokumen-{document.pk}")
    assert not has_gps(stored_files()[0].read_bytes())
    page = client.get(f"/kasus/{case.pk}/dokumen/").content.decode()
    assert document.sha256 in page and 'capture="environment"' in page


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (HTML, "LP.pdf", "Isi berkas ini bukan PDF"),
        (b"", "kosong.pdf", "kosong"),
        (b"", "LP-0-byte.pdf", "kosong"),
    ],
)
def test_bad_files_get_a_clear_indonesian_message_and_leave_nothing(
    client_for, case, police_officer, data, name, says
):
    response = upload_page(client_for(police_officer), f"/kasus/{case.pk}/dokumen/", file=upload(data, name))
    assert response.status_code == 200 and says in response.content.decode()
    assert Document.objects.count() == 0 and stored_files() == []


def test_a_file_name_with_a_path_and_a_nul_is_only_a_clean_label(client_for, case, police_officer):
    upload_page(
        client_for(police_officer), f"/kasus/{case.pk}/dokumen/", file=upload(PDF, "../../etc/lp\x00.pdf")
    )
    document = Document.objects.get()
    assert document.file_name == "lp.pdf" and ".." not in document.stored_name
    assert stored_files()[0].name == document.stored_name.rsplit("/", 1)[-1]


def test_a_photo_and_a_file_at_once_are_refused(client_for, case, police_officer):
    response = upload_page(
        client_for(police_officer), f"/kasus/{case.pk}/dokumen/", photo=upload(photo()), file=upload(PDF)
    )
    assert "bukan keduanya" in response.content.decode() and Document.objects.count() == 0


def test_a_file_larger_than_the_request_body_limit_for_forms_uploads(
    client_for, case, police_officer, settings
):
    # DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) bounds form fields, not files: a 6 MB scan goes in.
    scan = PDF + b"%" + b"0" * (6 * 1024 * 1024)
    upload_page(client_for(police_officer), f"/kasus/{case.pk}/dokumen/", file=upload(scan, "scan.pdf"))
    assert Document.objects.get().size == len(scan) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_file_just_over_the_limit_is_refused_with_the_limit_named(
    client_for, case, police_officer, settings
):
    settings.DOCUMENT_MAX_MB = 1
    response = upload_page(
        client_for(police_officer), f"/kasus/{case.pk}/dokumen/", file=upload(PDF + b"0" * 1024 * 1024)
    )
    assert "lebih dari 1 MB" in response.content.decode() and stored_files() == []


class Endless(io.RawIOBase):
    """A request body of `size` bytes made as it is read, counting what was read."""

    def __init__(self, size):
        self.size, self.read_so_far = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_so_far)
        buffer[:n] = b"\0" * n
        self.read_so_far += n
        return n


# Real transactions: the upload views run outside the request's, as in production (DRF marks an
# enclosing test transaction for rollback when it answers an error).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("url", ["/kasus/{pk}/dokumen/", "/api/v1/cases/{pk}/documents/"])
def test_a_200_mb_upload_is_refused_before_its_body_is_read(client_for, case, police_officer, url):
    client = client_for(police_officer)
    stream = Endless(200 * 1024 * 1024)
    environ = RequestFactory().post(url.format(pk=case.pk)).environ
    environ.update(
        {
            "wsgi.input": stream,
            "CONTENT_LENGTH": str(stream.size),
            "CONTENT_TYPE": "multipart/form-data; boundary=batas",
            "HTTP_COOKIE": "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items()),
        }
    )
    statuses = []
    tracemalloc.start()
    WSGIHandler()(environ, lambda status, headers, *args: statuses.append(status))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert statuses[0].startswith("413")
    assert stream.read_so_far == 0 and peak < 5 * 1024 * 1024
    assert Document.objects.count() == 0


# The referral letter


def test_the_referral_letter_prints_and_leads_to_the_consent_form_upload(
    client_for, bp3mi_officer, service_officer
):
    person = make_person(bp3mi_officer.agency, full_name="Yohana Bria")
    referral = referral_services.referral_send(
        actor=bp3mi_officer,
        person=person,
        to_agency=service_officer.agency,
        service="shelter",
        reason="Rumah aman",
        consent_on=DAY,
        consent_method="written",
    )
    client = client_for(bp3mi_officer)
    letter = client.get(f"/rujukan/{referral.pk}/surat/").content.decode()
    for expected in (
        "SURAT RUJUKAN",
        referral.number,
        "Dinas Sosial Kota Kupang",
        "Rumah aman",
        "Yohana Bria",
    ):
        assert expected in letter
    assert "Pernyataan persetujuan" in letter and "Tanda tangan" not in letter.split("signatures")[0]
    assert f"/rujukan/{referral.pk}/dokumen/?kind=consent_form#unggah" in letter
    form = client.get(f"/rujukan/{referral.pk}/dokumen/?kind=consent_form").content.decode()
    assert '<option value="consent_form" selected>' in form
    assert AccessLog.objects.filter(record_type="referral_letter", person_ids=[person.pk]).exists()


def test_a_refused_photo_is_named_at_the_camera_input(client_for, case, police_officer):
    response = upload_page(
        client_for(police_officer), f"/kasus/{case.pk}/dokumen/", photo=upload(HTML, "IMG.jpg")
    )
    assert response.context["form"].errors["photo"][0].startswith("Isi berkas ini bukan JPEG")
