"""The Indonesian identity number (NIK) rules of DESIGN §3.

16 digits: 1-2 the province (a Kemendagri code), 3-4 regency, 5-6 kecamatan, 7-12 the birth date as
DDMMYY with 40 added to the day for women, 13-16 a serial number. A malformed NIK is an error; a
well-formed NIK whose date or sex disagrees with what the officer entered is only a warning, because
the NIK never changes and data entry may be wrong either way.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import Sex


@dataclass(frozen=True)
class NikFacts:
    province: str
    birth_date: datetime.date
    sex: str


@cache
def province_codes() -> frozenset[str]:
    from gugus_tugas.accounts.models import Region, RegionLevel

    return frozenset(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True))


def read_nik(nik: str, *, today: datetime.date | None = None) -> NikFacts:
    """The province, birth date and sex a NIK encodes; ValidationError when it cannot be a NIK."""
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        raise ValidationError(gettext_lazy("A NIK has exactly 16 digits."), code="nik_length")
    province = nik[:2]
    if province not in province_codes():
        raise ValidationError(
            gettext_lazy("A NIK starts with a province code; %(code)s is not one."),
            code="nik_province",
            params={"code": province},
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if day > 40:
        day, sex = day - 40, Sex.FEMALE
    today = today or timezone.localdate()
    # Two-digit years: the most recent century that does not put the birth in the future.
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        birth_date = datetime.date(century + year, month, day)
    except ValueError:
        raise ValidationError(
            gettext_lazy(
                "Digits 7-12 of a NIK are a birth date DDMMYY (women: day + 40); %(digits)s is not."
            ),
            code="nik_date",
            params={"digits": nik[6:12]},
        ) from None
    if birth_date > today:
        birth_date = birth_date.replace(year=birth_date.year - 100)
    return NikFacts(province=province, birth_date=birth_date, sex=sex)


def validate_nik(nik: str) -> None:
    if nik:
        read_nik(nik)


def nik_warnings(
    nik: str, *, sex: str | None, birth_date: datetime.date | None, estimated: bool
) -> list[str]:
    """What disagrees between a valid NIK and the sex and birth date entered with it."""
    if not nik:
        return []
    try:
        facts = read_nik(nik)
    except ValidationError:
        return []
    warnings = []
    if sex and sex != facts.sex:
        warnings.append(
            _("The NIK encodes sex %(nik_sex)s but %(sex)s was entered.")
            % {"nik_sex": Sex(facts.sex).label, "sex": Sex(sex).label}
        )
    if birth_date and not estimated and birth_date != facts.birth_date:
        warnings.append(
            _("The NIK encodes birth date %(nik_date)s but %(date)s was entered.")
            % {
                "nik_date": date_format(facts.birth_date, "SHORT_DATE_FORMAT"),
                "date": date_format(birth_date, "SHORT_DATE_FORMAT"),
            }
        )
    return warnings
