"""Personas shared by every test (STYLE.md §10): the people of DESIGN §1, one account each."""

import os
import uuid

import pytest
from django.core.cache import cache

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
    # A test's writes are uncommitted, and a replica sees only committed data: every test reads the
    # primary, except tests/test_replica.py, which commits and turns replica reads on.
    settings.READ_REPLICA = False
    # Likewise another connection would not see them: the dashboard's sections are computed in turn.
    settings.DASHBOARD_THREADS = 0
    # Each test starts with an empty cache of its own (the dashboard's answers), whatever CACHE_URL says.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()


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


@pytest.fixture
def redis_cache(settings):
    """The dashboard cached in the real Redis (127.0.0.1:6379, database 13, or TEST_REDIS_URL), under a
    key prefix of this test's own; skipped where no Redis answers, except with REQUIRE_TOOLS (CI)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_TOOLS"):
            pytest.fail(f"Redis does not answer at {url}: {error}")
        pytest.skip(f"Redis does not answer at {url}")
    prefix = f"gugus-tugas-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.DASHBOARD_CACHE = True
    yield server
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
