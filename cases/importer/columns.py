"""The columns of an arrival sheet: the import template's Indonesian headers, the other names office
sheets give the same column, and matching a sheet's header row to our fields."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    field: str
    # The template's header. Indonesian whatever the page language: it is part of the file format.
    header: str
    label: Promise
    required: bool = False
    # Other headers that mean this column in the sheets BP3MI already keeps (compared normalised).
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "full_name",
        "Nama lengkap",
        _("Full name"),
        required=True,
        aliases=("nama", "full name", "name", "nama pmi", "nama pekerja migran", "nama lengkap pmi"),
    ),
    Column(
        "nik",
        "NIK",
        _("NIK"),
        aliases=("no ktp", "nomor ktp", "no nik", "nomor nik", "nomor induk kependudukan", "ktp"),
    ),
    Column(
        "sex",
        "Jenis kelamin (P/L)",
        _("Sex"),
        required=True,
        aliases=("jenis kelamin", "jk", "l p", "p l", "kelamin", "sex", "gender"),
    ),
    Column(
        "birth_date",
        "Tanggal lahir (dd/mm/yyyy)",
        _("Birth date"),
        aliases=("tanggal lahir", "tgl lahir", "birth date", "date of birth"),
    ),
    Column(
        "age",
        "Usia (jika tanggal lahir tidak diketahui)",
        _("Age"),
        aliases=("usia", "umur", "age"),
    ),
    Column(
        "origin_region",
        "Kode wilayah asal",
        _("Origin"),
        aliases=("kode wilayah", "wilayah asal", "kode daerah asal", "kode wilayah kemendagri", "origin"),
    ),
    Column("address", "Alamat", _("Address"), aliases=("alamat asal", "alamat lengkap", "address")),
    Column(
        "phone",
        "Telepon",
        _("Phone"),
        aliases=("no hp", "nomor hp", "no telp", "nomor telepon", "telp", "hp", "phone"),
    ),
    Column(
        "arrived_on",
        "Tanggal kedatangan (dd/mm/yyyy)",
        _("Arrival date"),
        required=True,
        aliases=(
            "tanggal kedatangan",
            "tgl kedatangan",
            "tanggal tiba",
            "tgl tiba",
            "tanggal pulang",
            "tanggal kepulangan",
            "arrival date",
        ),
    ),
    Column(
        "arrival_point",
        "Tempat kedatangan",
        _("Arrival point"),
        required=True,
        aliases=("tempat tiba", "pintu masuk", "debarkasi", "pelabuhan bandara", "arrival point"),
    ),
    Column(
        "category",
        "Kategori",
        _("Category"),
        required=True,
        aliases=("jenis kepulangan", "kategori kepulangan", "category"),
    ),
    Column(
        "procedural",
        "Prosedural (Ya/Tidak)",
        _("Procedural"),
        required=True,
        aliases=("prosedural", "status prosedural", "procedural"),
    ),
    Column(
        "country",
        "Negara",
        _("Country worked in"),
        aliases=("negara penempatan", "negara tujuan", "negara bekerja", "negara asal kepulangan", "country"),
    ),
    Column("employer", "Pemberi kerja", _("Employer"), aliases=("majikan", "perusahaan", "employer")),
    Column("sector", "Sektor", _("Sector"), aliases=("sektor pekerjaan", "bidang pekerjaan", "sector")),
    Column("route_notes", "Catatan rute", _("Route notes"), aliases=("rute", "route notes", "route")),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
FIELDS = tuple(column.field for column in COLUMNS)
REQUIRED_FIELDS = tuple(column.field for column in COLUMNS if column.required)


@lru_cache(maxsize=8192)  # a sheet repeats a few values (P, Ya, Pelabuhan Tenau) thousands of times
def normalise(text: str) -> str:
    """A header or value as compared: no accents, case, brackets' contents or punctuation."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_NAMES = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.field.replace("_", " "), *_column.aliases):
        _NAMES.setdefault(normalise(_name), _column.field)


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Our field -> the index of the first column whose header names it."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = _NAMES.get(normalise(header))
        if field and field not in mapping:
            mapping[field] = index
    return mapping


def missing_fields(mapping: dict[str, int]) -> list[str]:
    return [field for field in REQUIRED_FIELDS if field not in mapping]


def mapping_errors(mapping: dict[str, int], width: int) -> dict[str, str]:
    """What is wrong with a mapping of fields to the indexes of a sheet's `width` columns: every
    required field needs a column, and no column serves two fields."""
    errors = {}
    for name, index in mapping.items():
        if name not in COLUMNS_BY_FIELD or not 0 <= index < width:
            errors[name] = gettext("Choose one of the file's columns.")
    for name in missing_fields(mapping):
        errors[name] = gettext("This column is required: choose the file's column that holds it.")
    used: dict[int, str] = {}
    for column in COLUMNS:
        index = mapping.get(column.field)
        if index is None:
            continue
        if index in used:
            errors[column.field] = gettext("This column is already matched to “%(field)s”.") % {
                "field": COLUMNS_BY_FIELD[used[index]].label
            }
        used.setdefault(index, column.field)
    return errors


def resolve_columns(named: dict[str, str], headers: list[str]) -> dict[str, int | None]:
    """Field -> index of the column named by its header (compared as headers are matched) or by its
    letter; an empty name means the sheet has no such column (None)."""
    by_header: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_header.setdefault(normalise(header), index)
    letters = {column_letter(index): index for index in range(len(headers))}
    resolved: dict[str, int | None] = {}
    for field, name in named.items():
        if field not in COLUMNS_BY_FIELD:
            raise ValidationError(
                gettext("Unknown field “%(field)s”; the fields are: %(fields)s.")
                % {"field": field, "fields": ", ".join(FIELDS)}
            )
        if not name.strip():
            resolved[field] = None
        elif normalise(name) in by_header:
            resolved[field] = by_header[normalise(name)]
        elif name.strip().upper() in letters:
            resolved[field] = letters[name.strip().upper()]
        else:
            raise ValidationError(gettext("The file has no column “%(column)s”.") % {"column": name})
    return resolved


def describe_columns(headers: list[str]) -> str:
    """The sheet's columns as A='Nama', B='NIK', ... for a message."""
    return ", ".join(f"{column_letter(index)}={header!r}" for index, header in enumerate(headers))


def column_letter(index: int) -> str:
    """A, B, ..., Z, AA, ... as Excel names the column at this index (0-based)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
