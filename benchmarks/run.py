"""Server time and queries of the key requests against a (national-scale) PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/national .venv/bin/python benchmarks/run.py

Each request runs in this process through Django's test client, logged in (force_login) as the account
that uses it every day: an officer of the busiest BP3MI office, an investigator of the busiest police
unit, an officer of the agency receiving the most referrals, and the chair (the accounts that
`manage.py generate_national` creates). After warm-up runs, each is timed `--runs` times (no query
capture while timing) and once more with the queries captured. The raw SQL of the dashboard's yearly
aggregate is timed on the same connection, for the ratio the budget is stated in.

Prints a table of p50 and p95 server time (nearest rank) and queries per request and writes the same,
with the machine and the data size, to benchmarks/results/<timestamp>.json.
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus_tugas.settings")
# A production-like configuration (DEBUG off) that the in-process test client can talk to over HTTP.
for _name, _value in {
    "DEBUG": "False",
    "SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "False",
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(_name, _value)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.choices import Stage  # noqa: E402
from cases.models import CaseHandling, Person, Returnee, StageEvent  # noqa: E402
from gugus_tugas.accounts.models import AgencyKind, Role, User  # noqa: E402
from gugus_tugas.dashboard.api import SECTIONS  # noqa: E402
from gugus_tugas.dashboard.selectors import START_YEAR  # noqa: E402
from referrals.models import Referral  # noqa: E402

BUDGET_MS = 300
RESULTS = Path(__file__).resolve().parent / "results"

# The yearly aggregate written by hand: what gugus_tugas.dashboard.selectors.yearly asks the database.
YEARLY_SQL = [
    """
    SELECT EXTRACT(YEAR FROM reported_on) AS year, COUNT(*) AS reported,
           COUNT(*) FILTER (WHERE resolution_on IS NOT NULL) AS resolved_of_reported
      FROM cases_case
     WHERE reported_on BETWEEN %(start)s AND %(end)s
     GROUP BY 1
    """,
    """
    SELECT EXTRACT(YEAR FROM resolution_on) AS year, COUNT(*) AS resolved_in_year
      FROM cases_case
     WHERE reported_on IS NOT NULL AND resolution_on BETWEEN %(start)s AND %(end)s
     GROUP BY 1
    """,
]


@dataclass
class Measured:
    name: str
    persona: str
    path: str
    runs: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    queries: int
    statuses: list[int] = field(default_factory=list)

    @property
    def within_budget(self) -> bool:
        return self.p95_ms <= BUDGET_MS


def nearest_rank(values: list[float], percentile: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(percentile / 100 * len(ordered)) - 1, 0)]


def machine() -> dict:
    cpu = "unknown"
    memory = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        kib = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if "MemTotal" in line
            )
        )
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        server = {}
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "max_parallel_workers_per_gather",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            server[name] = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": version,
        "postgresql_settings": server,
        "load_average_at_start": os.getloadavg(),
    }


def data_size() -> dict:
    with connection.cursor() as cursor:
        sizes = {}
        for table in (
            "cases_returnee",
            "cases_person",
            "cases_case",
            "cases_casevictim",
            "cases_suspect",
            "cases_stageevent",
            "referrals_referral",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
            sizes[table] = cursor.fetchone()[0]
    return sizes


def personas() -> dict:
    """The busiest accounts of each kind: where lists are longest and counts largest."""
    officer = User.objects.filter(role=Role.OFFICER, is_active=True).order_by("username")

    def first_of(agency_id):
        user = officer.filter(agency_id=agency_id).first()
        if user is None:
            sys.exit(f"No officer account for agency {agency_id}: run manage.py generate_national first.")
        return user

    office = (
        Returnee.objects.values("recorded_by_agency").annotate(n=Count("pk")).order_by("-n").first()
    ) or sys.exit("No arrivals: run manage.py generate_national first.")
    police = (
        CaseHandling.objects.filter(agency__kind=AgencyKind.POLICE)
        .values("agency")
        .annotate(n=Count("case", distinct=True))
        .order_by("-n")
        .first()
    )
    receiver = (
        Referral.objects.exclude(to_agency__kind=AgencyKind.POLICE)
        .values("to_agency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    chair = User.objects.filter(role=Role.CHAIR, is_active=True).order_by("username").first()
    if chair is None:
        sys.exit("No chair account: run manage.py generate_national first.")
    return {
        "bp3mi": first_of(office["recorded_by_agency"]),
        "police": first_of(police["agency"]),
        "service": first_of(receiver["to_agency"]),
        "chair": chair,
    }


def samples(users: dict, count: int) -> dict:
    """Varying inputs, one per run, so that no run is served from a cache the previous one warmed."""
    office = users["bp3mi"].agency_id
    niks = list(
        Person.objects.filter(recorded_by_agency_id=office, arrivals__recorded_by_agency_id=office)
        .exclude(nik="")
        .order_by("?")
        .values_list("nik", flat=True)[:count]
    )
    handled = CaseHandling.objects.filter(agency_id=users["police"].agency_id).values("case_id")
    cases = list(
        StageEvent.objects.filter(
            case_id__in=handled, case__stage__in=[Stage.TRIAL, Stage.VERDICT, Stage.FINAL]
        )
        .values("case_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("case_id", flat=True)[:count]
    )
    return {"niks": niks, "cases": cases}


def requests(users: dict, inputs: dict) -> list[tuple[str, str, object]]:
    """(name, persona, path or a function of the run number giving the path)."""
    niks, cases = inputs["niks"], inputs["cases"]
    year = timezone.localdate().year
    listed = [
        ("arrival list", "bp3mi", "/kepulangan/"),
        ("arrival list, page 3", "bp3mi", "/kepulangan/?page=3"),
        (
            "arrival list, filtered",
            "bp3mi",
            f"/kepulangan/?category=deportee&arrived_from=01/01/{year - 1}&screening_result=not_victim",
        ),
        ("arrival list, search full NIK", "bp3mi", lambda run: f"/kepulangan/?q={niks[run % len(niks)]}"),
        (
            "arrival list, search NIK prefix",
            "bp3mi",
            lambda run: f"/kepulangan/?q={niks[run % len(niks)][:8]}",
        ),
        ("arrival list, search name", "bp3mi", "/kepulangan/?q=sari"),
        ("case list", "police", "/kasus/"),
        ("case list, filtered", "police", f"/kasus/?stage=investigation&report_year={year - 1}"),
        (
            "case list, filtered (more)",
            "police",
            "/kasus/?exploitation_type=forced_labour&child_victim=true&obstacle=victim_unwilling",
        ),
        ("case list, chair", "chair", "/kasus/"),
        ("case detail", "police", lambda run: f"/kasus/{cases[run % len(cases)]}/"),
        ("referral inbox, police", "police", "/rujukan/"),
        ("referral inbox, service agency", "service", "/rujukan/"),
        ("referral inbox, overdue", "service", "/rujukan/?overdue=true"),
        ("dashboard page", "chair", "/dasbor/"),
    ]
    listed += [
        (f"dashboard API: {section}", "chair", f"/api/v1/dashboard/{section}/") for section in SECTIONS
    ]
    return listed


def measure(client: Client, name: str, persona: str, path, runs: int, warmups: int) -> Measured:
    def url(run):
        return path(run) if callable(path) else path

    statuses = set()
    for run in range(warmups):
        statuses.add(client.get(url(run)).status_code)
    timings = []
    for run in range(runs):
        started = time.perf_counter()
        response = client.get(url(warmups + run))
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    with CaptureQueriesContext(connection) as captured:
        statuses.add(client.get(url(0)).status_code)
    return Measured(
        name=name,
        persona=persona,
        path=url(0),
        runs=runs,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(nearest_rank(timings, 95), 1),
        mean_ms=round(statistics.fmean(timings), 1),
        max_ms=round(max(timings), 1),
        queries=len(captured),
        statuses=sorted(statuses),
    )


def measure_sql(statements: list[str], params: dict, runs: int, warmups: int) -> dict:
    timings = []
    with connection.cursor() as cursor:
        for run in range(warmups + runs):
            started = time.perf_counter()
            for statement in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
            if run >= warmups:
                timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(nearest_rank(timings, 95), 2),
        "runs": runs,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per request (default 30)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--only", help="measure only requests whose name contains this text")
    parser.add_argument("--no-save", action="store_true", help="print only; write no JSON")
    options = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("The benchmark measures PostgreSQL: set DATABASE_URL to the generated database.")

    started_at = timezone.now()
    about = {"machine": machine(), "data": data_size()}
    users = personas()
    print_setting(about, users)
    results = measure_requests(users, options)
    raw, comparison = compare_yearly(results, options)
    print_summary(results, raw, comparison)
    over = [m.name for m in results if not m.within_budget]
    if not options.no_save:
        report = {
            "started_at": started_at.isoformat(),
            **about,
            "accounts": {key: [user.username, user.agency.code] for key, user in users.items()},
            "runs": options.runs,
            "warmups": options.warmups,
            "budget_ms": BUDGET_MS,
            "requests": [asdict(m) | {"within_budget": m.within_budget} for m in results],
            "yearly_vs_raw_sql": comparison,
            "over_budget": over,
        }
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{started_at.strftime('%Y%m%dT%H%M%SZ')}.json"
        path.write_text(json.dumps(report, indent=2, default=str))
        print(f"written to {path.relative_to(ROOT)}")
    return 1 if over or (comparison and not comparison["within_budget"]) else 0


def print_setting(about: dict, users: dict) -> None:
    print(
        f"Machine: {about['machine']['cpu']}, {about['machine']['cores']} cores, {about['machine']['memory']}"
    )
    print(f"         {about['machine']['postgresql']}, {about['machine']['postgresql_settings']}")
    # Figures taken while other work runs are pessimistic: the load is printed beside them.
    print(
        "Load:    {:.2f} {:.2f} {:.2f} (1, 5, 15 min) at the start".format(
            *about["machine"]["load_average_at_start"]
        )
    )
    print("Data:    " + ", ".join(f"{table} {rows:,}" for table, rows in about["data"].items()))
    print(
        "Accounts: " + ", ".join(f"{key} {user.username} ({user.agency.code})" for key, user in users.items())
    )
    print()


def measure_requests(users: dict, options) -> list:
    """Every request (or those --only names), each as its persona, printed as it is measured."""
    inputs = samples(users, options.runs + options.warmups)
    results = []
    clients = {}
    # Templates use {% static %}; the manifest storage would need collectstatic, which adds nothing here.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        for name, persona, path in requests(users, inputs):
            if options.only and options.only not in name:
                continue
            if persona not in clients:
                clients[persona] = Client()
                clients[persona].force_login(users[persona])
            measured = measure(clients[persona], name, persona, path, options.runs, options.warmups)
            results.append(measured)
            mark = "" if measured.within_budget else "  OVER"
            print(
                f"{name:<36} {persona:<8} p50 {measured.p50_ms:>7.1f} ms  p95 {measured.p95_ms:>7.1f} ms  "
                f"{measured.queries:>3} queries  {measured.statuses}{mark}",
                flush=True,
            )
    return results


def compare_yearly(results: list, options) -> tuple[dict, dict | None]:
    """The raw SQL of the yearly aggregate, and the yearly endpoint against it (its budget)."""
    year = timezone.localdate().year
    params = {"start": datetime.date(START_YEAR, 1, 1), "end": datetime.date(year, 12, 31)}
    raw = measure_sql(YEARLY_SQL, params, options.runs, options.warmups)
    yearly = next((m for m in results if m.name == "dashboard API: yearly"), None)
    if yearly is None:
        return raw, None
    allowed = 3 * raw["p95_ms"] + 50
    return raw, {
        "raw_sql": raw,
        "endpoint_p50_ms": yearly.p50_ms,
        "endpoint_p95_ms": yearly.p95_ms,
        "ratio_p50": round(yearly.p50_ms / raw["p50_ms"], 2),
        "ratio_p95": round(yearly.p95_ms / raw["p95_ms"], 2),
        "budget_ms": round(allowed, 1),
        "within_budget": yearly.p95_ms <= allowed,
    }


def print_summary(results: list, raw: dict, comparison: dict | None) -> None:
    print()
    print("Load:    {:.2f} {:.2f} {:.2f} (1, 5, 15 min) at the end".format(*os.getloadavg()))
    print(f"{'request':<36} {'as':<8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  budget {BUDGET_MS} ms")
    for m in results:
        print(
            f"{m.name:<36} {m.persona:<8} {m.p50_ms:>8.1f} {m.p95_ms:>8.1f} {m.queries:>8}  "
            f"{'ok' if m.within_budget else 'OVER by %.0f ms' % (m.p95_ms - BUDGET_MS)}"
        )
    print()
    print(f"raw SQL of the yearly aggregate: p50 {raw['p50_ms']:.2f} ms, p95 {raw['p95_ms']:.2f} ms")
    if comparison:
        print(
            f"yearly endpoint / raw SQL: {comparison['ratio_p50']}x at p50, "
            f"{comparison['ratio_p95']}x at p95; "
            f"budget 3 x {raw['p95_ms']:.2f} + 50 = {comparison['budget_ms']} ms: "
            f"{'ok' if comparison['within_budget'] else 'OVER'}"
        )


if __name__ == "__main__":
    sys.exit(main())
