"""python manage.py import_arrivals: a deployer brings in a backlog of files and reads the counts."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cases.models import ArrivalImport, Returnee
from tests.sheets import arrival, csv_file, people, xlsx_file

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def run(*args, **options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_arrivals", *[str(arg) for arg in args], stdout=out, stderr=out, **options)
    return out.getvalue()


def test_it_imports_a_file_and_prints_the_counts_and_the_reasons(tmp_path, bp3mi_officer):
    first, second, third = people(3)
    path = tmp_path / "kepulangan-2024.xlsx"
    path.write_bytes(
        xlsx_file([first, second, arrival(nik="123"), first, arrival(sex="?", nik="", full_name="X"), third])
    )
    out = run(path, username="bp3mi")
    assert "kepulangan-2024.xlsx: 6 baris; 3 diimpor, 0 sudah ada di log, 3 ditolak." in out
    assert "NIK: 1 baris" in out
    assert "Jenis kelamin: 1 baris" in out
    assert "Mengulang baris di atas: 1 baris" in out
    assert Returnee.objects.count() == 3
    assert set(Returnee.objects.values_list("recorded_by_agency__code", "created_by__username")) == {
        ("BP3MI-NTT", "bp3mi")
    }
    # The rejected rows are written beside the file, with the reason in "Alasan".
    report = tmp_path / "kepulangan-2024-ditolak.xlsx"
    assert f"Laporan baris ditolak: {report}" in out
    rows = list(load_workbook(report).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Baris" and rows[0][-1] == "Alasan"
    assert [row[0] for row in rows[1:]] == [4, 5, 6]
    # The run is recorded like an upload of the pages, with only the rejected rows kept.
    recorded = ArrivalImport.objects.get()
    assert (recorded.status, recorded.imported_count, len(recorded.rows)) == ("imported", 3, 3)


def test_running_it_again_imports_nothing_twice(tmp_path, bp3mi_officer):
    path = tmp_path / "kepulangan.csv"
    path.write_bytes(csv_file(people(4)))
    run(path, username="bp3mi")
    out = run(path, username="bp3mi")
    assert "kepulangan.csv: 4 baris; 0 diimpor, 4 sudah ada di log, 0 ditolak." in out
    assert Returnee.objects.count() == 4


def test_a_dry_run_counts_and_saves_nothing(tmp_path, bp3mi_officer):
    path = tmp_path / "kepulangan.xlsx"
    path.write_bytes(xlsx_file(people(2)))
    out = run(path, username="bp3mi", dry_run=True)
    assert "2 akan diimpor" in out and "uji coba: tidak ada yang disimpan" in out
    assert not Returnee.objects.exists()
    assert not ArrivalImport.objects.exists()


def test_other_headers_are_matched_with_mapping(tmp_path, bp3mi_officer):
    fields = [
        "full_name",
        "nik",
        "sex",
        "birth_date",
        "arrived_on",
        "arrival_point",
        "category",
        "procedural",
    ]
    headers = ["NAMA PMI", "No KTP", "L/P", "Lahir", "Tiba", "Debarkasi", "Jenis", "Status"]
    path = tmp_path / "kantor.xlsx"
    path.write_bytes(xlsx_file(people(2), headers=headers, fields=fields))
    with pytest.raises(CommandError):
        run(path, username="bp3mi")
    assert not Returnee.objects.exists()
    out = run(
        path,
        username="bp3mi",
        mapping=[
            "birth_date=Lahir",
            "arrived_on=E",
            "arrival_point=Debarkasi",
            "category=G",
            "procedural=Status",
        ],
    )
    assert "2 diimpor" in out
    assert Returnee.objects.count() == 2


def test_the_columns_that_do_not_match_are_named(tmp_path, bp3mi_officer):
    fields = [
        "full_name",
        "nik",
        "sex",
        "birth_date",
        "arrived_on",
        "arrival_point",
        "category",
        "procedural",
    ]
    path = tmp_path / "kantor.xlsx"
    path.write_bytes(
        xlsx_file(
            people(1),
            headers=["Nama", "No KTP", "JK", "Lahir", "Tiba", "Debarkasi", "Jenis", "Status"],
            fields=fields,
        )
    )
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="1 dari 1 file tidak dapat diimpor"):
        call_command("import_arrivals", str(path), username="bp3mi", stdout=StringIO(), stderr=err)
    message = err.getvalue()
    assert "arrived_on (Tanggal kedatangan (dd/mm/yyyy)): Kolom ini wajib" in message
    assert "Kolom di file: A='Nama', B='No KTP', C='JK', D='Lahir', E='Tiba'" in message
    assert not Returnee.objects.exists()


def test_one_bad_file_does_not_stop_the_others(tmp_path, bp3mi_officer):
    good = tmp_path / "baik.xlsx"
    good.write_bytes(xlsx_file(people(2)))
    bad = tmp_path / "foto.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    missing = tmp_path / "tidak-ada.xlsx"
    from io import StringIO

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2 dari 3 file tidak dapat diimpor"):
        call_command(
            "import_arrivals", str(bad), str(good), str(missing), username="bp3mi", stdout=out, stderr=err
        )
    assert "baik.xlsx: 2 baris; 2 diimpor" in out.getvalue()
    assert "foto.xlsx: File ini berisi karakter NUL" in err.getvalue()
    assert "tidak-ada.xlsx" in err.getvalue()
    assert Returnee.objects.count() == 2


def test_nik_warnings_are_rejected_unless_accepted(tmp_path, bp3mi_officer):
    path = tmp_path / "kepulangan.xlsx"
    path.write_bytes(xlsx_file([arrival(sex="L")]))  # the NIK says a woman
    out = run(path, username="bp3mi", report_dir=tmp_path / "laporan")
    assert "0 diimpor" in out and "Peringatan NIK: 1 baris" in out
    assert (tmp_path / "laporan" / "kepulangan-ditolak.xlsx").exists()
    out = run(path, username="bp3mi", accept_warnings=True)
    assert "1 diimpor" in out
    assert Returnee.objects.get().person.sex == "M"


@pytest.mark.parametrize("username", ["penyidik", "ketua", "nobody"])
def test_only_an_officer_who_logs_arrivals_may_import(tmp_path, personas, username):
    path = tmp_path / "kepulangan.xlsx"
    path.write_bytes(xlsx_file(people(1)))
    with pytest.raises(CommandError, match="bukan petugas instansi pelindungan pekerja migran"):
        run(path, username=username)
    assert not Returnee.objects.exists()


def test_an_unknown_field_in_mapping_is_refused(tmp_path, bp3mi_officer):
    path = tmp_path / "kepulangan.xlsx"
    path.write_bytes(xlsx_file(people(1)))
    with pytest.raises(CommandError, match="ISIAN=KOLOM"):
        run(path, username="bp3mi", mapping=["umur=D"])
