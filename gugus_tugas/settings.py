"""Settings for the Gugus Tugas TPPO case tracker.

One file for every environment: each value a deployment may need to change is read from an
environment variable (documented in README.md, "Konfigurasi / Configuration"). Secure defaults hold
whenever DEBUG is off; a plain-HTTP run relaxes them one by one through variables named like the
Django settings.
"""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gugus_tugas.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Commands that only write code or files and never sign or serve anything (a build step, a migration
# check) run without a secret; everything else refuses to start without one when DEBUG is off.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    offline = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in OFFLINE_COMMANDS
    if not (DEBUG or offline):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=True for a demo."
        )
    SECRET_KEY = "insecure-key-for-demo-and-offline-commands-only"  # noqa: S105 - never serves with DEBUG off

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "gugus_tugas.accounts.apps.TaskForceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_tasks",
    "gugus_tugas.accounts.apps.BackgroundWorkConfig",  # django_tasks_db
    "gugus_tugas.accounts",
    "cases",
    "referrals",
    "documents",
    "gugus_tugas.dashboard",
    # A tool, not the product: manage.py generate_national (synthetic data for benchmarks/).
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gugus_tugas.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gugus_tugas.middleware.PageLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gugus_tugas.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' documented position).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gugus_tugas.urls"
WSGI_APPLICATION = "gugus_tugas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gugus_tugas.accounts.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is a SQLite file so that the demo runs with nothing but Python; production and
# CI use PostgreSQL through DATABASE_URL (postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Every request is one transaction: a write never lands half-done, whatever view makes it. Services
# open their own (nested) transactions too, so that the seeder and commands get the same guarantee.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost passes a threshold; for this application's
    # queries the compiling took longer than the query (267 ms of 356 ms for the dashboard's deadlines
    # at national scale), so it is off for the application's connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo: every request is a transaction and page views write the access log, so two officers at
    # once both write. SQLite's default deferred transactions then fail one of them with "database is
    # locked"; taking the write lock at BEGIN makes the second wait for the first instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
# A streaming replica for the pages that read much (gugus_tugas/replica.py). Under the test runner the
# alias mirrors the test database; the replica tests point it at the replica's copy of it.
if env_str("DATABASE_REPLICA_URL") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["replica"] = {
        **dj_database_url.parse(
            env_str("DATABASE_REPLICA_URL"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        # A replica that does not answer in 2 s counts as down: its pages read the primary.
        "OPTIONS": {"options": "-c jit=off", "connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["gugus_tugas.replica.ReplicaRouter"]
READ_REPLICA = "replica" in DATABASES
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "gugus_tugas.accounts.authentication.TaskForceBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions expire: every request pushes the expiry forward, so SESSION_IDLE_MINUTES of silence
# logs the officer out (a shared phone at the port must not stay signed in).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# An API token is good for this many hours after it was issued (a working day by default).
API_TOKEN_LIFETIME = timedelta(hours=env_int("API_TOKEN_HOURS", 12, minimum=1))

# Login throttling (django-axes): an account or an address is locked after AXES_FAILURE_LIMIT failures
# for AXES_COOLOFF_MINUTES; pages and the API token endpoint alike.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gugus_tugas.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "gugus_tugas.accounts.selectors.client_ip"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# Ours first; then the messages Django REST framework and django-filter ship without Indonesian.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "third_party"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"
USE_TZ = True
# dd/mm/yyyy in both languages (gugus_tugas/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["gugus_tugas.formats"]
LANGUAGE_COOKIE_NAME = "bahasa"
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Documents (DESIGN §13): the papers of the case files, in the storage named "documents". By default a
# private folder that no URL serves (downloads go through a view that checks who may see them); a
# deployment on several machines keeps them in an S3-compatible bucket (django-storages).
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT") or BASE_DIR / "var" / "documents").resolve()
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 20, minimum=1)


def documents_storage() -> dict:
    kind = env_str("DOCUMENTS_STORAGE", "filesystem")
    if kind == "filesystem":
        served = [Path(STATIC_ROOT).resolve(), *(Path(folder).resolve() for folder in STATICFILES_DIRS)]
        if any(folder == DOCUMENTS_ROOT or folder in DOCUMENTS_ROOT.parents for folder in served):
            raise ImproperlyConfigured(f"DOCUMENTS_ROOT ({DOCUMENTS_ROOT}) must not lie in a static folder.")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": DOCUMENTS_ROOT,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    if kind == "s3":
        bucket = env_str("DOCUMENTS_S3_BUCKET")
        if not bucket:
            raise ImproperlyConfigured("DOCUMENTS_S3_BUCKET must name the bucket when DOCUMENTS_STORAGE=s3.")
        options = {
            "bucket_name": bucket,
            "location": env_str("DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        }
        # Unset, boto3 finds them as usual (AWS_* variables, an instance role).
        for option, variable in [
            ("endpoint_url", "DOCUMENTS_S3_ENDPOINT_URL"),
            ("region_name", "DOCUMENTS_S3_REGION"),
            ("access_key", "DOCUMENTS_S3_ACCESS_KEY_ID"),
            ("secret_key", "DOCUMENTS_S3_SECRET_ACCESS_KEY"),
            ("addressing_style", "DOCUMENTS_S3_ADDRESSING_STYLE"),
        ]:
            if env_str(variable):
                options[option] = env_str(variable)
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f"DOCUMENTS_STORAGE must be filesystem or s3, not {kind!r}.")


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    "documents": documents_storage(),
}
# Tests and a demo without collectstatic still find the files beside the code.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_MANIFEST_STRICT = False

# Security. With DEBUG off everything is on by default; each may be relaxed by its own variable.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# Content Security Policy (django-csp): no inline script, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# E-mail: the console in a demo, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Gugus Tugas TPPO <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The dashboard's answers are cached (gugus_tugas/dashboard/caching.py): in Redis when CACHE_URL names
# one (redis://127.0.0.1:6379/0), shared by every process; otherwise in each process's memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gugus-tugas"),
        }
        if env_str("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}
    )
}
# Memory of one process is right for one process (the demo); gunicorn's several processes would each
# keep answers that another process's write cannot reach, so there the dashboard is cached only in Redis.
DASHBOARD_CACHE = bool(env_str("CACHE_URL")) or DEBUG

# The dashboard's sections are computed this many at a time, each on its own connection (fanout.py).
DASHBOARD_THREADS = env_int(
    "DASHBOARD_THREADS", 3 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0
)

# Background work (e-mail) runs through Django's task framework (the django-tasks backport). In
# production the database backend queues it and `manage.py db_worker` runs it, retrying e-mail while the
# mail server is down; the demo (DEBUG) and the tests run each task at once, in the request.
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", IMMEDIATE_TASKS if DEBUG else "django_tasks_db.DatabaseBackend")
    }
}

# The address printed in e-mails so that a link leads back to the system.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gugus_tugas.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable HTML API fills its forms' drop-downs with every person the officer may
    # see, by name, outside the access log. The documentation at /api/docs/ is the way to explore.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gugus_tugas.api.exception_handler",
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
FILTERS_EMPTY_CHOICE_LABEL = _("All")
SPECTACULAR_SETTINGS = {
    "TITLE": "Gugus Tugas TPPO Kota Kupang API",
    "DESCRIPTION": "Arrival log, cases, referrals and dashboard of the anti-trafficking task force.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "cases.countries.CODES_SORTED",
        "StageEnum": "cases.choices.Stage",
        "DocumentKindEnum": "documents.models.DocumentKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
