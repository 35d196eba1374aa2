"""Reads of the accounts app: the client's address and the navigation that fits an account."""

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gugus_tugas.accounts.models import AgencyKind, User


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For is believed only as far as NUM_PROXIES trusted proxies."""
    candidate = request.META.get("REMOTE_ADDR")
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.NUM_PROXIES:
            candidate = forwarded[-settings.NUM_PROXIES]
    try:
        return str(ipaddress.ip_address(candidate or ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class NavItem:
    key: str
    url_name: str
    label: Promise


# The pages each kind of account works in, in the order the navigation shows them. Counts (the
# referral inbox) are added by the app that owns them, through its context processor.
NAV_ITEMS = {
    item.key: item
    for item in [
        NavItem("arrivals", "cases:returnee_list", _("Arrivals")),
        NavItem("cases", "cases:case_list", _("Cases")),
        NavItem("referrals", "referrals:inbox", _("Referrals")),
        NavItem("dashboard", "dashboard:index", _("Dashboard")),
        NavItem("access_log", "dashboard:access_log", _("Access log")),
        NavItem("admin", "admin:index", _("Administration")),
    ]
}
NAV_BY_AGENCY_KIND = {
    AgencyKind.MIGRANT_PROTECTION: ["arrivals", "cases", "referrals"],
    AgencyKind.POLICE: ["cases", "referrals"],
    AgencyKind.PROSECUTION: ["cases", "referrals"],
    AgencyKind.COURT: ["cases", "referrals"],
    AgencyKind.TASK_FORCE: ["cases", "referrals"],
}
SERVICE_AGENCY_NAV = ["referrals"]
CHAIR_NAV = ["dashboard", "cases", "access_log"]
ADMIN_NAV = ["admin"]


@dataclass(frozen=True)
class NavBadge:
    """A count beside a navigation item, with what it counts (the badge's tooltip and the screen
    reader's words); a quiet badge counts what waits on others rather than on this officer."""

    count: int
    meaning: Promise | str
    quiet: bool = False


# Badges beside a navigation item, supplied by the app that owns the page (the referrals register
# theirs in their AppConfig.ready), so that this bottom layer imports none of them.
NAV_BADGES: dict[str, Callable[[User], list[NavBadge]]] = {}


def register_nav_badges(key: str, badges: Callable[[User], list[NavBadge]]) -> None:
    NAV_BADGES[key] = badges


def navigation_for(user: User, path: str = "", *, badges: bool = True) -> list[dict]:
    if not user.is_authenticated:
        return []
    if user.is_administrator:
        keys = ADMIN_NAV
    elif user.is_chair:
        keys = CHAIR_NAV
    elif user.is_officer:
        keys = NAV_BY_AGENCY_KIND.get(user.agency_kind, SERVICE_AGENCY_NAV)
    else:
        keys = []
    items = []
    for key in keys:
        url = reverse(NAV_ITEMS[key].url_name)
        shown = []
        if badges and key in NAV_BADGES:
            shown = [badge for badge in NAV_BADGES[key](user) if badge.count]
        items.append(
            {
                "key": key,
                "url": url,
                "label": NAV_ITEMS[key].label,
                "current": path.startswith(url),
                "badges": shown,
            }
        )
    return items


def region_choices() -> list:
    """Grouped choices for an origin picker: each NTT regency with its kecamatan (and Kota Kupang's
    kelurahan), then the other provinces. Reference data, read once per process; the labels stay lazy
    so that each request sees its own language."""
    return _region_choices()


@cache
def _region_choices() -> list:
    from gugus_tugas.accounts.models import Region, RegionLevel

    regions = list(Region.objects.order_by("code"))
    by_parent: dict[str | None, list[Region]] = {}
    for region in regions:
        by_parent.setdefault(region.parent_id, []).append(region)
    groups = []
    for regency in by_parent.get("53", []):
        options = [(regency.code, format_lazy(_("{name} (whole regency)"), name=regency.name))]
        for district in by_parent.get(regency.code, []):
            options.append((district.code, district.name))
            options.extend(
                (village.code, f"{district.name} / {village.name}")
                for village in by_parent.get(district.code, [])
            )
        groups.append((regency.name, options))
    provinces = [(r.code, r.name) for r in regions if r.level == RegionLevel.PROVINCE]
    groups.append((_("Provinces"), provinces))
    return groups
