"""Files the import hands out: the template to fill in, and the report of rejected rows.

The report has the template's columns (with the officer's fixes) between the row number and the
reason ("Alasan"), so that it can be corrected and uploaded again as it is."""

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from cases.choices import ArrivalPoint, ReturneeCategory
from cases.importer.checking import REJECTED, reasons, values_of
from cases.importer.columns import COLUMNS, column_letter

ROW_HEADER = "Baris"
REASON_HEADER = "Alasan"
TEMPLATE_SHEET = "Kepulangan"
TEMPLATE_ROWS = 5000  # rows of the template that carry the pick lists and text formats
TEXT_COLUMNS = ("nik", "phone", "origin_region")
DATE_COLUMNS = ("birth_date", "arrived_on")


def rejected_rows(arrival_import) -> list[tuple[int, dict[str, str], list[str]]]:
    """(row number, text per field, reasons) of every row that was or will be left out: rows with
    errors, rows repeating an earlier row, rows the officer skipped, and after the import also rows
    whose NIK warnings were not accepted."""
    if arrival_import.is_imported:
        return [(row["n"], row["values"], row["reasons"]) for row in arrival_import.rows]
    return [
        (row["n"], values_of(row, arrival_import.mapping), reasons(row))
        for row in arrival_import.rows
        if row.get("state") in REJECTED
    ]


def report_xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows")[:31])
    sheet.append(_header_cells(sheet))
    for number, values, found in rows:
        sheet.append(
            [number, *(_text_cell(sheet, values.get(c.field, "")) for c in COLUMNS), "; ".join(found)]
        )
    return _saved(workbook)


def report_csv(rows) -> bytes:
    """Semicolons and a byte-order mark: what Excel set to Indonesian opens correctly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([ROW_HEADER, *(column.header for column in COLUMNS), REASON_HEADER])
    for number, values, found in rows:
        writer.writerow(
            [number, *(_safe_csv(values.get(c.field, "")) for c in COLUMNS), _safe_csv("; ".join(found))]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The import template: the columns with pick lists and text or date formats, and a sheet that
    explains each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    sheet.append([column.header for column in COLUMNS])
    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 2)
        if column.field in TEXT_COLUMNS:
            # Typed as text, a NIK keeps its 16 digits and a phone number its leading 0.
            sheet.column_dimensions[letter].number_format = "@"
        if column.field in DATE_COLUMNS:
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    lists = {
        "sex": ["P", "L"],
        "procedural": ["Ya", "Tidak"],
        "arrival_point": [str(label) for label in ArrivalPoint.labels],
        "category": [str(label) for label in ReturneeCategory.labels],
    }
    for index, column in enumerate(COLUMNS):
        if column.field in lists:
            letter = column_letter(index)
            # A pick list, yet other spellings and codes stay allowed: the import reads them too.
            validation = DataValidation(
                type="list", formula1='"{}"'.format(",".join(lists[column.field])), showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)

    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for cell in guide[1]:
        cell.font = bold
    guide_text = _guide()
    for column in COLUMNS:
        guide.append([column.header, _("Yes") if column.required else _("No"), guide_text[column.field]])
    guide.append([])
    guide.append(
        [_("Every row is one arrival. Do not change the headers of the first sheet; keep one header row.")]
    )
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    return _saved(workbook)


def _guide_choices(choices) -> str:
    return "; ".join(f"{label} ({value})" for value, label in choices.choices)


def _guide() -> dict[str, str]:
    """What to write in each column, in the language of the request."""
    return {
        "full_name": _("As on the identity card."),
        "nik": _("16 digits. Format the column as Text so that Excel keeps every digit."),
        "sex": _("P (female) or L (male)."),
        "birth_date": _("dd/mm/yyyy."),
        "age": _("In years, only when the birth date is not known."),
        "origin_region": _("Kemendagri code of the regency, kecamatan or kelurahan, e.g. 53.71 or 53.71.01."),
        "address": _("Free text."),
        "phone": _("Free text, e.g. 081234567890."),
        "arrived_on": _("dd/mm/yyyy; not in the future."),
        "arrival_point": _("One of: %(choices)s.") % {"choices": _guide_choices(ArrivalPoint)},
        "category": _("One of: %(choices)s.") % {"choices": _guide_choices(ReturneeCategory)},
        "procedural": _("Ya or Tidak: did the worker leave through official channels?"),
        "country": _("ISO code (MY, SG, HK, ...) or the country's name."),
        "employer": _("Free text."),
        "sector": _("Free text, e.g. perkebunan sawit."),
        "route_notes": _("Free text: how the worker travelled and returned."),
    }


def _header_cells(sheet) -> list:
    bold = Font(bold=True)
    cells = []
    for header in [ROW_HEADER, *(column.header for column in COLUMNS), REASON_HEADER]:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cells.append(cell)
    return cells


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    # Always text: a value starting with "=" is not to become a formula in the officer's Excel.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


_NUMBER_LIKE = re.compile(r"[+-]?[\d\s().-]*")


def _safe_csv(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is written with a leading apostrophe;
    phone numbers such as +6281... stay as they are."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER_LIKE.fullmatch(value):
        return "'" + value
    return value


def _saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
