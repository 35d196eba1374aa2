"""Arrival spreadsheets made in the tests, as BP3MI's officers would fill them in."""

import csv
import datetime
import io

from openpyxl import Workbook

from cases.importer.columns import COLUMNS

HEADERS = [column.header for column in COLUMNS]
FIELDS = [column.field for column in COLUMNS]


def nik_for(birth_date: datetime.date, sex: str = "P", serial: int = 1, region: str = "537101") -> str:
    """A well-formed NIK: region, the birth date DDMMYY with 40 added to a woman's day, a serial."""
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"


def arrival(**overrides) -> dict:
    """One good row of the template, with Excel-like values (dates as dates)."""
    row = {
        "full_name": "Maria Goreti Bria",
        "nik": "5371015705980003",
        "sex": "P",
        "birth_date": datetime.date(1998, 5, 17),
        "age": "",
        "origin_region": "53.71.01",
        "address": "Jl. Timor Raya 12, Oesapa",
        "phone": "081234567890",
        "arrived_on": datetime.date(2026, 11, 25),
        "arrival_point": "Pelabuhan Tenau",
        "category": "Deportan",
        "procedural": "Tidak",
        "country": "Malaysia",
        "employer": "Ladang sawit Sabah",
        "sector": "perkebunan sawit",
        "route_notes": "Lewat Nunukan dengan kapal",
    }
    return {**row, **overrides}


def people(count: int, **overrides) -> list[dict]:
    """`count` different people arriving on the same ship."""
    rows = []
    for n in range(count):
        birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=37 * n)
        sex = "P" if n % 2 == 0 else "L"
        rows.append(
            arrival(
                full_name=f"Orang Ke-{n + 1} Nahak",
                nik=nik_for(birth, sex, serial=n + 1),
                sex=sex,
                birth_date=birth,
                **overrides,
            )
        )
    return rows


def xlsx_file(rows: list[dict], *, headers: list[str] | None = None, fields=None, above=()) -> bytes:
    """An .xlsx with a header row (after the rows `above`, e.g. a title) and one row per arrival;
    `headers` and `fields` give another order or other header names."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for line in above:
        sheet.append(line)
    fields = fields or FIELDS
    sheet.append(headers or [HEADERS[FIELDS.index(name)] for name in fields])
    for row in rows:
        sheet.append([row.get(name, "") for name in fields])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows: list[dict], *, delimiter: str = ";", encoding: str = "utf-8-sig", fields=None) -> bytes:
    """A CSV as Excel writes it: dates as dd/mm/yyyy text, semicolons in Indonesian Excel."""
    fields = fields or FIELDS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([HEADERS[FIELDS.index(name)] for name in fields])
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else value
                for value in (row.get(name, "") for name in fields)
            ]
        )
    return out.getvalue().encode(encoding)
