"""The three daily journeys in a real browser, on a phone (390x844) and on a desktop (1366x768):

1. a BP3MI officer logs two arrivals from one ship, screens one as a possible victim, opens the case and
   refers the victim to the police with consent;
2. the investigator finds the referral in the inbox, accepts, records the LP, moves the case through
   inquiry and investigation, records the SPDP and the P-21 naming Kejari Kupang; the prosecutor
   records the trial, the verdict with restitution and the final judgment;
3. the chair opens the dashboard, sees the new counts, downloads the XLSX, opens the case and sees the
   victim masked.
"""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import PASSWORD, make_account

pytestmark = [
    pytest.mark.browser,
    # The live server runs in its own thread: real transactions, and the seeded agencies restored after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST = {"name": "Yohana Bria Seran", "nik": "5371015203990001", "birth": "12/03/1999"}
SECOND = {"name": "Maria Goreti Ndun", "nik": "5371016708010002", "birth": "27/08/2001"}


@pytest.fixture
def accounts(db):
    return {
        "bp3mi": make_account("bp3mi", "BP3MI-NTT"),
        "polda": make_account("penyidik", "POLDA-NTT"),
        "kejari": make_account("jaksa", "KEJARI-KUPANG"),
        "ketua": make_account("ketua", "GT-TPPO-KUPANG", "chair"),
    }


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def arrival_and_person(page, person):
    page.fill("#id_person-full_name", person["name"])
    page.fill("#id_person-nik", person["nik"])
    page.check("input[name='person-sex'][value='F']")
    page.fill("#id_person-birth_date", person["birth"])
    page.select_option("#id_person-origin_region", "53.71.01")


def bp3mi_logs_screens_opens_and_refers(journey, viewport) -> str:
    bp3mi = journey(viewport, "bp3mi")
    page = bp3mi.page
    bp3mi.login("bp3mi", PASSWORD)
    assert page.url.endswith("/kepulangan/")
    bp3mi.shot("arrival-log")

    page.get_by_role("link", name="Catat kepulangan").click()
    page.fill("#id_arrival-arrived_on", today())
    page.select_option("#id_arrival-arrival_point", "tenau_port")
    page.select_option("#id_arrival-category", "deportee")
    page.check("input[name='arrival-procedural'][value='False']")
    page.select_option("#id_arrival-country", "MY")
    arrival_and_person(page, FIRST)
    bp3mi.shot("first-person")
    page.get_by_role("button", name="Simpan dan catat orang berikutnya").click()
    page.wait_for_load_state()
    assert "Kepulangan Yohana Bria Seran tersimpan" in page.content()
    # The same ship: the batch's date, point, category and country are already filled in.
    assert page.input_value("#id_arrival-arrived_on") == today()
    assert page.input_value("#id_arrival-arrival_point") == "tenau_port"
    assert page.input_value("#id_arrival-country") == "MY"
    arrival_and_person(page, SECOND)
    bp3mi.shot("second-person-same-ship")
    page.get_by_role("button", name="Simpan dan saring").click()
    page.wait_for_load_state()

    page.check("input[name='indicators'][value='debt_bondage']")
    page.check("input[name='indicators'][value='withholds_documents']")
    page.check("input[name='exploitation_types'][value='forced_labour']")
    page.check("input[name='screening_result'][value='possible_victim']")
    bp3mi.shot("screening")
    page.get_by_role("button", name="Simpan hasil penyaringan").click()
    page.wait_for_load_state()
    assert "Terindikasi korban" in page.content()

    page.get_by_role("button", name="Buka kasus").click()
    page.wait_for_load_state()
    number = re.search(r"TPPO/\d{4}/\d+", page.locator("h1").inner_text()).group(0)
    bp3mi.shot("case-opened")

    page.get_by_role("link", name="Kirim rujukan").click()
    page.select_option("#id_to_agency", label="Direktorat Reserse Kriminal PPA dan PPO Polda NTT")
    page.select_option("#id_service", "law_enforcement")
    page.fill("#id_reason", "Indikasi TPPO: jeratan utang, dokumen ditahan majikan.")
    page.fill("#id_consent_on", today())
    page.check("input[name='consent_method'][value='written']")
    bp3mi.shot("referral-form")
    page.get_by_role("button", name="Kirim rujukan").click()
    page.wait_for_load_state()
    assert "terkirim ke Direktorat Reserse Kriminal PPA dan PPO Polda NTT" in page.content()
    bp3mi.shot("referral-sent")
    return number


def move(journey_page, page, target: str, fields: dict | None = None, radios: dict | None = None):
    page.get_by_role("link", name=f"→ {target}").click()
    page.fill("#id_on", today())
    for selector, value in (fields or {}).items():
        if selector.startswith("select:"):
            page.select_option(f"#id_{selector[7:]}", value)
        else:
            page.fill(f"#id_{selector}", value)
    for name, value in (radios or {}).items():
        page.check(f"input[name='{name}'][value='{value}']")
    journey_page.shot(f"move-{target.split()[0].lower()}")
    page.get_by_role("button", name="Catat perpindahan tahap").click()
    page.wait_for_load_state()
    assert "sekarang di tahap" in page.content(), page.content()[:2000]


def police_and_prosecutor_take_the_case_to_final_judgment(journey, viewport, number):
    police = journey(viewport, "polda")
    page = police.page
    police.login("penyidik", PASSWORD)
    badge = page.locator("nav.menu .badge")  # one referral waits in the inbox; the police sent none
    assert re.fullmatch(r"1\s+masuk, menunggu jawaban Anda", badge.inner_text())
    page.get_by_role("link", name=re.compile("^Rujukan")).first.click()
    police.shot("inbox")
    page.get_by_role("link", name=re.compile(r"^R-\d+$")).first.click()
    page.fill("#id_accept-text", "Diterima; ditangani Subdit IV.")
    police.shot("referral")
    page.get_by_role("button", name="Terima").click()
    page.wait_for_load_state()
    assert "Diterima" in page.content()
    page.get_by_role("link", name=number).click()
    move(
        police,
        page,
        "Laporan Polisi",
        {"lp_number": f"LP/B/{number[-2:]}/XI/2026/SPKT/POLDA NTT"},
        {"lp_model": "B"},
    )
    move(police, page, "Penyelidikan")
    move(police, page, "Penyidikan")
    page.get_by_role("link", name="+ SPDP dikirim ke jaksa").click()
    page.fill("#id_on", today())
    page.select_option("#id_prosecution_agency", "KEJARI-KUPANG")
    page.get_by_role("button", name="Catat").click()
    page.wait_for_load_state()
    assert "tercatat" in page.content()
    move(police, page, "Penuntutan (P-21)", {"select:prosecution_agency": "KEJARI-KUPANG"})
    police.shot("p21")

    prosecutor = journey(viewport, "kejari")
    page = prosecutor.page
    prosecutor.login("jaksa", PASSWORD)
    page.get_by_role("link", name=number).click()
    move(prosecutor, page, "Persidangan", {"court_case_number": "123/Pid.Sus/2026/PN Kpg"})
    move(
        prosecutor,
        page,
        "Putusan",
        {"sentence_months": "48", "fine_idr": "120000000", "restitution_idr": "25000000"},
        {"verdict": "convicted"},
    )
    move(prosecutor, page, "Berkekuatan Hukum Tetap", radios={"restitution_paid": "False"})
    timeline = page.locator(".timeline").inner_text()
    for act in [
        "Laporan Polisi",
        "Penyelidikan",
        "Penyidikan",
        "SPDP dikirim ke jaksa",
        "Penuntutan (P-21)",
        "Persidangan",
        "Putusan",
        "Berkekuatan Hukum Tetap",
    ]:
        assert act in timeline
    assert "Rp 25.000.000" in page.content()
    prosecutor.shot("final-judgment")


def chair_reads_the_dashboard_downloads_and_sees_the_victim_masked(journey, viewport, number):
    chair = journey(viewport, "ketua")
    page = chair.page
    chair.login("ketua", PASSWORD)
    assert page.url.endswith("/dasbor/")
    year = str(timezone.localdate().year)
    row = page.locator("#tahunan table tbody tr", has_text=year).first
    cells = row.locator("td").all_inner_texts()
    assert cells[:4] == [year, "1", "1", "1"]  # reported, resolved in the year, resolved of the reports
    chair.shot("dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh semua (XLSX)").click()
    with open(download.value.path(), "rb") as file:  # the saved download has no .xlsx suffix
        workbook = load_workbook(io.BytesIO(file.read()))
    yearly = {
        sheet_row[0]: sheet_row for sheet_row in workbook["yearly"].iter_rows(min_row=5, values_only=True)
    }
    assert yearly[int(year)][1:4] == (1, 1, 1)

    page.get_by_role("link", name="Kasus", exact=True).click()
    page.get_by_role("link", name=number).click()
    html = page.content()
    assert "M.G.N." in html
    assert SECOND["name"] not in html and SECOND["nik"] not in html
    chair.shot("case-masked")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_three_daily_journeys(accounts, journey, viewport):
    number = bp3mi_logs_screens_opens_and_refers(journey, viewport)
    police_and_prosecutor_take_the_case_to_final_judgment(journey, viewport, number)
    chair_reads_the_dashboard_downloads_and_sees_the_victim_masked(journey, viewport, number)
