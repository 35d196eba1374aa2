"""The dashboard's figures as tables: one definition serves the page, the CSV and the XLSX export, so the
three never disagree. Tables hold counts and case numbers only, never a person's identity."""

import csv
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.choices import ExploitationType, Relationship, ReturneeCategory, Sex
from cases.countries import country_name
from gugus_tugas.dashboard import fanout, selectors
from referrals.models import Status


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    numeric_from: int = 1  # columns from this index on are numbers (right-aligned)
    totals: dict | None = None  # figures the page states beside the table (not exported)


def _yearly(period) -> list[Table]:
    rows = [
        [
            row["year"],
            row["reported"],
            row["resolved_in_year"],
            row["resolved_of_reported"],
            row["open_of_reported"],
            row["clearance_rate"],
            row["cohort_resolution_rate"],
        ]
        for row in selectors.yearly(period)
    ]
    columns = [
        _("Year"),
        _("Reported (LP)"),
        _("Resolved in the year"),
        _("Of the year's reports: resolved"),
        _("Of the year's reports: open"),
        _("Clearance rate (%)"),
        _("Cohort resolution rate (%)"),
    ]
    return [Table("yearly", _("Yearly report and resolution"), columns, rows)]


def _stages(period) -> list[Table]:
    rows = [[row["label"], row["open"], row["median_days"]] for row in selectors.open_by_stage(period)]
    return [
        Table(
            "stages", _("Open cases by stage"), [_("Stage"), _("Open cases"), _("Median days in stage")], rows
        )
    ]


DEADLINE_LABELS = {
    "spdp": _("SPDP not sent within 7 days"),
    "p19": _("P-19 file not sent back within 14 days"),
}


def _deadlines(period) -> list[Table]:
    late = selectors.past_deadline(period)
    rows = [
        [
            row["number"],
            DEADLINE_LABELS[row["deadline"]],
            date_format(row["due_on"], "SHORT_DATE_FORMAT"),
            row["days_late"],
        ]
        for row in late["cases"]
    ]
    columns = [_("Case"), _("Deadline"), _("Due on"), _("Days late")]
    totals = {"spdp": late["spdp"], "p19": late["p19"]}
    return [
        Table("deadlines", _("Cases past a legal deadline"), columns, rows, numeric_from=3, totals=totals)
    ]


def _referrals(period) -> list[Table]:
    rows = [
        [
            row["agency"],
            row["total"],
            *(row[status] for status in Status.values),
            row["overdue"],
            row["median_hours_to_accept"],
        ]
        for row in selectors.referrals_by_agency(period)
    ]
    columns = [
        _("Receiving agency"),
        _("Referrals"),
        *Status.labels,
        _("Overdue now"),
        _("Median hours to accept"),
    ]
    return [Table("referrals", _("Referrals by receiving agency"), columns, rows)]


def _counts(key, title, label_column, counts: dict, label: Callable[[object], str]) -> Table:
    return Table(key, title, [label_column, _("Victims")], [[label(value), n] for value, n in counts.items()])


def _victims(period) -> list[Table]:
    found = selectors.victims(period)
    unknown = str(_("Unknown"))
    return [
        _counts(
            "victims_sex",
            _("Victims by sex"),
            _("Sex"),
            found["sex"],
            lambda v: Sex(v).label if v else unknown,
        ),
        _counts(
            "victims_age",
            _("Children and adults"),
            _("Age"),
            {True: found["children"].get(True, 0), False: found["children"].get(False, 0)},
            lambda child: _("Child (under 18)") if child else _("Adult"),
        ),
        _counts(
            "victims_exploitation",
            _("Victims by exploitation type"),
            _("Exploitation type"),
            found["exploitation_types"],
            lambda code: ExploitationType(code).label,
        ),
        _counts(
            "victims_destination",
            _("Victims by destination country"),
            _("Destination country"),
            found["destination_countries"],
            lambda code: country_name(code) or unknown,
        ),
        _counts(
            "victims_origin",
            _("Victims by origin regency"),
            _("Origin"),
            found["origin_regencies"],
            lambda name: name or unknown,
        ),
        _counts(
            "victims_relationship",
            _("Victims by relationship to the trafficker"),
            _("Relationship"),
            found["relationships"],
            lambda code: Relationship(code).label,
        ),
    ]


def _obstacles(period) -> list[Table]:
    rows = [[row["label"], row["recorded"], row["open"], row["cases"]] for row in selectors.obstacles(period)]
    columns = [_("Obstacle"), _("Times recorded"), _("Still open"), _("Cases")]
    return [Table("obstacles", _("Socio-cultural obstacles"), columns, rows)]


def _month(iso: str) -> str:
    """07/2021 for the API's 2021-07: the pages and exports write dates day (or month) first."""
    year, month = iso.split("-")
    return f"{month}/{year}"


def _returnees(period) -> list[Table]:
    rows = [
        [
            _month(row["month"]),
            row["total"],
            *(row[category] for category in ReturneeCategory.values),
            row["non_procedural_share"],
            row["screened"],
            row["possible_victim_share"],
            row["became_cases"],
        ]
        for row in selectors.returnees_by_month(period)
    ]
    columns = [
        _("Month"),
        _("Arrivals"),
        *ReturneeCategory.labels,
        _("Non-procedural (%)"),
        _("Screened"),
        _("Possible victims of those screened (%)"),
        _("Became cases"),
    ]
    return [Table("returnees", _("Returning migrants per month"), columns, rows)]


SECTIONS = {
    "yearly": _yearly,
    "stages": _stages,
    "deadlines": _deadlines,
    "referrals": _referrals,
    "victims": _victims,
    "obstacles": _obstacles,
    "returnees": _returnees,
}
# Which section builds each table, for an export of a single table.
TABLE_SECTION = {
    "yearly": "yearly",
    "stages": "stages",
    "deadlines": "deadlines",
    "referrals": "referrals",
    "obstacles": "obstacles",
    "returnees": "returnees",
    **{
        key: "victims"
        for key in (
            "victims_sex",
            "victims_age",
            "victims_exploitation",
            "victims_destination",
            "victims_origin",
            "victims_relationship",
        )
    },
}


def section_tables(section: str, period) -> list[Table]:
    return SECTIONS[section](period)


def table(key: str, period) -> Table:
    return next(table for table in section_tables(TABLE_SECTION[key], period) if table.key == key)


# The sections by the time they took at national scale, slowest first: started first, they finish with
# the rest when computed at the same time (fanout.py).
SLOWEST_FIRST = ["referrals", "victims", "deadlines", "yearly", "obstacles", "stages", "returnees"]


def every_section(period) -> dict[str, list[Table]]:
    """Every section's tables, in SECTIONS order; computed at the same time where the database allows."""
    order = sorted(
        SECTIONS, key=lambda section: SLOWEST_FIRST.index(section) if section in SLOWEST_FIRST else 0
    )
    computed = fanout.run_all(
        {section: functools.partial(section_tables, section, period) for section in order}
    )
    return {section: computed[section] for section in SECTIONS}


def all_tables(period) -> list[Table]:
    return [table for tables in every_section(period).values() for table in tables]


def period_label(period) -> str:
    label = str(period.year_from)
    if period.year_to != period.year_from:
        label += f"\u2013{period.year_to}"  # an en dash between the years
    return f"{label} · {period.agency.name}" if period.agency else label


# Exports -----------------------------------------------------------------------------------------


def as_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in table.columns])
    writer.writerows([["" if value is None else value for value in row] for row in table.rows])
    return buffer.getvalue()


def as_xlsx(tables: list[Table], period) -> bytes:
    """A workbook with one sheet per table, each headed by its title and the period."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.key[:31])
        sheet.append([str(table.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([period_label(period)])
        sheet.append([])
        sheet.append([str(column) for column in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([str(value) if isinstance(value, Promise) else value for value in row])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = max(
                10, len(str(column)) + 2
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
