from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    TASK_FORCE = "task_force", _("Task force")
    MIGRANT_PROTECTION = "migrant_protection", _("Migrant worker protection")
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    SOCIAL_SERVICE = "social_service", _("Social service")
    HEALTH = "health", _("Health")
    VICTIM_PROTECTION = "victim_protection", _("Witness and victim protection")
    LEGAL_AID = "legal_aid", _("Legal aid")
    IMMIGRATION = "immigration", _("Immigration")
    LOCAL_GOVERNMENT = "local_government", _("Local government")


class Agency(models.Model):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Use capital letters, digits and hyphens."))],
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    email = models.EmailField(_("office e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    CHAIR = "chair", _("Task-force chair")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            # Only a deployer's superuser may stand outside every agency.
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(is_superuser=True), name="account_has_agency"
            ),
        ]

    def save(self, *args, **kwargs):
        password_changed = self._password is not None  # set_password() was called since the last save
        super().save(*args, **kwargs)
        if password_changed:
            # A new password ends the account's API token as it ends its other sessions: whoever knew
            # the old password may have asked for a token with it. Done here because passwords change
            # through Django's own pages, the admin site and commands, which all save the account.
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()

    @property
    def is_officer(self) -> bool:
        """Acts for an agency: logs, moves and refers. Chairs and administrators never do."""
        return self.role == Role.OFFICER and self.agency_id is not None and not self.is_superuser

    @property
    def agency_in_service(self) -> bool:
        """False once the account's agency is deactivated: its officers no longer sign in."""
        return self.agency_id is None or self.agency.is_active

    @property
    def is_chair(self) -> bool:
        return self.role == Role.CHAIR and not self.is_superuser

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)

    @property
    def agency_kind(self) -> str | None:
        return self.agency.kind if self.agency_id else None


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency / city")
    DISTRICT = "district", _("District (kecamatan)")
    VILLAGE = "village", _("Village (kelurahan)")


class Region(models.Model):
    """A Kemendagri administrative region; the code is what a NIK and the origin of a person use."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.code} {self.name}"


class AccessLog(models.Model):
    """Who saw a victim's full identity or exported data, when and from where (UU 21/2007 Pasal 44)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed identity")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")

    class RecordType(models.TextChoices):
        """What was seen or exported; the record's id, when there is one, is beside it."""

        RETURNEE_LIST = "returnee_list", _("Arrival log")
        RETURNEE = "returnee", _("Arrival")
        ARRIVAL_IMPORT = "arrival_import", _("Spreadsheet import")
        CASE_LIST = "case_list", _("Case list")
        CASE = "case", _("Case")
        CASE_HISTORY = "case_history", _("Change history of a case")
        REFERRAL_INCOMING = "referral_incoming", _("Referral inbox")
        REFERRAL_OUTGOING = "referral_outgoing", _("Referral outbox")
        REFERRAL_FORM = "referral_form", _("Referral form")
        REFERRAL = "referral", _("Referral")
        DASHBOARD = "dashboard", _("Dashboard")
        DOCUMENT = "document", _("Document")
        DOCUMENT_LIST = "document_list", _("Documents of a record")
        REFERRAL_LETTER = "referral_letter", _("Referral letter")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("account"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("agency")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record type"), max_length=40, choices=RecordType.choices)
    record_id = models.CharField(_("record"), max_length=40, blank=True)
    person_ids = models.JSONField(_("persons shown"), default=list, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        at = timezone.localtime(self.at)
        record = (
            f"{self.get_record_type_display()} #{self.record_id}"
            if self.record_id
            else self.get_record_type_display()
        )
        return f"{at:%d/%m/%Y %H:%M} {self.user} · {self.get_action_display()} · {record}"
