"""Reads of the accounts app: the client's address and the navigation that fits an account."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
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
        NavItem("admin", "admin:index", _("Administration")),
    ]
}
NAV_BY_AGENCY_KIND = {
    AgencyKind.MIGRANT_PROTECTION: [],
    AgencyKind.POLICE: [],
    AgencyKind.PROSECUTION: [],
    AgencyKind.COURT: [],
    AgencyKind.TASK_FORCE: [],
}
SERVICE_AGENCY_NAV = []
CHAIR_NAV = []
ADMIN_NAV = ["admin"]


def navigation_for(user: User) -> list[dict]:
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
    return [
        {"key": key, "url": reverse(NAV_ITEMS[key].url_name), "label": NAV_ITEMS[key].label} for key in keys
    ]
