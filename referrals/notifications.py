"""E-mails about referrals. They name the referral, the agencies and the service, never the person:
e-mail leaves the system, the identity must not (UU 21/2007 Pasal 44). The link leads to the page,
where the officer logs in."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from gugus_tugas import mail
from gugus_tugas.accounts.models import Agency, Role, User
from referrals.models import Referral


def agency_addresses(agency: Agency) -> list[str]:
    """The office address and every active officer's address of an agency."""
    officers = User.objects.filter(agency=agency, role=Role.OFFICER, is_active=True).exclude(email="")
    addresses = list(officers.values_list("email", flat=True))
    if agency.email:
        addresses.append(agency.email)
    return sorted(set(addresses))


def _send(template: str, context: dict, recipients: list[str]) -> bool:
    """Queue the e-mail (gugus_tugas.mail retries it while the mail server is down)."""
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"referrals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"referrals/email/{template}.txt", context)
    return mail.send_later(subject=subject, body=body, recipients=recipients)


def _link(referral: Referral) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])


def referral_sent(referral_id: int) -> None:
    referral = Referral.objects.select_related("from_agency", "to_agency").get(pk=referral_id)
    _send("sent", {"referral": referral, "link": _link(referral)}, agency_addresses(referral.to_agency))


def referral_changed(referral_id: int, action: str) -> None:
    """An answer goes to the officer who sent the referral; a cancellation to the receiving agency."""
    referral = Referral.objects.select_related("from_agency", "to_agency", "created_by").get(pk=referral_id)
    context = {"referral": referral, "link": _link(referral), "action": action}
    if action == "cancel":
        recipients = agency_addresses(referral.to_agency)
    else:
        recipients = [referral.created_by.email] if referral.created_by.email else []
    _send("changed", context, recipients)


def overdue_digest(agency: Agency, referrals: list[Referral]) -> bool:
    """Queue one e-mail to an agency listing its incoming referrals past their due time; False when the
    agency has no address to write to."""
    rows = [(referral, _link(referral)) for referral in referrals]
    return _send("overdue", {"agency": agency, "rows": rows}, agency_addresses(agency))
