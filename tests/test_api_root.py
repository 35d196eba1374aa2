import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_token_endpoint_returns_a_token_that_authenticates(client, police_officer):
    response = client.post(
        "/api/v1/auth/token/", {"username": "penyidik", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    root = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}")
    assert root.status_code == 200


def test_a_bad_password_on_the_token_endpoint_is_400_in_indonesian(client, police_officer):
    response = client.post(
        "/api/v1/auth/token/", {"username": "penyidik", "password": "salah"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Tidak dapat masuk dengan data pengguna ini."]}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_token_endpoint_locks_after_repeated_failures(client, settings, police_officer):
    # Transactional: the failed attempts must survive DRF's rollback of each failed request, as they
    # do in production, where no test transaction surrounds the request.
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token/",
            {"username": "penyidik", "password": "salah"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/auth/token/", {"username": "penyidik", "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429
    assert "terkunci" in locked.json()["detail"]


def test_schema_and_docs_are_served_offline(client, police_officer):
    client.force_login(police_officer)
    schema = client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.text
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html and "http://" not in html
    assert "<style>" not in html  # the CSP allows no inline style


def test_a_token_expires_and_the_token_endpoint_then_issues_a_new_one(client, settings, police_officer):
    credentials = {"username": "penyidik", "password": PASSWORD}
    with time_machine.travel("2026-11-28 08:00 +0800", tick=False):
        token = client.post("/api/v1/auth/token/", credentials, content_type="application/json").json()[
            "token"
        ]
    within = (
        datetime.datetime(2026, 11, 28, 8, tzinfo=ZoneInfo("Asia/Makassar")) + settings.API_TOKEN_LIFETIME
    )
    with time_machine.travel(within - datetime.timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
        again = client.post("/api/v1/auth/token/", credentials, content_type="application/json").json()[
            "token"
        ]
        assert again == token  # one token per account while it is good
    with time_machine.travel(within + datetime.timedelta(minutes=1), tick=False):
        expired = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}")
        assert expired.status_code == 401
        assert expired.json() == {"detail": "Token sudah kedaluwarsa; mintalah token baru."}
        fresh = client.post("/api/v1/auth/token/", credentials, content_type="application/json").json()[
            "token"
        ]
        assert fresh != token
        assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_a_new_password_ends_the_api_token(client, police_officer):
    token = client.post(
        "/api/v1/auth/token/", {"username": "penyidik", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    client.force_login(police_officer)
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "kupang-baru-2026!",
            "new_password2": "kupang-baru-2026!",
        },
    )
    assert changed.status_code == 302
    client.logout()
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    fresh = client.post(
        "/api/v1/auth/token/",
        {"username": "penyidik", "password": "kupang-baru-2026!"},
        content_type="application/json",
    ).json()["token"]
    assert fresh != token
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200
