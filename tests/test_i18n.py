import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk" in response.text


def test_the_switch_turns_pages_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).text
    client.post(reverse("set_language"), {"language": "id", "next": reverse("login")})
    assert "Masuk" in client.get(reverse("login")).text


def test_api_errors_follow_accept_language_indonesian_by_default(client):
    default = client.get("/api/v1/")
    assert default.status_code in (401, 403)
    assert default.json()["detail"] == "Data autentikasi tidak diberikan."
    english = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Authentication credentials were not provided."
