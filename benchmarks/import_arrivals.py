#!/usr/bin/env python
"""Benchmark of the spreadsheet import (not a test): rows per second for a 50,000-row arrival sheet.

    DEBUG=True .venv/bin/python manage.py migrate
    DEBUG=True .venv/bin/python benchmarks/import_arrivals.py          # SQLite (db.sqlite3)
    DEBUG=True DATABASE_URL=postgres://USER@HOST:5432/NAME .venv/bin/python benchmarks/import_arrivals.py

It writes an XLSX of realistic Kota Kupang arrivals (Faker's Indonesian given names with NTT family
names, well-formed NIKs of NTT kecamatan, about 2 % rows with an error and 1 % repeated rows) to
benchmarks/results/ and imports it through the services the pages and `import_arrivals` use: the
file is read (openpyxl), every row checked (the NIK rules, dates, code lists, regions, repeats in the
file and arrivals already logged) and the good rows written in one transaction with their history.
It runs twice: in one go as `import_arrivals` does, and step by step as the pages do (upload, check
for the preview, import, which checks again). Afterwards it deletes what it imported, unless --keep.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus_tugas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from faker import Faker  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from cases.importer import services  # noqa: E402
from cases.importer.columns import COLUMNS  # noqa: E402
from cases.importer.services import ImportOutcome  # noqa: E402
from cases.models import ArrivalImport, Person, Returnee  # noqa: E402
from gugus_tugas.accounts.models import Agency, Region, RegionLevel, User  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
USERNAME = "benchmark-bp3mi"
FAMILY_NAMES = [
    "Bria",
    "Nahak",
    "Seran",
    "Tefa",
    "Lake",
    "Ndun",
    "Manafe",
    "Bani",
    "Fanggidae",
    "Pello",
    "Nenobais",
    "Tlonaen",
    "Kase",
    "Taek",
    "Bere",
    "Mau",
    "Klau",
    "Amalo",
    "Lenggu",
    "Riwu",
    "Kana",
    "Radja",
    "Ully",
    "Boimau",
    "Sabu",
    "Lado",
    "Tanesib",
    "Nope",
    "Baun",
    "Liu",
    "Ratu",
    "Dethan",
    "Haning",
    "Kolo",
]
ARRIVAL_POINTS = (
    ["Pelabuhan Tenau"] * 5 + ["Bandara El Tari"] * 4 + ["Pelabuhan Bolok", "tenau_port", "Lainnya"]
)
CATEGORIES = (
    ["Deportan"] * 6 + ["Dipulangkan (repatriasi)"] * 3 + ["Meninggal dunia", "Gagal berangkat", "regular"]
)
COUNTRIES = (
    ["Malaysia"] * 10
    + ["MY"] * 4
    + ["Singapura", "SG", "Brunei Darussalam", "Hong Kong", "Taiwan", "Arab Saudi"]
)
WORK = [
    ("Ladang sawit Sabah", "perkebunan sawit"),
    ("Kilang papan Sarawak", "pabrik kayu"),
    ("Rumah tangga, Johor Bahru", "pekerja rumah tangga"),
    ("Restoran, Kuala Lumpur", "restoran"),
    ("Tapak binaan Selangor", "konstruksi"),
    ("Kapal ikan, Tawau", "perikanan"),
]
BAD = [
    ("nik", "53710117059800"),  # 14 digits
    ("arrived_on", "31/02/2024"),
    ("sex", "X"),
    ("country", "Atlantis"),
    ("procedural", "mungkin"),
]


def sheet_rows(count: int, seed: int) -> list[list]:
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    districts = list(
        Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="53.").values_list(
            "code", flat=True
        )
    )
    field_index = {column.field: index for index, column in enumerate(COLUMNS)}
    rows: list[list] = []
    for n in range(count):
        if rows and rng.random() < 0.01:
            rows.append(list(rng.choice(rows)))  # the same arrival typed twice
            continue
        female = rng.random() < 0.6
        age = rng.randint(18, 50)
        arrived = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 6 * 365))
        birth = arrived - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        district = rng.choice(districts)
        day = birth.day + (40 if female else 0)
        nik = f"{district.replace('.', '')}{day:02d}{birth:%m%y}{n % 10000:04d}"
        given = fake.first_name_female() if female else fake.first_name_male()
        employer, sector = rng.choice(WORK)
        known_birth = rng.random() < 0.9
        row = [
            f"{given} {rng.choice(FAMILY_NAMES)}",
            nik if rng.random() < 0.85 else "",
            "P" if female else "L",
            birth if known_birth else None,
            None if known_birth else age,
            district,
            f"{fake.street_address()}, Kota Kupang",
            f"08{rng.randint(10**9, 10**10 - 1)}",
            arrived,
            rng.choice(ARRIVAL_POINTS),
            rng.choice(CATEGORIES),
            rng.choice(["Ya", "Tidak", "Tidak"]),
            rng.choice(COUNTRIES),
            employer,
            sector,
            "Lewat Nunukan" if rng.random() < 0.3 else "",
        ]
        if rng.random() < 0.02:
            field, value = rng.choice(BAD)
            row[field_index[field]] = value
        rows.append(row)
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    # Not write-only: that mode puts the sheet's dimensions after the data, unlike Excel, and the
    # reader would then scan the sheet twice.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kepulangan"
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def officer() -> User:
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=USERNAME, agency=Agency.objects.get(code="BP3MI-NTT"))
    return user


def clean_up(user: User) -> None:
    # Raw deletes: a queryset delete would write a "deleted" history row per record (simple_history).
    with transaction.atomic():
        returnees = Returnee.objects.filter(created_by=user)
        person_ids = list(returnees.values_list("person_id", flat=True))
        returnees._raw_delete(connection.alias)
        for start in range(0, len(person_ids), 5000):
            Person.objects.filter(pk__in=person_ids[start : start + 5000])._raw_delete(connection.alias)
        Returnee.history.filter(history_user=user)._raw_delete(connection.alias)
        Person.history.filter(history_user=user)._raw_delete(connection.alias)
        ArrivalImport.objects.filter(created_by=user).delete()


def through_the_pages(user: User, name: str, data: bytes) -> tuple[dict[str, float], ImportOutcome]:
    """Upload, check every row in the progress page's steps, import: the officer's way."""
    timings = {}
    started = time.perf_counter()
    arrival_import = services.arrival_import_create(actor=user, file_name=name, data=data)
    timings["read the file and keep its rows"] = time.perf_counter() - started
    step = time.perf_counter()
    while arrival_import.status == ArrivalImport.Status.CHECKING:  # one request per step
        arrival_import = services.arrival_import_check(arrival_import=arrival_import, actor=user)
    timings["check every row, step by step"] = time.perf_counter() - step
    step = time.perf_counter()
    outcome = services.arrival_import_commit(arrival_import=arrival_import, actor=user, accept_warnings=True)
    timings["check again and import"] = time.perf_counter() - step
    return timings, outcome


def through_the_command(user: User, name: str, data: bytes) -> tuple[dict[str, float], ImportOutcome]:
    """Read, check and import in one go: the way of `manage.py import_arrivals`."""
    started = time.perf_counter()
    _arrival_import, outcome = services.arrival_import_file(
        actor=user, file_name=name, data=data, accept_warnings=True
    )
    return {"read, check and import": time.perf_counter() - started}, outcome


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the arrivals of the last run")
    parser.add_argument(
        "--file",
        type=Path,
        help="import this sheet instead (e.g. one saved by Excel, whose shared strings read faster than "
        "the inline strings openpyxl writes)",
    )
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.file and not args.file.exists():
        parser.error(f"{args.file} does not exist")
    path = args.file or RESULTS / f"arrivals-{args.rows}-{args.seed}.xlsx"
    if not path.exists():
        print(f"Writing {path.name} ...", flush=True)
        write_xlsx(path, sheet_rows(args.rows, args.seed))
    data = path.read_bytes()
    # As on a server: DEBUG's query log would cost about a tenth of the time.
    settings.DEBUG = False
    user = officer()
    print(f"{path.name}: {len(data) / 1e6:.1f} MB, database: {connection.vendor}", flush=True)
    ways = [("as import_arrivals does", through_the_command), ("as the pages do", through_the_pages)]
    for number, (title, run) in enumerate(ways, start=1):
        clean_up(user)
        cpu = time.process_time()
        timings, outcome = run(user, path.name, data)
        cpu = time.process_time() - cpu
        total = sum(timings.values())
        print(f"\n{title}:")
        for name, seconds in timings.items():
            print(f"  {name:<34} {seconds:7.2f} s")
        print(
            f"  imported {outcome.imported:,}, rejected {len(outcome.rejected):,} "
            f"({outcome.invalid:,} with errors, {outcome.duplicate:,} repeated)"
        )
        rows = outcome.imported + outcome.present + len(outcome.rejected)
        print(f"  {rows / total:,.0f} rows/second ({rows:,} rows in {total:.1f} s)")
        # On a busy machine the wall clock includes waiting for a CPU; this process's own CPU time
        # does not (the database server's work is not in it).
        print(f"  this process used {cpu:.1f} s of CPU: {rows / cpu:,.0f} rows per CPU second")
        if number < len(ways) or not args.keep:
            clean_up(user)


if __name__ == "__main__":
    main()
