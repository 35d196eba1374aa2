"""Personas shared by every test (STYLE.md §10): the people of DESIGN §1, one account each."""

import pytest

from gugus_tugas.accounts.models import Agency, Role, User

PASSWORD = "sandi-uji-yang-panjang"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Hashing a password properly costs ~0.3 s; tests create dozens of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic; tests serve the files as they lie in static/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # Every test keeps its documents in its own temporary folder, removed with it.
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {
                **settings.STORAGES["documents"].get("OPTIONS", {}),
                "location": tmp_path / "documents",
            },
        },
    }


def make_account(username: str, agency_code: str, role: str = Role.OFFICER, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        agency=Agency.objects.get(code=agency_code),
        role=role,
        first_name=username.capitalize(),
        email=f"{username}@example.org",
        **extra,
    )


@pytest.fixture
def bp3mi_officer(db):
    return make_account("bp3mi", "BP3MI-NTT")


@pytest.fixture
def police_officer(db):
    return make_account("penyidik", "POLDA-NTT")


@pytest.fixture
def prosecutor(db):
    return make_account("jaksa", "KEJARI-KUPANG")


@pytest.fixture
def service_officer(db):
    return make_account("dinsos", "DINSOS-KUPANG")


@pytest.fixture
def outsider(db):
    """An officer of a member agency with nothing to do with the records under test."""
    return make_account("imigrasi", "IMIGRASI-KUPANG")


@pytest.fixture
def chair(db):
    return make_account("ketua", "GT-TPPO-KUPANG", Role.CHAIR)


@pytest.fixture
def admin_user(db):
    return make_account("admin", "GT-TPPO-KUPANG", Role.ADMIN)


@pytest.fixture
def personas(bp3mi_officer, police_officer, prosecutor, service_officer, outsider, chair, admin_user):
    return {
        "bp3mi": bp3mi_officer,
        "police": police_officer,
        "prosecutor": prosecutor,
        "service": service_officer,
        "outsider": outsider,
        "chair": chair,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """A test client logged in as the given account."""

    def login(user):
        client.force_login(user)
        return client

    return login
