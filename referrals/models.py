import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import ConsentMethod
from cases.models import Case, Person
from gugus_tugas.accounts.models import Agency
from gugus_tugas.limits import TEXT_MAX_LENGTH


class Service(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    HEALTH_REHABILITATION = "health_rehabilitation", _("Health rehabilitation")
    SOCIAL_REHABILITATION = "social_rehabilitation", _("Social rehabilitation")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    REPATRIATION = "repatriation", _("Repatriation")
    REINTEGRATION = "reintegration", _("Reintegration")
    SHELTER = "shelter", _("Shelter")
    RESTITUTION = "restitution", _("Restitution")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection")
    CIVIL_DOCUMENTS = "civil_documents", _("Civil documents")


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Days a receiving agency has to answer (DESIGN §5).
ANSWER_DAYS = 3
URGENT_ANSWER_DAYS = 1


def due_after(sent_at: datetime.datetime, *, urgent: bool) -> datetime.datetime:
    return sent_at + datetime.timedelta(days=URGENT_ANSWER_DAYS if urgent else ANSWER_DAYS)


class Referral(models.Model):
    """A person (and optionally their case) handed from one agency to another for a service. Its status
    changes only through referrals.services, each writing a ReferralEvent."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("case"),
    )
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("from")
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("to")
    )
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    reason = models.TextField(_("reason for the referral"), max_length=TEXT_MAX_LENGTH)
    urgent = models.BooleanField(_("urgent"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_method = models.CharField(_("consent"), max_length=10, choices=ConsentMethod.choices, blank=True)
    consent_override_reason = models.TextField(
        _("why without consent"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    accept_note = models.TextField(_("note on acceptance"), max_length=TEXT_MAX_LENGTH, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=TEXT_MAX_LENGTH, blank=True)
    outcome = models.TextField(_("outcome"), max_length=TEXT_MAX_LENGTH, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "due_at"]),
            models.Index(fields=["from_agency", "-sent_at"]),
            # The sender's count of referrals still waiting for an answer (the navigation's badge).
            models.Index(fields=["from_agency", "status"], name="referral_sent_waiting"),
            # The inbox, newest first, read page by page from the index.
            models.Index(fields=["to_agency", "-sent_at", "-id"], name="referral_inbox"),
            # The dashboard's referral table reads these columns alone, per receiving agency in order.
            models.Index(
                fields=["to_agency", "sent_at", "status", "due_at", "answered_at"], name="referral_dashboard"
            ),
        ]

    def __str__(self):
        return f"R-{self.pk}"

    @property
    def number(self) -> str:
        return f"R-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        """Still unanswered after its due time (3 days, 1 when urgent)."""
        return self.status == Status.SENT and self.due_at < timezone.now()

    @property
    def consent_overridden(self) -> bool:
        return bool(self.consent_override_reason)


class ReferralEvent(models.Model):
    """One change of a referral's status, with who made it and when (the first has no previous status)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self):
        return f"{self.referral} {self.from_status}->{self.to_status}"
