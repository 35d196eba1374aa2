import pytest
import time_machine
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Masuk" in response.text
    assert 'lang="id"' in response.text


def test_an_officer_logs_in_and_out(client, police_officer):
    response = client.post(reverse("login"), {"username": "penyidik", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in (200, 302)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_a_wrong_password_is_explained_in_indonesian(client, police_officer):
    response = client.post(reverse("login"), {"username": "penyidik", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.text


def test_an_account_is_locked_after_repeated_failures(client, settings, police_officer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "penyidik", "password": "salah"}, REMOTE_ADDR="10.0.0.1")
    # Even the right password from another address is refused while the account is locked.
    locked = client.post(
        reverse("login"), {"username": "penyidik", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert locked.status_code == 429
    assert "terkunci" in locked.text


def test_an_address_is_locked_after_failures_across_accounts(client, settings, police_officer):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": f"tebakan{attempt}", "password": "x"}, REMOTE_ADDR="10.9.9.9"
        )
    locked = client.post(
        reverse("login"), {"username": "penyidik", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429


def test_an_idle_session_expires(client, settings, police_officer):
    with time_machine.travel("2026-03-02 08:00 +0800", tick=False) as clock:
        client.post(reverse("login"), {"username": "penyidik", "password": PASSWORD})
        clock.shift(settings.SESSION_COOKIE_AGE - 60)
        assert client.get(reverse("password_change")).status_code == 200  # activity keeps it alive
        clock.shift(settings.SESSION_COOKIE_AGE + 1)
        response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_officer_changes_the_password(client, police_officer):
    client.force_login(police_officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "kupang-baru-2026!",
            "new_password2": "kupang-baru-2026!",
        },
    )
    assert response.status_code == 302
    police_officer.refresh_from_db()
    assert police_officer.check_password("kupang-baru-2026!")


def test_the_password_page_says_kata_sandi_as_every_other_page(client, police_officer):
    client.force_login(police_officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": "kupang-baru-2026!", "new_password2": "kupang-lain-2026!"},
    )
    assert "Kata sandi lama yang Anda masukkan salah" in response.text
    assert "Kedua isian kata sandi tidak sama." in response.text
    assert "Sandi lama" not in response.text


def test_a_deactivated_agency_ends_its_officers_sessions_logins_and_tokens(client, police_officer):
    token = client.post(
        "/api/v1/auth/token/", {"username": "penyidik", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    client.post(reverse("login"), {"username": "penyidik", "password": PASSWORD})
    assert client.get(reverse("cases:case_list")).status_code == 200
    police_officer.agency.is_active = False
    police_officer.agency.save()
    assert client.get(reverse("cases:case_list")).status_code == 302  # the open session is over
    client.logout()
    refused = client.post(reverse("login"), {"username": "penyidik", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    refused_token = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refused_token.status_code == 401
    assert refused_token.json() == {"detail": "Akun tidak aktif atau sudah dihapus."}
