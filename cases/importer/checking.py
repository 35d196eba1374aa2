"""Checking the rows of an arrival sheet with the rules the entry form applies (DESIGN §3): the NIK
rules of cases.nik, dates, the code lists of the models, Kemendagri regions and ISO countries, and
whether a row repeats another row of the file or an arrival already in the log.

Everything here is plain Python on text values, with the reference data read once, so that tens of
thousands of rows are checked in seconds; nothing is written. Messages are rendered in the language
active while checking (Indonesian unless the officer switched)."""

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Required, TypedDict

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import ArrivalPoint, ReturneeCategory, Sex
from cases.countries import CODES, country_name
from cases.importer.columns import COLUMNS_BY_FIELD, FIELDS, normalise
from cases.importer.reading import MAX_CELL_CHARS
from cases.models import Person, Returnee, birth_date_from_age
from cases.nik import nik_warnings, read_nik


class RowState(models.TextChoices):
    VALID = "valid", gettext_lazy("To import")
    WARNING = "warning", gettext_lazy("NIK warning")
    INVALID = "invalid", gettext_lazy("Has errors")
    DUPLICATE = "duplicate", gettext_lazy("Repeats a row above")
    PRESENT = "present", gettext_lazy("Already in the log")
    SKIPPED = "skipped", gettext_lazy("Skipped")


# Rows that will be imported when the officer imports, and rows that will not and are reported.
IMPORTABLE = (RowState.VALID, RowState.WARNING)
REJECTED = (RowState.INVALID, RowState.DUPLICATE, RowState.SKIPPED)


@dataclass(frozen=True)
class Context:
    """What checking reads once for a whole sheet."""

    today: datetime.date
    region_codes: frozenset[str]


def context() -> Context:
    return Context(today=timezone.localdate(), region_codes=region_codes())


@cache
def region_codes() -> frozenset[str]:
    # Reference data shipped by a migration (DESIGN §7); read once per process.
    from gugus_tugas.accounts.models import Region

    return frozenset(Region.objects.values_list("code", flat=True))


@dataclass(frozen=True)
class SourceRow:
    """A row to import: its number in the sheet, its text per field, and whether the officer skipped it."""

    number: int
    values: dict[str, str]
    skipped: bool = False


@dataclass
class RowCheck:
    """The outcome of checking one row: the typed fields of the person and the arrival when the row
    is good, else the problems; NIK warnings either way; the key that identifies the arrival."""

    person: dict | None = None
    arrival: dict | None = None
    key: str | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


# Keys: the same arrival is the same NIK on the same day, or without a NIK the same name, birth date
# and day.


def name_key(full_name: str) -> str:
    return " ".join(full_name.casefold().split())


def arrival_key(nik: str, full_name: str, birth_date: datetime.date | None, arrived_on: datetime.date) -> str:
    if nik:
        return f"nik|{nik}|{arrived_on.isoformat()}"
    birth = birth_date.isoformat() if birth_date else ""
    return f"name|{name_key(full_name)}|{birth}|{arrived_on.isoformat()}"


def keys_of_logged(arrivals: Iterable[tuple]) -> set[str]:
    """The keys of arrivals in the log, from (arrived_on, nik, full_name, birth_date) tuples. A logged
    arrival answers both to its NIK and to its name, so that a sheet row without a NIK still finds
    an arrival that was logged with one."""
    keys = set()
    for arrived_on, nik, full_name, birth_date in arrivals:
        if nik:
            keys.add(arrival_key(nik, full_name, birth_date, arrived_on))
        keys.add(arrival_key("", full_name, birth_date, arrived_on))
    return keys


def row_states(
    rows: Iterable[tuple[int, str | None, bool, bool]], logged: set[str]
) -> Iterator[tuple[str, int]]:
    """(state, row number of the earlier row it repeats or 0) for each (row number, key, has warnings,
    skipped), in the order of the sheet. The first of several rows for one arrival is the one kept;
    a skipped row claims nothing, so the next row for the same arrival is kept instead."""
    first_row: dict[str, int] = {}
    for number, key, has_warnings, skipped in rows:
        if skipped:
            yield RowState.SKIPPED, 0
        elif key is None:
            yield RowState.INVALID, 0
        elif key in logged:
            yield RowState.PRESENT, 0
        elif first_row.setdefault(key, number) != number:
            yield RowState.DUPLICATE, first_row[key]
        else:
            yield (RowState.WARNING if has_warnings else RowState.VALID), 0


# Values


SEXES = {
    **dict.fromkeys(("p", "perempuan", "wanita", "w", "f", "female", "pr"), Sex.FEMALE),
    **dict.fromkeys(("l", "laki laki", "lakilaki", "laki", "pria", "m", "male", "lk"), Sex.MALE),
}
YES_NO = {
    **dict.fromkeys(("ya", "y", "yes", "1", "true", "benar", "prosedural", "procedural"), True),
    **dict.fromkeys(
        (
            "tidak",
            "t",
            "no",
            "n",
            "0",
            "false",
            "salah",
            "non prosedural",
            "nonprosedural",
            "tidak prosedural",
        ),
        False,
    ),
}
ARRIVAL_POINT_ALIASES = {
    "el tari": ArrivalPoint.EL_TARI_AIRPORT,
    "eltari": ArrivalPoint.EL_TARI_AIRPORT,
    "bandara": ArrivalPoint.EL_TARI_AIRPORT,
    "bandara eltari": ArrivalPoint.EL_TARI_AIRPORT,
    "tenau": ArrivalPoint.TENAU_PORT,
    "bolok": ArrivalPoint.BOLOK_PORT,
    "lainnya": ArrivalPoint.OTHER,
    "lain lain": ArrivalPoint.OTHER,
}
CATEGORY_ALIASES = {
    "deportasi": ReturneeCategory.DEPORTEE,
    "dideportasi": ReturneeCategory.DEPORTEE,
    "deportan": ReturneeCategory.DEPORTEE,
    "repatriasi": ReturneeCategory.REPATRIATED,
    "dipulangkan": ReturneeCategory.REPATRIATED,
    "meninggal": ReturneeCategory.DECEASED,
    "jenazah": ReturneeCategory.DECEASED,
    "gagal": ReturneeCategory.FAILED_DEPARTURE,
    "reguler": ReturneeCategory.REGULAR,
    "mandiri": ReturneeCategory.REGULAR,
}
_ALIASES = {ArrivalPoint: ARRIVAL_POINT_ALIASES, ReturneeCategory: CATEGORY_ALIASES}
_NIK_NOISE = re.compile(r"[\s.'\u2019-]")
MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")
_IN_WORDS = re.compile(r"(\d{1,2})\s*[ .-]\s*([a-z]+)\.?\s*[ .-]\s*(\d{4}|\d{2})")
_TIME = re.compile(r"[ T]\d{1,2}[:.]\d{2}([:.]\d{2})?$")
EARLIEST = datetime.date(1900, 1, 1)
MAX_AGE = 120


@cache
def _choice_index(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes, Indonesian and English labels, and the aliases of a code list, normalised."""
    index = dict(_ALIASES.get(choices, {}))
    for language in ("en", "id"):
        with translation.override(language):
            for value, label in choices.choices:
                index[normalise(str(label))] = value
    for value in choices.values:
        index[normalise(value)] = value
    return index


@cache
def _country_index() -> dict[str, str]:
    """ISO alpha-2 and alpha-3 codes and the English and Indonesian names of every country."""
    index = {}
    for country in pycountry.countries:
        names = [
            country.alpha_3,
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
        ]
        for language in ("en", "id"):
            with translation.override(language):
                names.append(country_name(country.alpha_2))
        for name in names:
            if name:
                index.setdefault(normalise(name), country.alpha_2)
    for code in CODES:  # last, so that a code always wins over a name
        index[code.casefold()] = code
    return index


@lru_cache(maxsize=4096)  # a ship brings hundreds of people on one day
def parse_date(text: str, today: datetime.date) -> datetime.date:
    """A date typed as dd/mm/yyyy (or dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy, yyyy-mm-dd, "17 Mei 1998");
    ValueError when the text is none of these."""
    text = _TIME.sub("", text.strip()).casefold()
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
    elif match := _YEAR_MONTH_DAY.fullmatch(text):
        year, month, day = match.groups()
    elif match := _COMPACT.fullmatch(text):
        day, month, year = match.groups()
    elif (match := _IN_WORDS.fullmatch(text)) and match.group(2) in MONTHS:
        day, year = match.group(1), match.group(3)
        month = MONTHS[match.group(2)]
    else:
        raise ValueError(text)
    year = int(year)
    if year < 100:
        # Two-digit years: the latest century that does not put the date in the future (as a NIK).
        year += 2000 if 2000 + year <= today.year else 1900
    return datetime.date(year, int(month), int(day))


# Checking one row


def _phone(text: str) -> str:
    """A phone number typed into a number cell loses its leading 0 (81234567890) or its + (6281...):
    both are given back. Indonesian numbers are dialled from 0 or +62, so digits starting otherwise
    lost one of them; 11 digits or more starting with 62 are an international mobile number, fewer a
    landline whose area code begins 062."""
    if not text.isdigit() or text.startswith("0"):
        return text
    if text.startswith("62") and len(text) >= 11:
        return "+" + text
    return "0" + text


# The models' own limits, and the longest cell the reader keeps for the others.
_MAX_LENGTHS = {
    **dict.fromkeys(FIELDS, MAX_CELL_CHARS),
    "full_name": Person._meta.get_field("full_name").max_length,
    "phone": Person._meta.get_field("phone").max_length,
    "employer": Returnee._meta.get_field("employer").max_length,
    "sector": Returnee._meta.get_field("sector").max_length,
}


def check_values(values: dict[str, str], ctx: Context) -> RowCheck:
    """Check one row given as text per field (cases.importer.columns.FIELDS)."""
    check = RowCheck()
    problems = check.problems

    def problem(name: str, message: str) -> None:
        problems.append((name, message))

    text = {name: values.get(name, "") for name in FIELDS}
    for name, limit in _MAX_LENGTHS.items():
        if len(text[name]) > limit:
            problem(name, _("Too long: at most %(count)s characters.") % {"count": limit})
    arrival = _arrival(text, ctx, problem)
    person, facts = _person(text, arrival["arrived_on"], ctx, problem)
    if facts is not None and (
        (person["sex"] and person["sex"] != facts.sex)
        or (
            person["birth_date"]
            and not person["birth_date_estimated"]
            and person["birth_date"] != facts.birth_date
        )
    ):
        check.warnings = [
            ("nik", warning)
            for warning in nik_warnings(
                person["nik"],
                sex=person["sex"],
                birth_date=person["birth_date"],
                estimated=person["birth_date_estimated"],
            )
        ]
    if problems:
        problems.sort(key=lambda found: FIELDS.index(found[0]))
        return check
    check.person, check.arrival = person, arrival
    check.key = arrival_key(person["nik"], person["full_name"], person["birth_date"], arrival["arrived_on"])
    return check


def _arrival(text: dict[str, str], ctx: Context, problem) -> dict:
    """The arrival's typed fields (None where a value is wrong, each wrong value a problem)."""
    arrived_on = _date(text["arrived_on"], "arrived_on", ctx, problem, required=True)
    arrival_point = _choice(text["arrival_point"], ArrivalPoint, "arrival_point", problem)
    category = _choice(text["category"], ReturneeCategory, "category", problem)
    procedural = YES_NO.get(normalise(text["procedural"]))
    if procedural is None:
        problem("procedural", _("Write Ya or Tidak."))
    country = ""
    if text["country"]:
        country = _country_index().get(normalise(text["country"]), "")
        if not country:
            problem(
                "country",
                _("Unknown country “%(value)s”: write its ISO code (e.g. MY) or its name.")
                % {"value": text["country"]},
            )
    return {
        "arrived_on": arrived_on,
        "arrival_point": arrival_point,
        "category": category,
        "procedural": procedural,
        "country": country,
        "employer": text["employer"],
        "sector": text["sector"],
        "route_notes": text["route_notes"],
    }


def _person(text: dict[str, str], arrived_on, ctx: Context, problem) -> tuple[dict, object]:
    """The person's typed fields, and what their NIK says (None without a readable NIK). An age
    without a birth date gives a birth date estimated from the arrival date."""
    full_name = " ".join(text["full_name"].split())
    if not full_name:
        problem("full_name", _("This field is required."))
    sex = SEXES.get(normalise(text["sex"]))
    if sex is None:
        problem("sex", _("Write P (female) or L (male)."))
    birth_date = _date(text["birth_date"], "birth_date", ctx, problem)
    estimated = False
    if text["age"] and birth_date is None and not text["birth_date"]:
        age = _age(text["age"])
        if age is None:
            problem("age", _("Write the age in whole years, from 0 to %(max)s.") % {"max": MAX_AGE})
        elif arrived_on is not None:
            birth_date, estimated = birth_date_from_age(age, arrived_on), True
    if birth_date and arrived_on and birth_date > arrived_on:
        problem("birth_date", _("The birth date is after the arrival date."))
    nik = _NIK_NOISE.sub("", text["nik"])
    region = _region(text["origin_region"])
    if region and region not in ctx.region_codes:
        problem(
            "origin_region",
            _("“%(code)s” is not a Kemendagri region code (e.g. 53.71 or 53.71.01).")
            % {"code": text["origin_region"]},
        )
    person = {
        "full_name": full_name,
        "nik": nik,
        "sex": sex,
        "birth_date": birth_date,
        "birth_date_estimated": estimated,
        "origin_region_id": region or None,
        "address": text["address"],
        "phone": _phone(text["phone"]),
    }
    return person, _nik_facts(nik, ctx, problem)


def _nik_facts(nik: str, ctx: Context, problem):
    if not nik:
        return None
    if "e+" in nik.casefold() or "," in nik:
        problem(
            "nik",
            _(
                "The NIK was saved as a number and Excel dropped its last digits. Format the NIK "
                "column as Text and type the NIK again."
            ),
        )
        return None
    try:
        return read_nik(nik, today=ctx.today)
    except ValidationError as exc:
        problem("nik", exc.messages[0])
        return None


def _date(text: str, name: str, ctx: Context, problem, *, required: bool = False) -> datetime.date | None:
    if not text:
        if required:
            problem(name, _("This field is required."))
        return None
    try:
        day = parse_date(text, ctx.today)
    except ValueError:
        problem(name, _("“%(value)s” is not a date: write dd/mm/yyyy.") % {"value": text})
        return None
    if day > ctx.today:
        problem(name, _("This date is in the future."))
        return None
    if day < EARLIEST:
        problem(
            name,
            _("“%(value)s” is too long ago to be right.") % {"value": date_format(day, "SHORT_DATE_FORMAT")},
        )
        return None
    return day


def _age(text: str) -> int | None:
    match = re.fullmatch(r"(\d{1,3})(?:[.,]0+)?(?:\s*(?:tahun|thn|th|years?))?", text.strip().casefold())
    if match is None or int(match.group(1)) > MAX_AGE:
        return None
    return int(match.group(1))


def _region(text: str) -> str:
    """A region code as stored (53.71.01); Kemendagri codes are also written without dots."""
    code = text.strip()
    digits = code.replace(".", "")
    if digits.isdigit() and len(digits) in (2, 4, 6, 10):
        return ".".join(part for part in (digits[:2], digits[2:4], digits[4:6], digits[6:]) if part)
    return code


def _choice(text: str, choices, name: str, problem) -> str | None:
    if not text:
        problem(name, _("This field is required."))
        return None
    value = _choice_index(choices).get(normalise(text))
    if value is None:
        problem(
            name,
            _("Unknown value “%(value)s”: use one of %(choices)s.")
            % {"value": text, "choices": ", ".join(str(label) for label in choices.labels)},
        )
    return value


class ImportRow(TypedDict, total=False):
    """A row of an upload as ArrivalImport.rows keeps it between requests (JSON). Only the functions
    below change its keys."""

    n: Required[int]  # its number in the sheet
    cells: Required[list[str]]  # its text, as read
    key: str | None  # once checked: the arrival it is (arrival_key), None when it has errors
    problems: list[list[str]]  # [field, message] of each error
    warnings: list[list[str]]  # [field, message] of each NIK warning
    state: str  # a RowState, settled against the whole sheet and the log
    same_as: int  # the earlier row of the sheet it repeats
    fix: dict[str, str]  # field -> text the officer typed in the preview, over the cells
    skip: bool  # the officer left it out


class ReportedRow(TypedDict):
    """A row left out of an import, as an imported upload keeps it for the error report."""

    n: int
    values: dict[str, str]
    reasons: list[str]


def values_of(row: ImportRow, mapping: dict[str, int]) -> dict[str, str]:
    """A stored row's text per field: its cells through the mapping, with the officer's fixes."""
    cells = row["cells"]
    values = {name: (cells[index] if index < len(cells) else "") for name, index in mapping.items()}
    values.update(row.get("fix", {}))
    return values


def check_row(row: ImportRow, mapping: dict[str, int], ctx: Context) -> RowCheck:
    """Check a stored row and note the outcome on it (its state is settled for the whole sheet)."""
    check = check_values(values_of(row, mapping), ctx)
    row["key"] = check.key
    for name, found in (("problems", check.problems), ("warnings", check.warnings)):
        if found:
            row[name] = [list(item) for item in found]
        else:
            row.pop(name, None)
    return check


def settle(rows: list[ImportRow], logged: set[str]) -> dict[str, int]:
    """Give every checked row its state for the whole sheet; returns the number of rows per state."""
    counts = dict.fromkeys(RowState.values, 0)
    states = row_states(
        ((row["n"], row.get("key"), bool(row.get("warnings")), bool(row.get("skip"))) for row in rows), logged
    )
    for row, (state, same_as) in zip(rows, states, strict=True):
        row["state"] = state
        if same_as:
            row["same_as"] = same_as
        else:
            row.pop("same_as", None)
        counts[state] += 1
    return counts


def fix_row(row: ImportRow, mapping: dict[str, int], values: dict[str, str]) -> None:
    """Keep the officer's text for these fields over the row's cells; text equal to the cell's is no
    correction. Unknown fields are the caller's to refuse."""
    original = values_of(ImportRow(n=row["n"], cells=row["cells"]), mapping)
    fix = row.get("fix", {})
    for name, text in values.items():
        text = text.strip()
        if text == original.get(name, ""):
            fix.pop(name, None)
        else:
            fix[name] = text
    if fix:
        row["fix"] = fix
    else:
        row.pop("fix", None)


def skip_row(row: ImportRow, skip: bool) -> None:
    if skip:
        row["skip"] = True
    else:
        row.pop("skip", None)


def fields_at_fault(row: ImportRow) -> set[str]:
    return {name for name, _message in row.get("problems", []) + row.get("warnings", [])}


def reasons(row: ImportRow) -> list[str]:
    """Why a stored row is not simply imported, each reason naming its column."""
    state = row.get("state")
    if state == RowState.SKIPPED:
        found = [_("Skipped by the officer.")]
    elif state == RowState.DUPLICATE:
        found = [_("Same arrival as row %(number)s of this file.") % {"number": row["same_as"]}]
    elif state == RowState.PRESENT:
        found = [_("Already in the arrival log.")]
    else:
        found = []
    for name, message in row.get("problems", []) + row.get("warnings", []):
        found.append(f"{COLUMNS_BY_FIELD[name].label}: {message}")
    return found
