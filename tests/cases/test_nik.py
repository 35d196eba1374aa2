import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.nik import nik_warnings, read_nik
from cases.selectors import nik_holders
from tests.factories import make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def test_a_man_born_on_the_17th_of_may_1998_in_kota_kupang():
    facts = read_nik("5371011705980003", today=TODAY)
    assert (facts.province, facts.birth_date, facts.sex) == ("53", datetime.date(1998, 5, 17), "M")


def test_a_woman_has_forty_added_to_her_day_of_birth():
    facts = read_nik("5371015705980003", today=TODAY)
    assert (facts.birth_date, facts.sex) == (datetime.date(1998, 5, 17), "F")


def test_a_two_digit_year_is_never_in_the_future():
    assert read_nik("5371010101100001", today=TODAY).birth_date == datetime.date(2010, 1, 1)
    assert read_nik("5371010101300001", today=TODAY).birth_date == datetime.date(1930, 1, 1)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("537101170598000", "nik_length"),  # 15 digits
        ("53710117059800031", "nik_length"),  # 17 digits
        ("53710117059800A3", "nik_length"),
        ("".join(chr(0xFF10 + int(d)) for d in "5371011705980003"), "nik_length"),  # full-width digits
        ("9971011705980003", "nik_province"),  # no province 99
        ("5471011705980003", "nik_province"),  # 54 is not a province code
        ("5371013202980003", "nik_date"),  # 32 February
        ("5371017202980003", "nik_date"),  # a woman's 32nd (72 - 40)
        ("5371010013980003", "nik_date"),  # month 13
        ("5371012902230003", "nik_date"),  # 29 February 2023
    ],
)
def test_malformed_niks_are_errors(nik, code):
    with pytest.raises(ValidationError) as error:
        read_nik(nik, today=TODAY)
    assert error.value.code == code


def test_a_disagreeing_sex_or_birth_date_is_a_warning_not_an_error():
    warnings = nik_warnings(
        "5371015705980003", sex="M", birth_date=datetime.date(1998, 5, 18), estimated=False
    )
    assert len(warnings) == 2
    assert "Perempuan" in warnings[0] and "Laki-laki" in warnings[0]
    assert "17/05/1998" in warnings[1] and "18/05/1998" in warnings[1]


def test_an_estimated_birth_date_or_a_matching_one_gives_no_warning():
    assert (
        nik_warnings("5371015705980003", sex="F", birth_date=datetime.date(1998, 1, 1), estimated=True) == []
    )
    assert (
        nik_warnings("5371015705980003", sex="F", birth_date=datetime.date(1998, 5, 17), estimated=False)
        == []
    )


def test_a_nik_on_another_record_names_the_agency_only(bp3mi_officer, service_officer):
    other = make_person(service_officer.agency, nik="5371015705980003")
    assert nik_holders("5371015705980003") == ["Dinas Sosial Kota Kupang"]
    assert nik_holders("5371015705980003", exclude_person_id=other.pk) == []
    assert nik_holders("5371010101900001") == []
