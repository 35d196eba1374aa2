"""ISO 3166 alpha-2 countries with names in the active language (pycountry's translations)."""

import gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Pick lists start with the countries NTT's migrants go to, Malaysia first (DESIGN §7).
FIRST = ["MY", "SG", "BN", "HK", "TW", "SA"]
# Names the ISO catalogue words in a way officers would not use.
PREFERRED = {"id": {"TW": "Taiwan", "TL": "Timor-Leste"}, "en": {"TW": "Taiwan"}}
CODES = frozenset(country.alpha_2 for country in pycountry.countries)
CODES_SORTED = sorted(CODES)


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    if not code:
        return ""
    language = (get_language() or "id")[:2]
    preferred = PREFERRED.get(language, {}).get(code)
    if preferred:
        return preferred
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _catalogue(language).gettext(getattr(country, "common_name", None) or country.name)


def country_choices() -> list[tuple[str, str]]:
    """Malaysia and the other usual destinations first, then every country by its local name."""
    rest = sorted((code for code in CODES if code not in FIRST), key=country_name)
    return [(code, country_name(code)) for code in [*FIRST, *rest]]


def validate_country(code: str) -> None:
    if code and code not in CODES:
        raise ValidationError(_("“%(code)s” is not an ISO 3166 country code."), params={"code": code})
