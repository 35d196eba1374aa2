"""What keeps the pages fast at national scale without changing what they show: the arrival tally the
dashboard reads, the victims' copies of sex and regency, capped counts, and the arrival log read as two
index-ordered parts."""

import datetime

import pytest
from django.urls import reverse

from cases import services
from cases.models import ArrivalTally, CaseVictim, Returnee
from gugus_tugas.accounts.models import Agency, Region
from gugus_tugas.pagination import CappedPaginator
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db


def tally() -> dict:
    return {
        (t.agency_id, t.month, t.category, t.procedural, t.screening_result, t.has_case): t.arrivals
        for t in ArrivalTally.objects.exclude(arrivals=0)
    }


def recounted() -> dict:
    ArrivalTally.recount()
    return tally()


def arrival(officer, **fields):
    defaults = {
        "arrived_on": datetime.date(2025, 3, 4),
        "arrival_point": "tenau_port",
        "category": "deportee",
        "procedural": False,
        "country": "MY",
        "screening_result": "pending",
    }
    return services.returnee_log(
        actor=officer, person={"full_name": "Yuliana Nenabu", "sex": "F"}, fields={**defaults, **fields}
    )


def test_the_arrival_tally_follows_every_arrival_logged_corrected_screened_and_opened(bp3mi_officer):
    first = arrival(bp3mi_officer)
    second = arrival(bp3mi_officer, category="repatriated", arrived_on=datetime.date(2025, 4, 1))
    key = (bp3mi_officer.agency_id, datetime.date(2025, 3, 1), "deportee", False, "pending", False)
    assert tally()[key] == 1
    services.returnee_update(
        returnee=second, actor=bp3mi_officer, version=1, fields={"arrived_on": datetime.date(2025, 3, 30)}
    )
    services.returnee_update(
        returnee=first,
        actor=bp3mi_officer,
        version=1,
        fields={"screened_on": datetime.date(2025, 3, 5), "screening_result": "possible_victim"},
    )
    services.returnee_open_case(returnee=first, actor=bp3mi_officer)
    assert tally() == {
        (bp3mi_officer.agency_id, datetime.date(2025, 3, 1), "deportee", False, "possible_victim", True): 1,
        (bp3mi_officer.agency_id, datetime.date(2025, 3, 1), "repatriated", False, "pending", False): 1,
    }
    assert tally() == recounted()


def test_the_tally_counts_what_a_partial_save_wrote(bp3mi_officer):
    returnee = make_returnee(bp3mi_officer, category="deportee")
    returnee.category = "regular"
    returnee.procedural = True
    returnee.save(update_fields=["category"])  # procedural stays False in the database
    assert tally() == recounted()


def test_victims_keep_the_sex_and_regency_of_the_person_as_it_is_corrected(bp3mi_officer):
    person = make_person(sex="F", origin_region_id="53.71.01")
    case = make_case(bp3mi_officer, victims=[person])
    victim = CaseVictim.objects.get(case=case)
    assert (victim.sex, victim.origin_regency) == ("F", "53.71")
    services.person_update(
        person=person,
        actor=bp3mi_officer,
        version=person.version,
        fields={"sex": "M", "origin_region": Region.objects.get(code="53.02")},
    )
    victim.refresh_from_db()
    assert (victim.sex, victim.origin_regency) == ("M", "53.02")


def test_a_list_past_the_cap_says_more_than_and_stops_at_the_caps_last_page(
    client_for, bp3mi_officer, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 60)
    for _n in range(61):
        make_returnee(bp3mi_officer)
    client = client_for(bp3mi_officer)
    page = client.get(reverse("cases:returnee_list")).text
    assert "Lebih dari 60 kepulangan" in page
    assert "Halaman 1 dari 2+" in page
    last = client.get(reverse("cases:returnee_list") + "?page=9").text
    assert "Halaman 2 dari 2+" in last
    few = client.get(reverse("cases:returnee_list") + "?category=repatriated").text
    assert "0 kepulangan" in few and "Lebih dari" not in few


def test_the_arrival_log_merges_the_agencys_arrivals_with_those_of_cases_it_handles(
    client_for, bp3mi_officer, police_officer, monkeypatch
):
    other_office = Agency.objects.create(
        code="BP3MI-JATIM", name="BP3MI Jawa Timur", kind="migrant_protection"
    )
    own = [make_returnee(bp3mi_officer, arrived_on=datetime.date(2025, 1, day)) for day in (3, 5, 9)]
    case = make_case(police_officer, handled_by=[bp3mi_officer.agency])
    of_case = Returnee.objects.create(
        person=make_person(other_office),
        recorded_by_agency=other_office,
        created_by=police_officer,
        arrived_on=datetime.date(2025, 1, 7),
        arrival_point="other",
        category="deportee",
        case=case,
    )
    unrelated = make_returnee(bp3mi_officer, arrived_on=datetime.date(2025, 1, 8))
    unrelated.recorded_by_agency = other_office
    unrelated.save()
    client = client_for(bp3mi_officer)
    listed = client.get("/api/v1/returnees/").json()
    assert listed["count"] == 4
    assert [row["id"] for row in listed["results"]] == [own[2].pk, of_case.pk, own[1].pk, own[0].pk]
    page = client.get(reverse("cases:returnee_list")).text
    assert page.index(f"/kepulangan/{own[2].pk}/") < page.index(f"/kepulangan/{of_case.pk}/")
    assert f"/kepulangan/{unrelated.pk}/" not in page
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    second = client.get(reverse("cases:returnee_list") + "?page=2").text
    assert [pk for pk in (own[0].pk, own[1].pk, own[2].pk, of_case.pk) if f"/kepulangan/{pk}/" in second] == [
        own[0].pk,
        own[1].pk,
    ]


def test_a_whole_nik_finds_exactly_its_holder_and_a_part_of_it_searches_from_the_start(
    client_for, bp3mi_officer
):
    make_returnee(bp3mi_officer, person=make_person(nik="5371015705980003"))
    make_returnee(bp3mi_officer, person=make_person(nik="5371015705980004"))
    client = client_for(bp3mi_officer)
    assert client.get("/api/v1/returnees/?q=5371015705980003").json()["count"] == 1
    assert client.get("/api/v1/returnees/?q=53710157059800").json()["count"] == 2
    assert client.get("/api/v1/returnees/?q=371015705980003").json()["count"] == 0
