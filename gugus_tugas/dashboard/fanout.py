"""Independent dashboard queries at the same time. The page and the workbook need every section, each
one aggregate query (or a few) that PostgreSQL runs on one core; run one after another they leave the
other core idle and add up. Here they run DASHBOARD_THREADS at a time, each on a database connection of
its own (closed when done), with the request's context: its language and the database it reads from
(gugus_tugas.replica). With DASHBOARD_THREADS below 2 (SQLite,
the tests, whose rows are uncommitted and so invisible to another connection) they run in turn."""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import translation

_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None or _executor._max_workers != settings.DASHBOARD_THREADS:
        _executor = ThreadPoolExecutor(settings.DASHBOARD_THREADS, thread_name_prefix="dashboard")
    return _executor


def _on_own_connection(call: Callable, language: str):
    try:
        with translation.override(language):  # Django keeps the language per thread, not per context
            return call()
    finally:
        # A few milliseconds to connect again next time, but no idle connection per thread left behind.
        connections.close_all()


def run_all(calls: dict[str, Callable]) -> dict:
    """{key: call()} for every call, started in the given order (put the slowest first)."""
    if settings.DASHBOARD_THREADS < 2:
        return {key: call() for key, call in calls.items()}
    futures = {
        key: _pool().submit(
            contextvars.copy_context().run, _on_own_connection, call, translation.get_language()
        )
        for key, call in calls.items()
    }
    return {key: future.result() for key, future in futures.items()}
