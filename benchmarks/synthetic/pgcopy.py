"""Rows into PostgreSQL with COPY, in chunks from memory: tens of times faster than one INSERT per row."""

import datetime
import io
import json
import time
from collections import defaultdict

NULL = "\\N"


def text(value: str) -> str:
    """A string as COPY's text format reads it (backslash, tab and line breaks escaped)."""
    if not value:
        return ""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def day(value: datetime.date | None) -> str:
    return NULL if value is None else value.isoformat()


def moment(value: datetime.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def flag(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


def number(value: int | None) -> str:
    return NULL if value is None else str(value)


def as_json(value: dict) -> str:
    return text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


class Timings:
    """Rows and seconds per table (COPY) and per phase (generating in Python), for the closing report."""

    def __init__(self):
        self.rows = defaultdict(int)
        self.copy_seconds = defaultdict(float)
        self.phases: list[tuple[str, float]] = []

    def phase(self, name: str, seconds: float) -> None:
        self.phases.append((name, seconds))


class Copier:
    """Collects rows for one table and sends them with COPY ... FROM STDIN every `chunk` rows. The
    copiers in `after` are flushed first: their rows are the ones these rows refer to."""

    def __init__(
        self,
        cursor,
        table: str,
        columns: list[str],
        timings: Timings,
        chunk: int = 25_000,
        after: tuple["Copier", ...] = (),
    ):
        self.cursor = cursor
        self.after = after
        self.table = table
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.width = len(columns)
        self.timings = timings
        self.chunk = chunk
        self.lines: list[str] = []

    def add(self, *values: str) -> None:
        self.lines.append("\t".join(values))
        if len(self.lines) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        for copier in self.after:
            copier.flush()
        started = time.perf_counter()
        buffer = io.StringIO("\n".join(self.lines) + "\n")
        self.cursor.copy_expert(self.sql, buffer)
        self.timings.copy_seconds[self.table] += time.perf_counter() - started
        self.timings.rows[self.table] += len(self.lines)
        self.lines = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.flush()
