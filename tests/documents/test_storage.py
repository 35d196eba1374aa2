"""Where the documents live: a private folder by default, an S3-compatible bucket by environment
variables (README "Configuration"). There is no S3 here: the bucket is moto's, in this process."""

import datetime
import hashlib
import json

import boto3
import pytest
from django.core.files.storage import storages
from moto import mock_aws
from storages.backends.s3 import S3Storage

from documents import services
from documents.models import Document
from tests.documents.samples import PDF, photo, upload
from tests.test_settings import ROOT, settings_in_subprocess

BASE = {"SECRET_KEY": "k" * 50, "DEBUG": "False"}


def documents_setting(**env) -> dict:
    completed = settings_in_subprocess(
        'json.dumps(settings.STORAGES["documents"], default=str)'.replace("json.", "__import__('json')."),
        **BASE,
        **env,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_by_default_a_private_folder_outside_every_served_one():
    setting = documents_setting()
    assert setting["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert setting["OPTIONS"]["location"] == str(ROOT / "var" / "documents")
    assert setting["OPTIONS"]["file_permissions_mode"] == 0o600


def test_documents_root_moves_the_folder_but_never_into_static(tmp_path):
    assert documents_setting(DOCUMENTS_ROOT=str(tmp_path))["OPTIONS"]["location"] == str(tmp_path)
    refused = settings_in_subprocess(
        "settings.DEBUG", **BASE, DOCUMENTS_ROOT=str(ROOT / "static" / "dokumen")
    )
    assert refused.returncode != 0 and "must not lie in a static folder" in refused.stderr


def test_s3_is_read_from_the_environment():
    setting = documents_setting(
        DOCUMENTS_STORAGE="s3",
        DOCUMENTS_S3_BUCKET="gugus-tugas-dokumen",
        DOCUMENTS_S3_ENDPOINT_URL="https://s3.kupang.example",
        DOCUMENTS_S3_REGION="ap-southeast-3",
        DOCUMENTS_S3_ACCESS_KEY_ID="AKIA-TEST",
        DOCUMENTS_S3_SECRET_ACCESS_KEY="rahasia",
        DOCUMENTS_S3_PREFIX="kupang",
        DOCUMENTS_S3_ADDRESSING_STYLE="path",
    )
    assert setting == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "gugus-tugas-dokumen",
            "location": "kupang",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "endpoint_url": "https://s3.kupang.example",
            "region_name": "ap-southeast-3",
            "access_key": "AKIA-TEST",
            "secret_key": "rahasia",
            "addressing_style": "path",
        },
    }


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DOCUMENTS_STORAGE": "s3"}, "DOCUMENTS_S3_BUCKET must name the bucket"),
        ({"DOCUMENTS_STORAGE": "ftp"}, "DOCUMENTS_STORAGE must be filesystem or s3, not 'ftp'"),
        ({"DOCUMENT_MAX_MB": "0"}, "DOCUMENT_MAX_MB must be at least 1"),
    ],
)
def test_a_wrong_storage_setting_stops_start_up(env, says):
    completed = settings_in_subprocess("settings.DEBUG", **BASE, **env)
    assert completed.returncode != 0 and says in completed.stderr


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="dokumen")
        settings.STORAGES = {
            **settings.STORAGES,
            "documents": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "dokumen", "location": "kupang", "region_name": "us-east-1"},
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket="dokumen").get("Contents", [])]


@pytest.mark.django_db
def test_documents_go_to_the_bucket_and_come_back_the_same(bucket, client_for, case, police_officer):
    assert isinstance(storages["documents"], S3Storage)
    document = services.document_upload(
        actor=police_officer,
        owner=case,
        upload=upload(photo(), "IMG.jpg"),
        kind="photo",
        title="",
        dated_on=datetime.date(2025, 3, 2),
    )
    assert keys(bucket) == [f"kupang/{document.stored_name}"]
    data = b"".join(client_for(police_officer).get(f"/dokumen/{document.pk}/unduh/").streaming_content)
    assert hashlib.sha256(data).hexdigest() == document.sha256


@pytest.mark.django_db
def test_a_failed_database_write_leaves_nothing_in_the_bucket(bucket, case, police_officer, monkeypatch):
    monkeypatch.setattr(
        Document, "full_clean", lambda *args, **kwargs: (_ for _ in ()).throw(OSError("gone"))
    )
    with pytest.raises(OSError):
        services.document_upload(
            actor=police_officer,
            owner=case,
            upload=upload(PDF),
            kind="lp",
            title="",
            dated_on=datetime.date(2025, 3, 2),
        )
    assert keys(bucket) == []
