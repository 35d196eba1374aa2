"""The documents API (DESIGN §19): a case's documents as multipart in, the record, the bytes; 404 to
whoever may not see the case."""

import hashlib

import pytest
from drf_spectacular.generators import SchemaGenerator

from documents.models import Document
from gugus_tugas.accounts.models import AccessLog
from tests.documents.conftest import stored_files
from tests.documents.samples import HTML, PDF, photo, upload

# Real transactions, as the upload runs in production (outside the request's transaction).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def api(client_for):
    def as_(user):
        return client_for(user)

    return as_


def post(client, case, **fields):
    data = {"kind": "lp", "title": "LP/B/12", "dated_on": "2025-03-02", **fields}
    return client.post(f"/api/v1/cases/{case.pk}/documents/", data, HTTP_ACCEPT_LANGUAGE="id")


def test_an_officer_uploads_lists_reads_and_downloads(api, case, police_officer, bp3mi_officer):
    created = post(api(police_officer), case, file=upload(photo(), "IMG.jpg"))
    assert created.status_code == 201
    record = created.json()
    assert {
        key: record[key] for key in ("kind", "title", "content_type", "uploaded_by", "agency", "case")
    } == {
        "kind": "lp",
        "title": "LP/B/12",
        "content_type": "image/jpeg",
        "uploaded_by": "penyidik",
        "agency": "POLDA-NTT",
        "case": case.pk,
    }
    client = api(bp3mi_officer)
    listed = client.get(f"/api/v1/cases/{case.pk}/documents/").json()
    assert listed["count"] == 1 and listed["results"][0]["sha256"] == record["sha256"]
    assert client.get(f"/api/v1/documents/{record['id']}/").json()["size"] == record["size"]
    data = b"".join(client.get(f"/api/v1/documents/{record['id']}/file/").streaming_content)
    assert hashlib.sha256(data).hexdigest() == record["sha256"] and len(data) == record["size"]
    assert AccessLog.objects.filter(
        action="download", record_id=str(record["id"]), user=bp3mi_officer
    ).exists()


def test_a_bad_file_is_a_400_in_indonesian_and_leaves_nothing(api, case, police_officer):
    response = post(api(police_officer), case, file=upload(HTML, "LP.pdf"))
    assert response.status_code == 400
    assert "bukan PDF" in response.json()["file"][0]
    assert Document.objects.count() == 0 and stored_files() == []


def test_json_is_not_an_upload(api, case, police_officer):
    response = api(police_officer).post(
        f"/api/v1/cases/{case.pk}/documents/", {"kind": "lp"}, content_type="application/json"
    )
    assert response.status_code == 415


def test_404_to_whoever_may_not_see_the_case_and_403_to_the_chair(api, case, outsider, chair, admin_user):
    for user in (outsider, admin_user):
        assert api(user).get(f"/api/v1/cases/{case.pk}/documents/").status_code == 404
        assert post(api(user), case, file=upload(PDF)).status_code == 404
    assert api(chair).get(f"/api/v1/cases/{case.pk}/documents/").status_code == 403
    assert Document.objects.count() == 0


def test_the_schema_declares_multipart_for_the_upload_and_binary_for_the_file():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    upload_body = paths["/api/v1/cases/{id}/documents/"]["post"]["requestBody"]["content"]
    assert list(upload_body) == ["multipart/form-data"]
    assert upload_body["multipart/form-data"]["schema"]["$ref"].endswith("/DocumentUploadRequest")
    assert "requestBody" not in paths["/api/v1/cases/{id}/documents/"]["get"]
    file_answers = paths["/api/v1/documents/{id}/file/"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "image/jpeg"} <= set(file_answers)
