"""The case file in a real browser: the investigator photographs the police report (LP) with the phone's
camera (390x844) and the prosecutor named at P-21 downloads it on a desktop (1366x768): the same bytes,
the same SHA-256, no GPS left in the photo, and the download in the access log."""

import datetime
import hashlib

import pytest

from cases.models import CaseHandling
from documents.models import Document
from gugus_tugas.accounts.models import AccessLog, Agency
from tests.conftest import PASSWORD, make_account
from tests.documents.samples import has_gps, photo
from tests.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def case_at_p21():
    investigator = make_account("penyidik", "POLDA-NTT")
    make_account("jaksa", "KEJARI-KUPANG")
    kejari = Agency.objects.get(code="KEJARI-KUPANG")
    case = make_case(
        investigator,
        stage="prosecution",
        identified_on=datetime.date(2025, 2, 1),
        lp_number="LP/B/12/II/2025/SPKT",
        lp_model="B",
        reported_on=datetime.date(2025, 2, 3),
        p21_on=datetime.date(2025, 4, 10),
        prosecution_agency=kejari,
    )
    CaseHandling.objects.create(case=case, agency=kejari, grounds="p21")
    return case


def test_the_investigator_photographs_the_lp_and_the_prosecutor_downloads_it(journey, case_at_p21, tmp_path):
    case = case_at_p21
    police = journey("phone", "penyidik-dokumen")
    page = police.page
    police.login("penyidik", PASSWORD)
    page.goto(police.url(f"/kasus/{case.pk}/"))
    page.locator("#dokumen").get_by_role("link", name="+ Tambah dokumen").click()
    page.wait_for_load_state()
    capture = page.locator("input[type=file][capture=environment]")
    assert capture.get_attribute("accept") == "image/jpeg,image/png,image/webp"
    picture = photo("JPEG", size=(1200, 800))
    capture.set_input_files(
        files=[{"name": "IMG_20250410_0930.jpg", "mimeType": "image/jpeg", "buffer": picture}]
    )
    page.select_option("#id_kind", "lp")
    page.fill("#id_title", "LP/B/12/II/2025/SPKT")
    page.fill("#id_dated_on", "03/02/2025")
    police.shot("lp-photographed")
    page.get_by_role("button", name="Unggah").click()
    page.wait_for_load_state()
    assert "“LP/B/12/II/2025/SPKT” tersimpan." in page.content()
    document = Document.objects.get()
    assert document.sha256 in page.content()
    police.shot("lp-saved")

    kejari = journey("desktop", "jaksa-dokumen")
    page = kejari.page
    kejari.login("jaksa", PASSWORD)
    page.goto(kejari.url(f"/kasus/{case.pk}/"))
    kejari.shot("case-with-documents")
    page.locator("#dokumen").get_by_role("link", name="LP/B/12/II/2025/SPKT").click()
    page.wait_for_load_state()
    assert document.sha256 in page.content()
    kejari.shot("lp-detail")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh").first.click()
    download = download_info.value
    assert download.suggested_filename == "IMG_20250410_0930.jpg"
    saved = tmp_path / "lp.jpg"
    download.save_as(saved)
    data = saved.read_bytes()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert has_gps(picture) and not has_gps(data)
    entry = AccessLog.objects.get(action="download")
    assert (entry.user.username, entry.record_id) == ("jaksa", str(document.pk))
