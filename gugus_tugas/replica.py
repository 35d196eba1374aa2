"""Reads from a PostgreSQL streaming replica (DESIGN §18), when DATABASE_REPLICA_URL names one.

The pages that read much and write nothing of their own (REPLICA_PAGES: the lists, the dashboard, its
exports and its API) read the records of the cases and referrals apps from the replica; everything
else, and every write, goes to the primary. Accounts and sessions are always read from the primary, so
that a deactivated officer or a new login is never read from a copy that has not caught up.

An officer never misses their own write. After a request that may have written (any method but GET,
HEAD and OPTIONS) the session keeps the primary's WAL position and the time; for STICKY_SECONDS the
session reads the primary, and after that the replica only once it has replayed up to that position
(the dashboard's cache holds its answers to the same rule: gugus_tugas.dashboard.caching). The API's
lists stay on the primary: a client with a token has no session to keep its position in.
A replica that does not answer sends reads to the primary for DOWN_SECONDS before it is tried again.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
REPLICATED_APPS = {"cases", "referrals"}
REPLICA_PAGES = {
    "cases:returnee_list",
    "cases:case_list",
    "referrals:inbox",
    "referrals:outbox",
    "dashboard:index",
    "dashboard:export",
    "dashboard-list",
    *(
        f"dashboard-{section}"
        for section in ("yearly", "stages", "deadlines", "referrals", "victims", "obstacles", "returnees")
    ),
}
STICKY_SECONDS = 5
DOWN_SECONDS = 10
SESSION_KEY = "_primary_wal"  # [WAL position as an integer, time of the write]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_reads_from: ContextVar[str | None] = ContextVar("reads_from", default=None)
_own_write: ContextVar[int | None] = ContextVar("own_write", default=None)
_down_until = 0.0


def configured() -> bool:
    return settings.READ_REPLICA and REPLICA in settings.DATABASES


def wal_position(text: str | None) -> int | None:
    """A WAL position ("16/B374D848") as a number that orders like the position."""
    if text is None:
        return None
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def position(alias: str) -> int | None:
    """How far the data read through `alias` goes: the primary's current WAL position, or what the
    replica has replayed. None on a database that has no WAL (SQLite) or is not a replica."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    query = "SELECT pg_last_wal_replay_lsn()" if alias == REPLICA else "SELECT pg_current_wal_lsn()"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return wal_position(cursor.fetchone()[0])


def reading_from() -> str:
    """The database this request reads the replicated apps from."""
    return _reads_from.get() or "default"


def own_write_position() -> int | None:
    """The WAL position of the session's last write, if it wrote (None without a replica)."""
    return _own_write.get()


@contextmanager
def reads(alias: str | None, own_write: int | None = None):
    """Within: the replicated apps are read from `alias` (None: the primary), for a reader whose last
    write is at `own_write`."""
    tokens = (_reads_from.set(alias), _own_write.set(own_write))
    try:
        yield
    finally:
        _reads_from.reset(tokens[0])
        _own_write.reset(tokens[1])


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return reading_from() if model._meta.app_label in REPLICATED_APPS else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def _replica_has_replayed(wrote: int | None) -> bool:
    """Whether the replica answers and has replayed up to `wrote`; a replica that fails to answer is
    left alone for DOWN_SECONDS."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        replayed = position(REPLICA)
    except DatabaseError as error:
        _down_until = time.monotonic() + DOWN_SECONDS
        connections[REPLICA].close()
        logger.warning("The read replica does not answer; reading the primary: %s", error)
        return False
    return wrote is None or replayed is None or replayed >= wrote


class ReplicaMiddleware:
    """Chooses the database a request reads from and, after a write, remembers the primary's position
    in the session. After SessionMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        wrote = request.session.get(SESSION_KEY)
        with reads(None, wrote[0] if wrote else None):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and request.session.session_key:
            # Only a browser's session: an API client with a token has none to keep it in.
            request.session[SESSION_KEY] = [position("default"), time.time()]
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not configured() or request.resolver_match.view_name not in REPLICA_PAGES:
            return
        wrote = request.session.get(SESSION_KEY)
        if wrote and time.time() - wrote[1] < STICKY_SECONDS:
            return
        if _replica_has_replayed(wrote[0] if wrote else None):
            _reads_from.set(REPLICA)
