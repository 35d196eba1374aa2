"""Bringing BP3MI's spreadsheets in: upload, column matching, checking, preview with fixes and skips,
import in one go, the error report, and no arrival twice."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.importer import services
from cases.importer.columns import COLUMNS
from cases.models import ArrivalImport, Person, Returnee
from gugus_tugas.accounts.models import AccessLog, Agency, AgencyKind
from gugus_tugas.dashboard.selectors import Period, returnees_by_month
from tests.conftest import make_account
from tests.factories import make_person, make_returnee
from tests.sheets import HEADERS, arrival, csv_file, people, xlsx_file

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
START = reverse("cases:arrival_import_start")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def upload(client, data: bytes, name: str = "kedatangan.xlsx"):
    return client.post(START, {"file": SimpleUploadedFile(name, data)})


def uploaded(client, data: bytes, name: str = "kedatangan.xlsx") -> ArrivalImport:
    """Upload a file and check every row, as the progress page does; the import is then at its preview."""
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    arrival_import = ArrivalImport.objects.latest("id")
    while arrival_import.status == ArrivalImport.Status.CHECKING:
        client.post(reverse("cases:arrival_import_check", args=[arrival_import.pk]))
        arrival_import.refresh_from_db()
    return arrival_import


def preview(client, arrival_import, **query) -> str:
    url = reverse("cases:arrival_import_detail", args=[arrival_import.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.text


def commit(client, arrival_import, **data):
    return client.post(reverse("cases:arrival_import_commit", args=[arrival_import.pk]), data, follow=True)


def text_of(response) -> str:
    return response.content.decode()


# The template and the good path


def test_the_template_has_the_indonesian_columns_and_pick_lists(client_for, bp3mi_officer):
    response = client_for(bp3mi_officer).get(reverse("cases:arrival_import_template"))
    assert response.status_code == 200
    assert "templat-impor-kepulangan.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == HEADERS
    assert headers[:3] == ["Nama lengkap", "NIK", "Jenis kelamin (P/L)"]
    assert "Tanggal kedatangan (dd/mm/yyyy)" in headers
    lists = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert '"P,L"' in lists
    assert '"Bandara El Tari,Pelabuhan Tenau,Pelabuhan Bolok,Lainnya"' in lists
    guide = workbook.worksheets[1]
    assert guide.title == "Petunjuk"
    assert [row[0] for row in guide.iter_rows(min_row=2, max_row=4, values_only=True)] == HEADERS[:3]


def test_a_good_sheet_goes_into_the_arrival_log_with_history(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    rows = [
        arrival(),
        arrival(
            full_name="Yosef Nahak",
            nik="",
            sex="L",
            birth_date="",
            age=30,
            origin_region="5304",
            arrival_point="tenau_port",
            category="deportee",
            procedural="Ya",
            country="MY",
        ),
        arrival(
            full_name="Agustina Seran",
            nik="5304116208950002",
            birth_date="22/08/1995",
            arrival_point="Bandara El Tari",
            category="Dipulangkan (repatriasi)",
            country="Arab Saudi",
            arrived_on="20-11-2026",
        ),
    ]
    arrival_import = uploaded(client, xlsx_file(rows))
    page = preview(client, arrival_import)
    assert page.count("Akan diimpor") >= 3
    assert arrival_import.counts["valid"] == 3

    done = commit(client, arrival_import)
    assert "3 kepulangan diimpor." in text_of(done)
    assert Returnee.objects.count() == 3
    # The dashboard's monthly tally counts imported arrivals too (the import writes in bulk).
    november = {row["month"]: row for row in returnees_by_month(Period(2026, 2026))}["2026-11"]
    assert (november["total"], november["deportee"], november["repatriated"]) == (3, 2, 1)
    maria = Returnee.objects.get(person__full_name="Maria Goreti Bria")
    assert (maria.arrived_on, maria.arrival_point, maria.category, maria.procedural, maria.country) == (
        datetime.date(2026, 11, 25),
        "tenau_port",
        "deportee",
        False,
        "MY",
    )
    assert (maria.person.nik, maria.person.sex, maria.person.birth_date, maria.person.origin_region_id) == (
        "5371015705980003",
        "F",
        datetime.date(1998, 5, 17),
        "53.71.01",
    )
    assert (maria.recorded_by_agency, maria.created_by, maria.person.recorded_by_agency) == (
        bp3mi_officer.agency,
        bp3mi_officer,
        bp3mi_officer.agency,
    )
    yosef = Person.objects.get(full_name="Yosef Nahak")
    assert (yosef.birth_date, yosef.birth_date_estimated, yosef.origin_region_id) == (
        datetime.date(1996, 11, 25),
        True,
        "53.04",
    )
    agustina = Returnee.objects.get(person__full_name="Agustina Seran")
    assert (agustina.country, agustina.category, agustina.arrival_point, agustina.arrived_on) == (
        "SA",
        "repatriated",
        "el_tari_airport",
        datetime.date(2026, 11, 20),
    )
    # The change history the project keeps for every record says who brought them in, and from where.
    assert maria.history.get().history_user == bp3mi_officer
    assert maria.person.history.get().history_change_reason == "Diimpor dari kedatangan.xlsx"
    # The arrival log shows them like any arrival.
    log = client.get(reverse("cases:returnee_list")).text
    assert "Agustina Seran" in log and "Yosef Nahak" in log


def test_a_csv_with_semicolons_and_a_byte_order_mark_is_read_like_the_xlsx(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, csv_file(people(3)), "kedatangan.csv")
    assert arrival_import.counts["valid"] == 3
    commit(client, arrival_import)
    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Orang Ke-1 Nahak",
        "Orang Ke-2 Nahak",
        "Orang Ke-3 Nahak",
    ]


def test_a_csv_with_commas_from_windows_excel_keeps_its_accents(client_for, bp3mi_officer):
    data = csv_file(
        [arrival(full_name="Théresia Ndun", address="Kelurahan Oebobo, Kota Kupang")],
        delimiter=",",
        encoding="cp1252",
    )
    arrival_import = uploaded(client_for(bp3mi_officer), data, "kedatangan.csv")
    assert arrival_import.counts["valid"] == 1
    commit(client_for(bp3mi_officer), arrival_import)
    person = Person.objects.get()
    assert (person.full_name, person.address) == ("Théresia Ndun", "Kelurahan Oebobo, Kota Kupang")


def test_a_different_column_order_is_matched_by_its_headers(client_for, bp3mi_officer):
    fields = [column.field for column in reversed(COLUMNS)]
    arrival_import = uploaded(client_for(bp3mi_officer), xlsx_file(people(2), fields=fields))
    assert arrival_import.status == ArrivalImport.Status.READY
    commit(client_for(bp3mi_officer), arrival_import)
    assert set(Person.objects.values_list("full_name", "nik")) == {
        (row["full_name"], row["nik"]) for row in people(2)
    }


def test_a_title_above_the_header_row_is_passed_over(client_for, bp3mi_officer):
    data = xlsx_file(people(2), above=[["DATA KEPULANGAN PMI BP3MI NTT"], ["Bulan November 2026"], []])
    arrival_import = uploaded(client_for(bp3mi_officer), data)
    assert (arrival_import.header_row, arrival_import.counts["valid"]) == (4, 2)


# Column matching


OFFICE_HEADERS = [
    "No",
    "NAMA PMI",
    "No. KTP",
    "L/P",
    "Tgl Lahir",
    "TGL TIBA",
    "DEBARKASI",
    "JENIS",
    "STATUS",
    "NEGARA",
]


def office_sheet() -> bytes:
    """The office's own sheet: its own headers, a running number, the procedural column named otherwise."""
    rows = []
    for n, row in enumerate(people(2), start=1):
        rows.append(
            [
                n,
                row["full_name"],
                row["nik"],
                row["sex"],
                row["birth_date"],
                row["arrived_on"],
                "Tenau",
                "Deportasi",
                "Non Prosedural",
                "Malaysia",
            ]
        )
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(OFFICE_HEADERS)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_sheet_with_its_own_headers_is_matched_by_hand_then_checked(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    response = upload(client, office_sheet())
    arrival_import = ArrivalImport.objects.get()
    assert response.url == reverse("cases:arrival_import_detail", args=[arrival_import.pk])
    mapping_url = reverse("cases:arrival_import_mapping", args=[arrival_import.pk])
    assert client.get(response.url).url == mapping_url
    page = client.get(mapping_url).text
    # What could be recognised is matched already; the officer sees examples of each column, and
    # the access log notes that identities were shown.
    assert '<option value="1" selected>B: NAMA PMI (mis. Orang Ke-1 Nahak)</option>' in page
    assert AccessLog.objects.filter(record_type="arrival_import", record_id=str(arrival_import.pk)).exists()

    matched = {
        "full_name": 1,
        "nik": 2,
        "sex": 3,
        "birth_date": 4,
        "arrived_on": 5,
        "arrival_point": 6,
        "category": 7,
        "procedural": 8,
        "country": 9,
    }
    response = client.post(mapping_url, {name: str(index) for name, index in matched.items()})
    assert response.status_code == 302
    arrival_import = uploaded_to_the_end(client, arrival_import)
    assert arrival_import.counts["valid"] == 2
    commit(client, arrival_import)
    assert set(Returnee.objects.values_list("procedural", "category", "arrival_point")) == {
        (False, "deportee", "tenau_port")
    }


def uploaded_to_the_end(client, arrival_import) -> ArrivalImport:
    arrival_import.refresh_from_db()
    while arrival_import.status == ArrivalImport.Status.CHECKING:
        client.post(reverse("cases:arrival_import_check", args=[arrival_import.pk]))
        arrival_import.refresh_from_db()
    return arrival_import


def test_column_matching_needs_every_required_field_and_one_column_each(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    upload(client, office_sheet())
    arrival_import = ArrivalImport.objects.get()
    mapping_url = reverse("cases:arrival_import_mapping", args=[arrival_import.pk])
    response = client.post(mapping_url, {"full_name": "1", "nik": "1", "sex": "3"})
    assert response.status_code == 200
    assert "Kolom ini sudah dipasangkan dengan “Nama lengkap”." in response.text
    assert response.text.count("Bidang ini wajib diisi.") >= 4  # arrival date, point, category, procedural
    arrival_import.refresh_from_db()
    assert arrival_import.status == ArrivalImport.Status.MAPPING


# Bad rows, each with its reason in Indonesian


BAD_ROWS = [
    ("nik", "53710157059800", "NIK terdiri dari tepat 16 angka."),
    ("nik", "9971015705980003", "NIK diawali kode provinsi; 99 bukan kode provinsi."),
    ("nik", "5371017202980003", "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir DDMMYY"),
    ("nik", 5371015705980000, "Excel membuang angka terakhirnya"),  # a NIK typed into a number cell
    ("nik", 5.371015705980003e15, "Excel membuang angka terakhirnya"),
    ("full_name", "", "Nama lengkap: Bidang ini wajib diisi."),
    ("full_name", "X" * 201, "Nama lengkap: Terlalu panjang: paling banyak 200 karakter."),
    ("sex", "X", "Jenis kelamin: Tulis P (perempuan) atau L (laki-laki)."),
    ("birth_date", "31/02/1998", "Tanggal lahir: “31/02/1998” bukan tanggal: tulis dd/mm/yyyy."),
    ("birth_date", datetime.date(2026, 11, 26), "Tanggal lahir setelah tanggal kedatangan."),
    ("arrived_on", "", "Tanggal kedatangan: Bidang ini wajib diisi."),
    ("arrived_on", "28/11/2026", "Tanggal kedatangan: Tanggal ini berada di masa depan."),
    ("age", "tiga puluh", "Usia: Tulis usia dalam tahun penuh, dari 0 sampai 120."),
    ("origin_region", "53.99", "“53.99” bukan kode wilayah Kemendagri"),
    ("arrival_point", "Pelabuhan Atapupu", "Tempat kedatangan: Nilai “Pelabuhan Atapupu” tidak dikenal"),
    ("category", "Turis", "Kategori: Nilai “Turis” tidak dikenal"),
    ("procedural", "mungkin", "Prosedural: Tulis Ya atau Tidak."),
    ("country", "Atlantis", "Negara “Atlantis” tidak dikenal"),
]


@pytest.mark.parametrize(
    ("field", "value", "reason"), BAD_ROWS, ids=[f"{f}-{i}" for i, (f, _v, _r) in enumerate(BAD_ROWS)]
)
def test_each_kind_of_bad_row_is_marked_with_its_reason(client_for, bp3mi_officer, field, value, reason):
    client = client_for(bp3mi_officer)
    rows = [people(1)[0], arrival(**{field: value}), people(2)[1]]
    if field == "age":
        rows[1].update(birth_date="")
    arrival_import = uploaded(client, xlsx_file(rows))
    assert arrival_import.counts["invalid"] == 1
    page = preview(client, arrival_import)
    assert reason in page
    assert 'id="baris-3"' in page  # the sheet's own row number, header being row 1

    done = commit(client, arrival_import)
    assert "2 kepulangan diimpor." in text_of(done)
    assert Returnee.objects.count() == 2
    assert not Person.objects.filter(full_name="Maria Goreti Bria").exists()


def test_a_row_with_several_problems_lists_them_in_column_order(client_for, bp3mi_officer):
    arrival_import = uploaded(
        client_for(bp3mi_officer), xlsx_file([arrival(procedural="?", nik="123", sex="?", country="??")])
    )
    row = arrival_import.rows[0]
    assert [name for name, _message in row["problems"]] == ["nik", "sex", "procedural", "country"]


# Duplicates and idempotence


def test_a_row_repeating_an_earlier_row_is_left_out_and_says_which(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    first, second = people(2)
    arrival_import = uploaded(client, xlsx_file([first, second, first]))
    assert (arrival_import.counts["valid"], arrival_import.counts["duplicate"]) == (2, 1)
    assert "Kepulangan yang sama dengan baris 2 di file ini." in preview(client, arrival_import)
    commit(client, arrival_import)
    assert Returnee.objects.count() == 2


def test_without_a_nik_the_same_name_birth_date_and_day_is_the_same_arrival(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    rows = [
        arrival(nik="", full_name="Yohana  Lake"),
        arrival(nik="", full_name="yohana lake"),  # the same person, typed again
        arrival(nik="", full_name="Yohana Lake", birth_date=datetime.date(1999, 1, 1)),  # another one
        arrival(nik="", full_name="Yohana Lake", arrived_on=datetime.date(2026, 10, 1)),  # a later trip
    ]
    arrival_import = uploaded(client, xlsx_file(rows))
    assert [row["state"] for row in arrival_import.rows] == ["valid", "duplicate", "valid", "valid"]


def test_importing_the_same_file_again_adds_nothing_and_says_so(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    data = xlsx_file(people(3))
    commit(client, uploaded(client, data))
    assert Returnee.objects.count() == 3

    again = uploaded(client, data)
    assert again.pk != ArrivalImport.objects.earliest("id").pk
    assert again.counts["present"] == 3
    page = preview(client, again)
    assert "File ini sudah diimpor pada" in page
    assert "Sudah ada di log kepulangan." in page
    assert "Belum ada baris yang dapat diimpor" in page
    commit(client, again)
    assert Returnee.objects.count() == 3


def test_uploading_a_file_again_before_it_is_imported_continues_that_upload(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    data = xlsx_file(people(2))
    first = uploaded(client, data)
    response = upload(client, data, "salinan.xlsx")
    assert response.url == reverse("cases:arrival_import_detail", args=[first.pk])
    assert ArrivalImport.objects.count() == 1
    assert "sudah diunggah pada" in client.get(response.url).text


def test_arrivals_already_logged_by_hand_are_marked_and_not_added(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    logged = make_person(nik="5371015705980003")
    make_returnee(bp3mi_officer, person=logged, arrived_on=datetime.date(2026, 11, 25))
    no_nik = make_person(full_name="Yosef Nahak", nik="", birth_date=datetime.date(1990, 2, 3))
    make_returnee(bp3mi_officer, person=no_nik, arrived_on=datetime.date(2026, 11, 25))
    rows = [
        arrival(),
        arrival(full_name="yosef nahak", nik="", birth_date=datetime.date(1990, 2, 3)),
        arrival(arrived_on=datetime.date(2026, 9, 1)),  # the same worker, an earlier trip
    ]
    arrival_import = uploaded(client, xlsx_file(rows))
    assert [row["state"] for row in arrival_import.rows] == ["present", "present", "valid"]
    commit(client, arrival_import)
    assert Returnee.objects.count() == 3


def test_arrivals_logged_by_another_agency_are_not_revealed_nor_counted(client_for, bp3mi_officer):
    other = Agency.objects.create(code="BP3MI-NTB", name="BP3MI NTB", kind=AgencyKind.MIGRANT_PROTECTION)
    officer = make_account("ntb", other.code)
    make_returnee(
        officer, person=make_person(other, nik="5371015705980003"), arrived_on=datetime.date(2026, 11, 25)
    )
    arrival_import = uploaded(client_for(bp3mi_officer), xlsx_file([arrival()]))
    assert arrival_import.counts["valid"] == 1


# Fixes and skips


def test_a_bad_row_is_fixed_in_the_preview_and_then_imported(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([arrival(birth_date="31/02/1998", sex="X")]))
    page = preview(client, arrival_import)
    # The small form offers the fields at fault, filled with what the sheet says.
    assert 'name="birth_date" value="31/02/1998"' in page
    assert 'name="sex" value="X"' in page
    assert 'name="category"' not in page

    row_url = reverse("cases:arrival_import_row", args=[arrival_import.pk, 2])
    response = client.post(
        row_url,
        {
            "birth_date": "17/05/1998",
            "sex": "L",
            "next": reverse("cases:arrival_import_detail", args=[arrival_import.pk]),
        },
        follow=True,
    )
    assert "Baris 2 sekarang siap diimpor." in response.text
    # A man's NIK would not have 57 as its day: the NIK warning is shown and must be confirmed.
    assert "NIK menunjukkan jenis kelamin Perempuan, tetapi yang diisi Laki-laki" in response.text

    refused = commit(client, arrival_import)
    assert "centang kotak ini" in refused.text
    assert not Returnee.objects.exists()
    commit(client, arrival_import, accept_warnings="on")
    assert Person.objects.get().sex == "M"


def test_the_whole_row_can_be_corrected_on_its_own_page(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([arrival(category="Turis")]))
    row_url = reverse("cases:arrival_import_row", args=[arrival_import.pk, 2])
    page = client.get(row_url).text
    assert 'name="route_notes"' in page and "Nilai “Turis” tidak dikenal" in page
    client.post(
        row_url,
        {
            **{c.field: "" for c in COLUMNS},
            **{
                k: (v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else str(v))
                for k, v in arrival(category="Gagal berangkat").items()
            },
        },
    )
    commit(client, arrival_import)
    assert Returnee.objects.get().category == "failed_departure"


def test_a_skipped_row_is_left_out_and_goes_to_the_error_report(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    first, second = people(2)
    arrival_import = uploaded(client, xlsx_file([first, second]))
    skip_url = reverse("cases:arrival_import_skip", args=[arrival_import.pk, 3])
    response = client.post(skip_url, {"skip": "1"}, follow=True)
    assert "Baris 3 tidak akan diimpor." in response.text
    assert "Ikutkan kembali" in preview(client, arrival_import, tampil="dilewati")
    commit(client, arrival_import)
    assert list(Person.objects.values_list("full_name", flat=True)) == [first["full_name"]]
    report = client.get(reverse("cases:arrival_import_report", args=[arrival_import.pk, "csv"]))
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][0] == "3" and lines[1][-1] == "Dilewati oleh petugas."


def test_a_skipped_row_can_be_taken_back_in(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file(people(1)))
    skip_url = reverse("cases:arrival_import_skip", args=[arrival_import.pk, 2])
    client.post(skip_url, {"skip": "1"})
    client.post(skip_url, {"skip": "0"})
    commit(client, arrival_import)
    assert Returnee.objects.count() == 1


def test_a_fix_with_a_nul_character_is_refused_without_an_error_page(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([arrival(sex="X")]))
    response = client.post(
        reverse("cases:arrival_import_row", args=[arrival_import.pk, 2]), {"sex": "P\x00"}, follow=True
    )
    assert response.status_code == 200
    assert "Karakter null tidak diizinkan." in response.text


# The error report


def test_the_error_report_lists_the_rejected_rows_with_the_reason(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    first, second = people(2)
    data = csv_file([first, arrival(nik="123", phone="=HYPERLINK(1)"), first, second])
    arrival_import = uploaded(client, data, "kedatangan.csv")
    response = client.get(reverse("cases:arrival_import_report", args=[arrival_import.pk, "xlsx"]))
    assert response.status_code == 200
    assert "kedatangan-ditolak.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Baris", *HEADERS, "Alasan")
    assert [(row[0], row[-1]) for row in rows[1:]] == [
        (3, "NIK: NIK terdiri dari tepat 16 angka."),
        (4, "Kepulangan yang sama dengan baris 2 di file ini."),
    ]
    # A formula typed into a cell comes back as text, not as a formula.
    assert rows[1][HEADERS.index("Telepon") + 1] == "=HYPERLINK(1)"
    assert sheet.cell(row=2, column=HEADERS.index("Telepon") + 2).data_type == "s"
    # Downloading identities is an export in the access log.
    logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).get()
    assert (logged.user, logged.record_type, logged.record_id) == (
        bp3mi_officer,
        "arrival_import",
        str(arrival_import.pk),
    )


def test_the_corrected_error_report_can_be_uploaded_as_it_is(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([people(1)[0], arrival(sex="X")]))
    commit(client, arrival_import)
    report = client.get(reverse("cases:arrival_import_report", args=[arrival_import.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(report.content))
    workbook.worksheets[0]["D2"] = "P"  # the officer corrects the sex in Excel
    out = io.BytesIO()
    workbook.save(out)
    again = uploaded(client, out.getvalue(), "kedatangan-ditolak.xlsx")
    assert again.counts["valid"] == 1
    commit(client, again)
    assert Returnee.objects.count() == 2


def test_the_csv_report_opens_in_indonesian_excel(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([arrival(sex="X", address="Jl. Timor Raya; Oesapa")]))
    response = client.get(reverse("cases:arrival_import_report", args=[arrival_import.pk, "csv"]))
    assert response.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-1] == "Alasan"
    assert lines[1][HEADERS.index("Alamat") + 1] == "Jl. Timor Raya; Oesapa"


# Files that are not arrival logs


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "kosong.csv", "kosong"),
        (b"\n\n  \n", "kosong.csv", "File ini kosong."),
        (
            ";".join(HEADERS).encode(),
            "judul.csv",
            "File ini memiliki baris judul kolom tetapi tidak ada baris data",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "foto.xlsx", "bukan file CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "lama.xls", "file Excel lama (.xls)"),
        (b"PK\x03\x04 not really a zip", "rusak.xlsx", "File ini bukan spreadsheet yang dapat dibaca."),
        (b"Nama;NIK\nMaria;537\x00101\n", "nul.csv", "karakter NUL"),
        (
            b"Surat ini dibuat untuk dipergunakan sebagaimana mestinya.\nHormat kami\n",
            "surat.txt",
            "Hanya satu kolom",
        ),
        (
            b'Nama;NIK\n"' + b"x" * 200_000 + b'";1\n',
            "besar.csv",
            "Baris 2 dari file tidak dapat dibaca sebagai CSV",
        ),
    ],
    ids=["empty", "blank-lines", "header-only", "png", "xls", "broken-zip", "nul", "prose", "huge-cell"],
)
def test_a_file_that_is_not_an_arrival_log_is_refused_with_a_clear_message(
    client_for, bp3mi_officer, data, name, message
):
    response = upload(client_for(bp3mi_officer), data, name)
    assert response.status_code == 200
    assert message in response.text
    assert not ArrivalImport.objects.exists()


def test_a_file_over_20_mb_is_refused_before_it_is_read(client_for, bp3mi_officer):
    response = upload(client_for(bp3mi_officer), b"x" * (20 * 1024 * 1024 + 1), "besar.csv")
    assert "File lebih besar dari 20 MB." in response.text
    assert not ArrivalImport.objects.exists()


def test_an_xlsx_without_rows_and_a_zip_that_is_no_workbook_are_refused(client_for, bp3mi_officer):
    from openpyxl import Workbook

    empty = io.BytesIO()
    Workbook().save(empty)
    assert "File ini kosong." in upload(client_for(bp3mi_officer), empty.getvalue()).text
    import zipfile

    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert (
        "bukan spreadsheet yang dapat dibaca"
        in upload(client_for(bp3mi_officer), other.getvalue(), "surat.docx").text
    )


def test_a_huge_cell_in_an_xlsx_is_a_reason_on_its_row(client_for, bp3mi_officer):
    arrival_import = uploaded(
        client_for(bp3mi_officer), xlsx_file([arrival(route_notes="x" * 30_000), people(2)[1]])
    )
    assert arrival_import.counts == {**arrival_import.counts, "invalid": 1, "valid": 1}
    assert "Catatan rute: Terlalu panjang: paling banyak 2000 karakter." in preview(
        client_for(bp3mi_officer), arrival_import
    )


# Progress, all or nothing, access


def test_a_large_file_is_checked_in_steps_with_its_progress_shown(client_for, bp3mi_officer, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHECK_ROWS_PER_STEP", 2)
    client = client_for(bp3mi_officer)
    response = upload(client, xlsx_file(people(5)))
    arrival_import = ArrivalImport.objects.get()
    page = client.get(response.url).text
    assert "0 dari 5 baris diperiksa" in page
    assert "js/import-progress.js" in page
    check_url = reverse("cases:arrival_import_check", args=[arrival_import.pk])
    step = client.post(check_url, HTTP_ACCEPT="application/json").json()
    assert step == {
        "checked": 2,
        "total": 5,
        "done": False,
        "next": response.url,
        "label": "2 dari 5 baris diperiksa",
    }
    # Without the script, the button does one step per press.
    assert client.post(check_url).url == response.url
    assert "4 dari 5 baris diperiksa" in client.get(response.url).text
    last = client.post(check_url, HTTP_ACCEPT="application/json").json()
    assert (last["checked"], last["done"]) == (5, True)
    assert "Impor 5 kepulangan" in client.get(response.url).text


def test_the_import_is_all_or_nothing(client_for, bp3mi_officer, monkeypatch):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file(people(3)))
    real = services.bulk_create_with_history

    def fail_on_arrivals(objs, model, **kwargs):
        if model is Returnee:
            raise RuntimeError("disk full")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(services, "bulk_create_with_history", fail_on_arrivals)
    with pytest.raises(RuntimeError):
        commit(client, arrival_import)
    assert not Person.objects.exists()
    assert not Person.history.exists()
    arrival_import.refresh_from_db()
    assert arrival_import.status == ArrivalImport.Status.READY


def test_importing_twice_imports_once(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file(people(2)))
    commit(client, arrival_import)
    second = commit(client, arrival_import)
    assert "File ini sudah diimpor pada" in second.text
    assert Returnee.objects.count() == 2


def test_after_the_import_only_the_rejected_rows_are_kept(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file([*people(2), arrival(sex="X")]))
    page = commit(client, arrival_import).text
    assert "Diimpor: kedatangan.xlsx" in page
    arrival_import.refresh_from_db()
    assert [row["n"] for row in arrival_import.rows] == [4]
    assert "Orang Ke-1 Nahak" not in str(arrival_import.rows)


def test_an_upload_can_be_thrown_away(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    arrival_import = uploaded(client, xlsx_file(people(1)))
    response = client.post(reverse("cases:arrival_import_cancel", args=[arrival_import.pk]), follow=True)
    assert "tidak ada yang diimpor" in response.text
    assert not ArrivalImport.objects.exists()
    assert not Returnee.objects.exists()


def import_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", START),
        ("get", reverse("cases:arrival_import_template")),
        ("get", reverse("cases:arrival_import_detail", args=[pk])),
        ("get", reverse("cases:arrival_import_mapping", args=[pk])),
        ("post", reverse("cases:arrival_import_check", args=[pk])),
        ("get", reverse("cases:arrival_import_row", args=[pk, 2])),
        ("post", reverse("cases:arrival_import_skip", args=[pk, 2])),
        ("post", reverse("cases:arrival_import_commit", args=[pk])),
        ("post", reverse("cases:arrival_import_cancel", args=[pk])),
        ("get", reverse("cases:arrival_import_report", args=[pk, "xlsx"])),
    ]


@pytest.mark.parametrize("persona", ["police", "prosecutor", "service", "outsider", "chair", "admin"])
def test_only_officers_who_log_arrivals_reach_the_import(client_for, personas, persona):
    arrival_import = uploaded(client_for(personas["bp3mi"]), xlsx_file(people(1)))
    client = client_for(personas[persona])
    for method, url in import_urls(arrival_import.pk):
        assert getattr(client, method)(url).status_code == 403, url
    assert ArrivalImport.objects.get().status == ArrivalImport.Status.READY
    assert not Returnee.objects.exists()


def test_another_agencys_upload_is_not_found(client_for, bp3mi_officer):
    arrival_import = uploaded(client_for(bp3mi_officer), xlsx_file(people(1)))
    other = Agency.objects.create(code="BP3MI-NTB", name="BP3MI NTB", kind=AgencyKind.MIGRANT_PROTECTION)
    client = client_for(make_account("ntb", other.code))
    for method, url in import_urls(arrival_import.pk)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get(START).status_code == 200


def test_the_import_is_asked_for_to_log_in(client):
    assert client.get(START).url.startswith(reverse("login"))


def test_the_arrival_log_offers_the_import_to_bp3mi(client_for, bp3mi_officer, police_officer):
    assert "Impor dari spreadsheet" in client_for(bp3mi_officer).get(reverse("cases:returnee_list")).text


# The commit's cost


def commit_queries(officer, rows: int) -> list[str]:
    arrival_import = services.arrival_import_create(
        actor=officer,
        file_name=f"{rows}.xlsx",
        data=xlsx_file(people(rows, arrived_on=datetime.date(2026, 11, rows % 20 + 1))),
    )
    arrival_import = services.arrival_import_check(
        arrival_import=arrival_import, actor=officer, all_rows=True
    )
    with CaptureQueriesContext(connection) as captured:
        outcome = services.arrival_import_commit(
            arrival_import=arrival_import, actor=officer, accept_warnings=False
        )
    assert outcome.imported == rows
    return [query["sql"] for query in captured]


def statements(queries: list[str]) -> list[str]:
    """The queries without their values, consecutive inserts into one table counted once: SQLite
    allows at most 999 parameters per statement, so Django splits a bulk insert into batches there."""
    shapes = []
    for sql in queries:
        shape = re.sub(r"SAVEPOINT \S+", "SAVEPOINT", sql)
        for keyword in (" SET ", " VALUES ", " SELECT * FROM UNNEST", " WHERE "):
            shape = shape.split(keyword, 1)[0]
        if not (shapes and shape.startswith("INSERT") and shapes[-1] == shape):
            shapes.append(shape)
    return shapes


def test_the_commit_costs_the_same_queries_for_10_rows_as_for_100(bp3mi_officer):
    few = commit_queries(bp3mi_officer, 10)
    many = commit_queries(bp3mi_officer, 100)
    assert statements(many) == statements(few)
    if connection.vendor == "postgresql":
        assert len(many) == len(few)
