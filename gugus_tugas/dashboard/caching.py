"""The dashboard's answers in the cache (DESIGN §18): Redis through CACHE_URL; without it only in the demo
(DEBUG), whose one process may keep them in its own memory.

Each cached selector names the models it reads. Every table has a version in the cache, a random token;
a write to the table gives it a new one, so an answer cached under the old tokens is never found again.
Writes are seen where they happen, in the database layer (an execute wrapper on every connection), so no
service, import or bulk update can forget to say so; a write that bypasses Django (the generator's COPY)
calls forget_everything(). The token changes when the statement runs, for the reads of the same
transaction, and again when the transaction commits, for readers who computed from the old rows in
between; an answer computed inside a transaction that has written is not kept.

No answer is older than the reader's own last write: with a replica, each answer is kept with the WAL
position it was computed at and served only to a reader whose last write (gugus_tugas.replica) it
includes. Answers also expire after TTL_SECONDS and carry the day in their key, since "overdue now" and
"days late" move with the clock, not only with writes."""

import functools
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from gugus_tugas import replica

logger = logging.getLogger(__name__)

TTL_SECONDS = 300
_TABLE_WRITTEN = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_watched: set[str] = set()  # tables that some cached answer reads


def _version_key(table: str) -> str:
    return f"dashboard:table:{table}"


def table_written(table: str) -> None:
    """Give the table a new version: every answer that read it is forgotten."""
    try:
        cache.set(_version_key(table), uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: answers expire after TTL_SECONDS all the same
        logger.exception("Could not mark %s as changed in the cache", table)


def forget_everything() -> None:
    """For writes that bypass Django's database layer (COPY): every answer is forgotten."""
    for table in _watched:
        table_written(table)


def watch_writes(execute, sql, params, many, context):
    """Database execute wrapper: after a write to a watched table, forget the answers that read it."""
    result = execute(sql, params, many, context)
    found = _TABLE_WRITTEN.match(sql)
    if found and found[1] in _watched:
        table = found[1]
        table_written(table)
        connection = context["connection"]
        if connection.in_atomic_block:
            transaction.on_commit(functools.partial(table_written, table), using=connection.alias)
    return result


def _versions(tables: list[str]) -> str:
    keys = [_version_key(table) for table in tables]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # A version that is missing (never written, or evicted) starts as a new token, so that an
            # answer kept under an earlier token of that table can never be found again.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return "-".join(found[key] for key in keys)


def _fresh_enough(at: int | None) -> bool:
    own = replica.own_write_position()
    return own is None or at is None or at >= own


def cached(*models) -> Callable:
    """Cache a dashboard selector of a Period by the versions of the models' tables it reads."""
    tables = sorted(model._meta.db_table for model in models)
    _watched.update(tables)

    def decorate(selector):
        @functools.wraps(selector)
        def answer(period, **options):
            if not settings.DASHBOARD_CACHE:
                return selector(period, **options)
            agency = period.agency.pk if period.agency else ""
            try:
                key = (
                    f"dashboard:{selector.__name__}:{period.year_from}-{period.year_to}-{agency}:"
                    f"{sorted(options.items())}:{timezone.localdate()}:{_versions(tables)}"
                )
                kept = cache.get(key)
            except Exception:
                logger.exception("The cache does not answer; computing %s", selector.__name__)
                return selector(period, **options)
            if kept is not None and _fresh_enough(kept[0]):
                return kept[1]
            at = replica.position(replica.reading_from()) if replica.configured() else None
            result = selector(period, **options)
            if not connections["default"].run_on_commit:  # this transaction has written nothing
                try:
                    cache.set(key, (at, result), timeout=TTL_SECONDS)
                except Exception:
                    logger.exception("Could not keep %s in the cache", selector.__name__)
            return result

        return answer

    return decorate
