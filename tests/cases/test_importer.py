"""Reading and checking a sheet, before anything is written: what an officer's file may hold."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.importer.checking import check_values, context, parse_date
from cases.importer.columns import guess_mapping, resolve_columns
from cases.importer.reading import read_table
from tests.sheets import FIELDS, HEADERS, arrival, csv_file, xlsx_file

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    "text",
    [
        "17/05/1998",
        "17-05-1998",
        "17.05.1998",
        "17051998",
        "1998-05-17",
        "17/5/1998",
        "17 Mei 1998",
        "17 mei 98",
        "17-Mei-1998",
        "17/05/1998 00:00",
        "17/05/98",
    ],
)
def test_dates_are_read_as_officers_write_them(text):
    assert parse_date(text, TODAY) == datetime.date(1998, 5, 17)


@pytest.mark.parametrize("text", ["31/02/1998", "05/17/1998", "kemarin", "1998", "17 Mai 1998"])
def test_what_is_not_a_date_is_not_guessed(text):
    with pytest.raises(ValueError):
        parse_date(text, TODAY)


def test_a_two_digit_year_is_never_in_the_future():
    assert parse_date("01/01/27", TODAY) == datetime.date(1927, 1, 1)
    assert parse_date("01/01/26", TODAY) == datetime.date(2026, 1, 1)


@pytest.mark.django_db
def test_the_office_headers_are_recognised_whatever_their_spelling():
    headers = [
        "No",
        "NAMA PMI",
        "No. KTP",
        "L/P",
        "Tgl. Lahir",
        "Umur",
        "Alamat Asal",
        "No HP",
        "Tanggal Tiba",
        "Debarkasi",
        "Jenis Kepulangan",
        "Status Prosedural",
        "Negara Penempatan",
        "Majikan",
        "Sektor",
        "Rute",
    ]
    assert guess_mapping(headers) == {
        "full_name": 1,
        "nik": 2,
        "sex": 3,
        "birth_date": 4,
        "age": 5,
        "address": 6,
        "phone": 7,
        "arrived_on": 8,
        "arrival_point": 9,
        "category": 10,
        "procedural": 11,
        "country": 12,
        "employer": 13,
        "sector": 14,
        "route_notes": 15,
    }


def test_columns_are_named_by_header_or_letter():
    assert resolve_columns({"nik": "no ktp", "sex": "c", "age": ""}, ["Nama", "No. KTP", "JK"]) == {
        "nik": 1,
        "sex": 2,
        "age": None,
    }
    with pytest.raises(ValidationError):
        resolve_columns({"nik": "Nomor Paspor"}, ["Nama", "No. KTP"])


@pytest.mark.django_db
def test_a_nik_in_a_number_cell_is_not_taken_for_a_good_one():
    table = read_table(xlsx_file([arrival(nik=5371015705980000)]))
    assert table.rows[0][1][1] == "5.37101570598E+15"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell, phone",
    [
        (81234567890, "081234567890"),  # a mobile number in a number cell: its 0 is back
        (6281234567890, "+6281234567890"),  # an international one: its + is back
        (380821234, "0380821234"),  # a Kupang landline
        (627123456, "0627123456"),  # a landline of area code 0627, not +62
        ("081234567890", "081234567890"),  # typed as text: as it is
        ("+62 812-3456-7890", "+62 812-3456-7890"),
        ("", ""),
    ],
)
def test_a_phone_number_in_a_number_cell_keeps_its_leading_0_or_plus(cell, phone):
    table = read_table(xlsx_file([arrival(phone=cell)]))
    values = dict(zip(FIELDS, table.rows[0][1], strict=False))
    assert check_values(values, context()).person["phone"] == phone


def test_an_xlsx_date_cell_becomes_dd_mm_yyyy_and_a_csv_keeps_its_text():
    assert read_table(xlsx_file([arrival()])).rows[0][1][3] == "17/05/1998"
    assert read_table(csv_file([arrival(birth_date="17 Mei 1998")])).rows[0][1][3] == "17 Mei 1998"


def test_a_csv_exported_as_unicode_text_is_read():
    data = ("\t".join(HEADERS) + "\n" + "\t".join(["Théresia Ndun", "", "P"] + [""] * 13) + "\n").encode(
        "utf-16"
    )
    table = read_table(data)
    assert (table.headers[:2], table.rows[0][1][0]) == (HEADERS[:2], "Théresia Ndun")


def test_a_title_line_with_a_comma_does_not_change_the_separator():
    data = (
        "DATA KEPULANGAN, BP3MI NTT\n" + ";".join(HEADERS) + "\n" + ";".join(["Maria", "", "P"]) + "\n"
    ).encode()
    table = read_table(data)
    assert (table.header_row, table.headers[0], table.rows[0]) == (2, "Nama lengkap", (3, ["Maria", "", "P"]))


@pytest.mark.django_db
def test_the_checks_know_every_kemendagri_region_of_ntt():
    codes = context().region_codes
    assert {"53", "53.71", "53.71.01", "11"} <= codes
