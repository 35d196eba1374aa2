"""The daily work on the pages: logging a shipload, screening, opening and moving a case."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Person, Returnee, StageEvent
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    # Ticking: the change history orders records by their time, which must move on between saves.
    with time_machine.travel(NOW, tick=True):
        yield


def arrival_post(**overrides):
    data = {
        "arrival-arrived_on": "25/11/2026",
        "arrival-arrival_point": "tenau_port",
        "arrival-category": "deportee",
        "arrival-procedural": "False",
        "arrival-country": "MY",
        "arrival-employer": "",
        "arrival-sector": "",
        "arrival-route_notes": "",
        "person-full_name": "Maria Goreti Bria",
        "person-nik": "5371015705980003",
        "person-sex": "F",
        "person-birth_date": "17/05/1998",
        "person-age": "",
        "person-origin_region": "53.71.01",
        "person-address": "",
        "person-phone": "",
    }
    return {**data, **overrides}


def test_a_shipload_is_logged_person_after_person(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    response = client.post(reverse("cases:returnee_create"), arrival_post())
    assert response.status_code == 302
    assert response.url.startswith(reverse("cases:returnee_create") + "?")
    returnee = Returnee.objects.get()
    assert (returnee.person.full_name, returnee.arrived_on, returnee.recorded_by_agency) == (
        "Maria Goreti Bria",
        datetime.date(2026, 11, 25),
        bp3mi_officer.agency,
    )
    assert returnee.person.origin_region_id == "53.71.01"
    # The next form keeps the batch: date, arrival point, category, country.
    form = client.get(response.url).text
    assert 'value="25/11/2026"' in form
    assert '<option value="tenau_port" selected>' in form
    assert '<option value="deportee" selected>' in form
    assert '<option value="MY" selected>' in form


def test_an_age_instead_of_a_birth_date_is_an_estimate(client_for, bp3mi_officer):
    client_for(bp3mi_officer).post(
        reverse("cases:returnee_create"),
        arrival_post(**{"person-nik": "", "person-birth_date": "", "person-age": "30"}),
    )
    person = Person.objects.get()
    assert person.birth_date == datetime.date(1996, 11, 25)
    assert person.birth_date_estimated


def test_a_malformed_nik_is_an_error_and_nothing_is_saved(client_for, bp3mi_officer):
    response = client_for(bp3mi_officer).post(
        reverse("cases:returnee_create"), arrival_post(**{"person-nik": "5371013202980003"})
    )
    assert response.status_code == 200
    assert "tanggal lahir DDMMYY" in response.text
    assert not Returnee.objects.exists()


def test_a_disagreeing_nik_is_a_warning_to_confirm(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    first = client.post(reverse("cases:returnee_create"), arrival_post(**{"person-sex": "M"}))
    assert first.status_code == 200
    assert "NIK menunjukkan jenis kelamin Perempuan, tetapi yang diisi Laki-laki" in first.text
    assert not Returnee.objects.exists()
    confirmed = client.post(
        reverse("cases:returnee_create"), arrival_post(**{"person-sex": "M", "person-accept_warnings": "on"})
    )
    assert confirmed.status_code == 302
    assert Person.objects.get().sex == "M"


def test_a_nik_held_elsewhere_names_the_agency_only(client_for, bp3mi_officer, service_officer):
    make_person(service_officer.agency, nik="5371015705980003", full_name="Rahasia Dinsos")
    response = client_for(bp3mi_officer).post(
        reverse("cases:returnee_create"), arrival_post(**{"person-birth_date": "01/01/1990"})
    )
    assert "Dinas Sosial Kota Kupang" in response.text
    assert "Rahasia Dinsos" not in response.text


def test_screening_then_opening_a_case_in_one_step(client_for, bp3mi_officer):
    client = client_for(bp3mi_officer)
    returnee = make_returnee(bp3mi_officer, arrived_on=datetime.date(2026, 11, 20))
    response = client.post(
        reverse("cases:returnee_screen", args=[returnee.pk]),
        {
            "screened_on": "21/11/2026",
            "indicators": ["debt_bondage", "withholds_documents"],
            "exploitation_types": ["forced_labour"],
            "screening_result": "possible_victim",
            "version": 1,
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("cases:returnee_open_case", args=[returnee.pk]))
    case = Case.objects.get()
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    assert (case.number, case.stage, case.identified_on, case.source) == (
        "TPPO/2026/1",
        "identified",
        datetime.date(2026, 11, 21),
        "bp3mi_identification",
    )
    assert case.exploitation_types == ["forced_labour"]
    assert case.destination_country == "MY"
    assert list(case.victims.values_list("person_id", flat=True)) == [returnee.person_id]
    returnee.refresh_from_db()
    assert returnee.case == case
    # Opening twice is refused with a message, not a second case.
    again = client.post(reverse("cases:returnee_open_case", args=[returnee.pk]), follow=True)
    assert "sudah menjadi kasus TPPO/2026/1" in again.text
    assert Case.objects.count() == 1


def test_an_officer_opens_a_case_with_its_first_victim(client_for, police_officer):
    response = client_for(police_officer).post(
        reverse("cases:case_create"),
        {
            "case-identified_on": "20/11/2026",
            "case-source": "police_report",
            "case-exploitation_types": ["servitude"],
            "case-destination_country": "MY",
            "case-summary": "Laporan ibu korban.",
            "person-full_name": "Anak Korban",
            "person-sex": "F",
            "person-birth_date": "02/02/2010",
            "person-nik": "",
            "person-age": "",
            "person-origin_region": "",
            "person-address": "",
            "person-phone": "",
            "victim-relationship_to_trafficker": "family",
        },
    )
    case = Case.objects.get()
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    victim = case.victims.get()
    assert victim.is_child  # 16 on the identified date
    assert victim.relationship_to_trafficker == "family"
    assert case.handlings.get().agency == police_officer.agency


def test_the_move_form_asks_only_what_the_move_needs(client_for, bp3mi_officer, police_officer):
    case = make_case(
        bp3mi_officer, handled_by=[police_officer.agency], identified_on=datetime.date(2026, 11, 1)
    )
    client = client_for(police_officer)
    form = client.get(reverse("cases:case_move", args=[case.pk, "reported"])).text
    assert 'name="lp_number"' in form and 'name="lp_model"' in form
    assert 'name="court_case_number"' not in form and 'name="ground"' not in form
    response = client.post(
        reverse("cases:case_move", args=[case.pk, "reported"]),
        {
            "seen_stage": "identified",
            "on": "26/11/2026",
            "lp_number": "LP/B/77/XI/2026/SPKT/POLDA NTT",
            "lp_model": "B",
            "note": "Laporan diterima SPKT.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.reported_on, case.lp_number) == (
        "reported",
        datetime.date(2026, 11, 26),
        "LP/B/77/XI/2026/SPKT/POLDA NTT",
    )


def test_the_case_page_offers_only_this_officers_moves(client_for, bp3mi_officer, police_officer):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    police_page = client_for(police_officer).get(reverse("cases:case_detail", args=[case.pk])).text
    assert reverse("cases:case_move", args=[case.pk, "reported"]) in police_page
    assert reverse("cases:case_move", args=[case.pk, "not_tppo"]) in police_page
    bp3mi_page = client_for(bp3mi_officer).get(reverse("cases:case_detail", args=[case.pk])).text
    assert reverse("cases:case_move", args=[case.pk, "reported"]) not in bp3mi_page
    assert reverse("cases:case_move", args=[case.pk, "not_tppo"]) in bp3mi_page


def test_a_move_lost_to_another_officer_is_a_clear_message(client_for, bp3mi_officer, police_officer):
    case = make_case(
        bp3mi_officer, handled_by=[police_officer.agency], identified_on=datetime.date(2026, 11, 1)
    )
    client = client_for(police_officer)
    case.stage = "not_tppo"
    case.save()  # someone else screened it out meanwhile
    response = client.post(
        reverse("cases:case_move", args=[case.pk, "reported"]),
        {"seen_stage": "identified", "on": "26/11/2026", "lp_number": "LP/1", "lp_model": "A"},
        follow=True,
    )
    assert "tidak lagi berada di tahap" in response.text
    assert not StageEvent.objects.exists()


def test_a_stale_edit_shows_the_saved_values_and_loses_nothing(client_for, bp3mi_officer, police_officer):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency], summary="Versi awal")
    form = {
        "identified_on": "10/01/2024",
        "source": "bp3mi_identification",
        "destination_country": "MY",
        "summary": "Versi polisi",
        "version": case.version,
    }
    # BP3MI saves first.
    client_for(bp3mi_officer).post(
        reverse("cases:case_edit", args=[case.pk]), {**form, "summary": "Versi BP3MI"}
    )
    response = client_for(police_officer).post(reverse("cases:case_edit", args=[case.pk]), form)
    assert response.status_code == 200
    assert "telah diubah petugas lain" in response.text
    assert "Versi BP3MI" in response.text  # what is saved now
    assert "Versi polisi" in response.text  # what the officer typed is kept
    case.refresh_from_db()
    assert case.summary == "Versi BP3MI"
    # Saving again, knowingly, now succeeds.
    client_for(police_officer).post(
        reverse("cases:case_edit", args=[case.pk]), {**form, "version": case.version}
    )
    case.refresh_from_db()
    assert case.summary == "Versi polisi"


def test_obstacles_are_set_and_cleared_with_date_and_note(client_for, bp3mi_officer, police_officer):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    client = client_for(police_officer)
    client.post(
        reverse("cases:obstacle_set", args=[case.pk]),
        {"kind": "adat_settlement_attempt", "on": "02/02/2024", "note": "Keluarga menawarkan belis."},
    )
    obstacle = case.obstacles.get()
    assert (obstacle.kind, obstacle.set_on, obstacle.set_by) == (
        "adat_settlement_attempt",
        datetime.date(2024, 2, 2),
        police_officer,
    )
    client.post(
        reverse("cases:obstacle_clear", args=[case.pk, obstacle.pk]), {"on": "01/03/2024", "note": "Selesai"}
    )
    obstacle.refresh_from_db()
    assert obstacle.cleared_on == datetime.date(2024, 3, 1)
    assert not obstacle.is_active


def test_suspects_are_added_and_the_change_history_shows_who_changed_what(
    client_for, bp3mi_officer, police_officer
):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    client = client_for(police_officer)
    client.post(
        reverse("cases:suspect_add", args=[case.pk]),
        {"full_name": "Yohanes Perekrut", "nik": "", "role": "recruiter", "detention_status": "wanted"},
    )
    suspect = case.suspects.get()
    client.post(
        reverse("cases:suspect_edit", args=[case.pk, suspect.pk]),
        {
            "full_name": "Yohanes Perekrut",
            "nik": "",
            "role": "recruiter",
            "detention_status": "detained",
            "version": suspect.version,
        },
    )
    history = client.get(reverse("cases:case_history", args=[case.pk])).text
    assert "Buron (DPO) &rarr; Ditahan" in history
    assert "Tersangka: Yohanes Perekrut" in history
    assert "penyidik" in history


def test_editing_a_person_with_an_estimated_age_keeps_the_estimate(client_for, bp3mi_officer):
    # Estimated at 16 when the arrival was logged in 2021; five years later the form still says 16
    # (the age at arrival) and saving it unchanged leaves the birth date, and the child flag, alone.
    person = make_person(
        bp3mi_officer.agency, nik="", birth_date=datetime.date(2005, 6, 1), birth_date_estimated=True
    )
    returnee = make_returnee(bp3mi_officer, person=person, arrived_on=datetime.date(2021, 6, 1))
    client = client_for(bp3mi_officer)
    form = client.get(reverse("cases:returnee_edit", args=[returnee.pk])).text
    assert 'name="person-age" value="16"' in form
    client.post(
        reverse("cases:returnee_edit", args=[returnee.pk]),
        {
            "arrival-arrived_on": "01/06/2021",
            "arrival-arrival_point": "tenau_port",
            "arrival-category": "deportee",
            "arrival-procedural": "False",
            "arrival-country": "MY",
            "arrival-version": returnee.version,
            "person-full_name": person.full_name,
            "person-sex": "F",
            "person-age": "16",
            "person-nik": "",
            "person-birth_date": "",
            "person-address": person.address,
            "person-phone": person.phone,
            "person-version": person.version,
        },
    )
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_estimated, person.version) == (
        datetime.date(2005, 6, 1),
        True,
        1,
    )


def test_a_stale_victim_edit_is_a_conflict(client_for, bp3mi_officer, police_officer):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    victim = case.victims.select_related("person").get()
    person = victim.person
    form = {
        "person-full_name": person.full_name,
        "person-sex": "F",
        "person-birth_date": "17/05/1998",
        "person-nik": "",
        "person-age": "",
        "person-version": person.version,
        "victim-relationship_to_trafficker": "family",
        "victim-version": victim.version,
    }
    url = reverse("cases:victim_edit", args=[case.pk, victim.pk])
    client_for(bp3mi_officer).post(url, form)
    response = client_for(police_officer).post(url, {**form, "victim-relationship_to_trafficker": "stranger"})
    assert "telah diubah petugas lain" in response.text
    victim.refresh_from_db()
    assert victim.relationship_to_trafficker == "family"


def test_the_identified_date_stays_in_the_year_of_the_case_number(client_for, bp3mi_officer):
    case = make_case(bp3mi_officer, identified_on=datetime.date(2024, 12, 31))
    response = client_for(bp3mi_officer).post(
        reverse("cases:case_edit", args=[case.pk]),
        {"identified_on": "02/01/2025", "source": "hotline", "version": case.version},
    )
    assert "tahun identifikasi" in response.text
    case.refresh_from_db()
    assert case.identified_on == datetime.date(2024, 12, 31)


def test_the_chair_does_not_see_a_suspects_nik_or_notes_in_the_history(
    client_for, bp3mi_officer, police_officer, chair
):
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency])
    client = client_for(police_officer)
    client.post(
        reverse("cases:suspect_add", args=[case.pk]),
        {"full_name": "Yohanes", "nik": "", "role": "recruiter", "detention_status": "wanted"},
    )
    suspect = case.suspects.get()
    client.post(
        reverse("cases:suspect_edit", args=[case.pk, suspect.pk]),
        {
            "full_name": "Yohanes",
            "nik": "5371010101800001",
            "role": "recruiter",
            "detention_status": "wanted",
            "note": "Tinggal di rumah paman korban",
            "version": suspect.version,
        },
    )
    police_view = client.get(reverse("cases:case_history", args=[case.pk])).text
    assert "5371010101800001" in police_view
    chair_view = client_for(chair).get(reverse("cases:case_history", args=[case.pk])).text
    assert "5371010101800001" not in chair_view and "rumah paman" not in chair_view
    assert "disembunyikan" in chair_view


def test_a_future_arrival_date_is_an_error_at_its_field_with_the_others(client_for, bp3mi_officer):
    response = client_for(bp3mi_officer).post(
        reverse("cases:returnee_create"),
        arrival_post(**{"arrival-arrived_on": "01/01/2099", "person-nik": "123"}),
    )
    assert response.context["arrival"].errors["arrived_on"] == ["Tanggal ini berada di masa depan."]
    assert "nik" in response.context["person"].errors  # in the same round, not after a second try
    assert not Returnee.objects.exists()


def test_a_wrong_filter_value_is_said_not_silently_left_out(client_for, bp3mi_officer):
    make_returnee(bp3mi_officer)
    page = client_for(bp3mi_officer).get(reverse("cases:returnee_list") + "?arrived_from=31/02/2026").text
    assert "Filter yang isinya salah tidak dipakai" in page
    assert "Masukkan tanggal yang valid." in page


def test_page_titles_and_the_victims_birth_date_or_age_band(client_for, bp3mi_officer, chair):
    case = make_case(bp3mi_officer)
    full = client_for(bp3mi_officer).get(reverse("cases:case_detail", args=[case.pk])).text
    assert f"<title>{case.number} · Gugus Tugas TPPO</title>" in full
    assert "<th>Tanggal lahir</th>" in full
    masked = client_for(chair).get(reverse("cases:case_detail", args=[case.pk])).text
    assert "<th>Usia</th>" in masked and "<th>Tanggal lahir</th>" not in masked
