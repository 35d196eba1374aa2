"""The papers of a case file (DESIGN §13): each Document is one stored file, attached to a case, a
person or a referral. Its bytes never change: a replacement is a new Document that names the one it
replaces, a withdrawal is a reason and a date on it, and nothing is deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Person
from documents.files import ACCEPTED
from gugus_tugas.accounts.models import Agency
from gugus_tugas.limits import TEXT_MAX_LENGTH
from referrals.models import Referral


class DocumentKind(models.TextChoices):
    LP = "lp", _("Police report (LP)")
    SPDP = "spdp", _("SPDP letter")
    BAP = "bap", _("Examination record (BAP)")
    DETENTION_ORDER = "detention_order", _("Detention order")
    P19 = "p19", _("P-19 (file returned)")
    P21 = "p21", _("P-21 (file complete)")
    INDICTMENT = "indictment", _("Indictment")
    VERDICT = "verdict", _("Verdict")
    VISUM = "visum", _("Medical report (visum)")
    CONSENT_FORM = "consent_form", _("Consent form")
    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


# The records a document attaches to, each with the field that holds it: declared once, read by the
# constraint below, the services, the selectors and the pages.
OWNER_FIELDS: dict[type, str] = {Case: "case", Person: "person", Referral: "referral"}


def _exactly_one_owner() -> Q:
    one = Q()
    for field in OWNER_FIELDS.values():
        alone = Q(**{f"{field}__isnull": False})
        for other in OWNER_FIELDS.values():
            if other != field:
                alone &= Q(**{f"{other}__isnull": True})
        one |= alone
    return one


class Document(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("person"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("referral"),
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    dated_on = models.DateField(_("date of the document"))
    title = models.CharField(_("title"), max_length=200)

    # The file: the client's name cleaned for display only; the stored name is ours, never the client's.
    file_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    # One successor at most: two replacements of one version at once cannot both win.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawing"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated_on", "-id"]
        constraints = [models.CheckConstraint(condition=_exactly_one_owner(), name="document_one_owner")]

    def __str__(self):
        return self.title

    @property
    def owner(self) -> Case | Person | Referral:
        return next(getattr(self, field) for field in OWNER_FIELDS.values() if getattr(self, f"{field}_id"))

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def opens_in_browser(self) -> bool:
        """PDF and images may be shown in place; everything else is only downloaded."""
        file_type = ACCEPTED.get(self.content_type)
        return bool(file_type and file_type.inline)

    @property
    def is_current(self) -> bool:
        """Not replaced by a newer version (reads the reverse one-to-one: one query unless prefetched)."""
        return not hasattr(self, "replaced_by")
