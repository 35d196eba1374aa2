import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import (
    ArrivalPoint,
    CaseSource,
    DetentionStatus,
    ExploitationType,
    HandlingGrounds,
    LpModel,
    MeansOfControl,
    ObstacleKind,
    Relationship,
    ReturneeCategory,
    ScreeningResult,
    Sex,
    Stage,
    StepKind,
    SuspectRole,
    TerminationGround,
    Verdict,
)
from cases.countries import country_name, validate_country
from cases.fields import CodeListField
from cases.nik import validate_nik
from cases.workflow import CLOSED_STAGES
from gugus_tugas.accounts.models import Agency, AgencyKind, Region
from gugus_tugas.limits import TEXT_MAX_LENGTH

CHILD_AGE = 18
# A fine or restitution in rupiah: far above any Indonesian court's, far below the column's limit.
MAX_RUPIAH = 10**15


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_from_age(age: int, on: datetime.date) -> datetime.date:
    """A birth date for someone `age` years old on `on`: the same day `age` years earlier."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28)


def regency_of(region_code: str | None) -> str:
    """The regency (or province) of a Kemendagri code: "53.71" for kelurahan "53.71.01.1001"."""
    return ".".join(region_code.split(".")[:2]) if region_code else ""


# What officers enter and correct of a person, an arrival, its screening and a case (DESIGN §3): the
# services and the serializers name these fields from here.
RETURNEE_FIELDS = (
    "arrived_on",
    "arrival_point",
    "category",
    "procedural",
    "country",
    "employer",
    "sector",
    "route_notes",
)
SCREENING_FIELDS = ("screened_on", "indicators", "exploitation_types", "screening_result")
CASE_FIELDS = ("identified_on", "source", "summary", "exploitation_types", "destination_country")
PERSON_FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "origin_region",
    "address",
    "phone",
)


class Person(models.Model):
    """A returnee, victim or other person whose identity is confidential (DESIGN §3, §6)."""

    full_name = models.CharField(_("full name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True, validators=[validate_nik])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(
        _("birth date estimated from age"), default=False, help_text=_("Only the age was known.")
    )
    origin_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("origin")
    )
    address = models.TextField(_("address"), max_length=TEXT_MAX_LENGTH, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return self.full_name

    def age_on(self, day: datetime.date) -> int | None:
        return age_on(self.birth_date, day)


class Case(models.Model):
    """A trafficking case ("kasus TPPO"). Its stage and stage data change only through
    cases.services.case_move and case_step, which also write the timeline (StageEvent)."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDENTIFIED)
    version = models.PositiveIntegerField(default=1)
    identified_on = models.DateField(_("identified on"))
    source = models.CharField(_("source"), max_length=24, choices=CaseSource.choices)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    exploitation_types = CodeListField(_("exploitation types"), codes=ExploitationType)
    destination_country = models.CharField(
        _("destination country"), max_length=2, blank=True, validators=[validate_country]
    )
    created_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("identified by")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Stage data, written by the move that carries it (DESIGN §3, §4.1).
    stage_entered_on = models.DateField(_("in this stage since"))
    reported_on = models.DateField(_("police report date"), null=True, blank=True)
    lp_number = models.CharField(_("police report (LP) number"), max_length=100, blank=True)
    lp_model = models.CharField(_("LP model"), max_length=1, choices=LpModel.choices, blank=True)
    spdp_on = models.DateField(_("SPDP sent on"), null=True, blank=True)
    p21_on = models.DateField(_("P-21 date"), null=True, blank=True)
    prosecution_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prosecution agency"),
        limit_choices_to={"kind": AgencyKind.PROSECUTION},
        error_messages={"invalid": _("Choose a prosecution agency.")},
    )
    court_case_number = models.CharField(_("court case number"), max_length=100, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    sentence_months = models.PositiveIntegerField(
        _("sentence (months)"), null=True, blank=True, validators=[MaxValueValidator(1200)]
    )
    fine_idr = models.PositiveBigIntegerField(
        _("fine (Rp)"), null=True, blank=True, validators=[MaxValueValidator(MAX_RUPIAH)]
    )
    restitution_idr = models.PositiveBigIntegerField(
        _("restitution ordered (Rp)"), null=True, blank=True, validators=[MaxValueValidator(MAX_RUPIAH)]
    )
    restitution_paid = models.BooleanField(_("restitution paid"), null=True, blank=True)
    termination_ground = models.CharField(
        _("termination ground"), max_length=24, choices=TerminationGround.choices, blank=True
    )
    receiving_unit = models.CharField(_("receiving unit"), max_length=200, blank=True)
    # The date of the move that resolved the case (DESIGN §4.4); cleared when a termination is reopened.
    resolution_on = models.DateField(_("resolved on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="case_number_sequence")]
        indexes = [
            models.Index(fields=["stage", "stage_entered_on"]),
            # The yearly report counts from these two alone (index-only scans at national scale).
            models.Index(fields=["reported_on", "resolution_on"], name="case_reported"),
            models.Index(fields=["resolution_on", "reported_on"], name="case_resolved"),
            # Victims and obstacles count cases identified in the period; their columns, carried here,
            # are read without the case table.
            models.Index(
                fields=["identified_on", "stage", "destination_country", "exploitation_types", "id"],
                name="case_identified",
            ),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        if self.verdict == Verdict.ACQUITTED and (self.sentence_months or self.fine_idr):
            raise ValidationError({"verdict": _("An acquittal carries no sentence and no fine.")})

    @property
    def is_resolved(self) -> bool:
        return self.resolution_on is not None

    @property
    def is_open(self) -> bool:
        """Still moving: not screened out, not ended, not handed elsewhere, not final."""
        return self.stage not in CLOSED_STAGES

    @property
    def destination_country_name(self) -> str:
        return country_name(self.destination_country)


class Returnee(models.Model):
    """One arrival in BP3MI's log ("kepulangan PMI"), with its trafficking screening."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("person")
    )
    arrived_on = models.DateField(_("arrival date"))
    arrival_point = models.CharField(_("arrival point"), max_length=16, choices=ArrivalPoint.choices)
    category = models.CharField(_("category"), max_length=16, choices=ReturneeCategory.choices)
    procedural = models.BooleanField(_("procedural migrant"), default=False)
    country = models.CharField(
        _("country worked in"), max_length=2, blank=True, validators=[validate_country]
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    route_notes = models.TextField(_("route notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    screened_on = models.DateField(_("screened on"), null=True, blank=True)
    indicators = CodeListField(_("indicators"), codes=MeansOfControl)
    exploitation_types = CodeListField(_("exploitation types"), codes=ExploitationType)
    screening_result = models.CharField(
        _("screening result"), max_length=16, choices=ScreeningResult.choices, default=ScreeningResult.PENDING
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returnees",
        verbose_name=_("case"),
    )
    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        ordering = ["-arrived_on", "-id"]
        indexes = [
            models.Index(fields=["recorded_by_agency", "-arrived_on", "-id"]),
            models.Index(fields=["arrived_on"]),
            # The arrivals of cases an agency handles, without reading the million that have no case
            # (the second part of cases.selectors.returnees_listed).
            models.Index(
                fields=["case", "recorded_by_agency", "arrived_on"],
                condition=Q(case__isnull=False),
                name="returnee_of_case",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.arrived_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # Every saved arrival moves its count in ArrivalTally in the same transaction, whichever
        # service (or factory) saves it: the dashboard reads the tally, never a million arrivals.
        # An update compares the row as stored before and after, so that a partial save
        # (update_fields) counts what was written, not what the instance holds.
        with transaction.atomic():
            before = None if self._state.adding else self._stored_tally_key()
            super().save(*args, **kwargs)
            after = self.tally_key() if before is None else self._stored_tally_key()
            if before != after:
                if before is not None:
                    ArrivalTally.add(before, -1)
                ArrivalTally.add(after, 1)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            ArrivalTally.add(self.tally_key(), -1)
            return super().delete(*args, **kwargs)

    def _stored_tally_key(self) -> dict | None:
        stored = Returnee.objects.filter(pk=self.pk).values(*TALLY_SOURCE).first()
        return None if stored is None else Returnee(**stored).tally_key()

    def tally_key(self) -> dict:
        """What ArrivalTally counts this arrival under."""
        return {
            "agency_id": self.recorded_by_agency_id,
            "month": self.arrived_on.replace(day=1),
            "category": self.category,
            "procedural": self.procedural,
            "screening_result": self.screening_result,
            "has_case": self.case_id is not None,
        }

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def may_open_case(self) -> bool:
        return self.screening_result == ScreeningResult.POSSIBLE_VICTIM and self.case_id is None


class CaseVictim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="victimisations")
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=12,
        choices=Relationship.choices,
        default=Relationship.UNKNOWN,
    )
    # Under 18 on the case's identified date; kept in step by the services that change either date.
    is_child = models.BooleanField(_("child"), default=False)
    version = models.PositiveIntegerField(default=1)
    # Copies of the person's sex and regency of origin, taken when the victim is added and kept in step
    # by person_update, as is_child: the dashboard counts victims without reading the person table,
    # which holds every returnee (a million at national scale).
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    origin_regency = models.CharField(_("regency of origin"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="victim_once_per_case")]

    def __str__(self):
        return f"{self.case} / {self.person_id}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.sex = self.person.sex
            self.origin_regency = regency_of(self.person.origin_region_id)
        super().save(*args, **kwargs)


class Suspect(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    full_name = models.CharField(_("full name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[validate_nik])
    role = models.CharField(_("role in the process"), max_length=12, choices=SuspectRole.choices)
    detention_status = models.CharField(
        _("detention"), max_length=16, choices=DetentionStatus.choices, default=DetentionStatus.NOT_DETAINED
    )
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["id"]

    def __str__(self):
        return self.full_name


class CaseObstacle(models.Model):
    """A socio-cultural obstacle set on a case, and when it was cleared (DESIGN §4.3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obstacles")
    kind = models.CharField(_("obstacle"), max_length=32, choices=ObstacleKind.choices)
    set_on = models.DateField(_("since"))
    set_note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_note = models.TextField(_("note on clearing"), max_length=TEXT_MAX_LENGTH, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["set_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(cleared_on__isnull=True),
                name="one_open_obstacle_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.case}: {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.cleared_on is None


class StageEvent(models.Model):
    """An immutable timeline row: a move between stages, or a legal step inside one (from = to)."""

    MOVE = "move"
    KIND_CHOICES = [(MOVE, _("Stage change")), *StepKind.choices]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date of the legal act"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    data = models.JSONField(_("stage data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["case", "kind", "on"]),
            # The dashboard's legal deadlines look up these two steps for every investigation.
            models.Index(
                fields=["case", "kind", "on"],
                condition=Q(kind__in=[StepKind.P19_RETURNED, StepKind.TAHAP1_SENT]),
                name="stageevent_file_steps",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.from_stage}->{self.to_stage} {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Stage events are immutable.")
        super().save(*args, **kwargs)


class CaseHandling(models.Model):
    """One reason an agency handles a case (DESIGN §6): it created it, moved it, received the file at
    P-21, or accepted a referral naming it. The case's handling agencies are the distinct agencies."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handlings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    grounds = models.CharField(max_length=40, choices=HandlingGrounds.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency", "grounds"], name="handling_once")]
        indexes = [models.Index(fields=["agency", "case"])]

    def __str__(self):
        return f"{self.case_id} {self.agency_id} {self.grounds}"


class PersonAccess(models.Model):
    """An agency's access to a person's identity granted from outside the cases app (a referral),
    withdrawn by removing the row when the grant ends."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="accesses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    grounds = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "agency", "grounds"], name="person_access_once")
        ]
        indexes = [models.Index(fields=["agency", "person"])]

    def __str__(self):
        return f"{self.person_id} {self.agency_id} {self.grounds}"


TALLY_SOURCE = (
    "recorded_by_agency_id",
    "arrived_on",
    "category",
    "procedural",
    "screening_result",
    "case_id",
)


class ArrivalTally(models.Model):
    """How many arrivals an agency logged in a month, by the attributes the dashboard counts (DESIGN §8,
    returnees per month). Returnee.save and delete move the counts in the same transaction, so the
    tally is never behind the log; writes that bypass them (bulk inserts, queryset updates) must call
    ArrivalTally.recount()."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month
    category = models.CharField(max_length=16, choices=ReturneeCategory.choices)
    procedural = models.BooleanField()
    screening_result = models.CharField(max_length=16, choices=ScreeningResult.choices)
    has_case = models.BooleanField()
    arrivals = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "category", "procedural", "screening_result", "has_case"],
                name="arrival_tally_once",
            )
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"{self.agency_id} {self.month:%Y-%m} {self.category}: {self.arrivals}"

    COLUMNS = ("agency_id", "month", "category", "procedural", "screening_result", "has_case")

    @classmethod
    def add(cls, key: dict, delta: int) -> None:
        """Add `delta` arrivals under `key` (Returnee.tally_key), creating the row when needed."""
        cls.add_many({tuple(key[column] for column in cls.COLUMNS): delta})

    @classmethod
    def add_many(cls, deltas: dict[tuple, int]) -> None:
        """Add arrivals under several keys (tuples in COLUMNS order) in one upsert, so that two officers
        logging arrivals at once both count and a bulk import costs one statement (PostgreSQL and
        SQLite)."""
        if not deltas:
            return
        table = connection.ops.quote_name(cls._meta.db_table)
        placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(cls.COLUMNS) + 1)) + ")"] * len(deltas))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(cls.COLUMNS)}, arrivals) "  # noqa: S608 - names from the model
                f"VALUES {placeholders} "
                f"ON CONFLICT ({', '.join(cls.COLUMNS)}) "
                f"DO UPDATE SET arrivals = {table}.arrivals + EXCLUDED.arrivals",
                [value for key, delta in deltas.items() for value in (*key, delta)],
            )

    @classmethod
    def recount(cls) -> int:
        """Rebuild the whole tally from the arrival log; returns the number of rows."""
        from django.db.models import Count
        from django.db.models.functions import TruncMonth

        rows = (
            Returnee.objects.order_by()
            .annotate(tally_month=TruncMonth("arrived_on"))
            .values("recorded_by_agency_id", "tally_month", "category", "procedural", "screening_result")
            .annotate(with_case=Count("case"), arrivals=Count("pk"))
        )
        tallies = []
        for row in rows.iterator(chunk_size=10_000):
            key = {
                "agency_id": row["recorded_by_agency_id"],
                "month": row["tally_month"],
                "category": row["category"],
                "procedural": row["procedural"],
                "screening_result": row["screening_result"],
            }
            for has_case, count in ((True, row["with_case"]), (False, row["arrivals"] - row["with_case"])):
                if count:
                    tallies.append(cls(**key, has_case=has_case, arrivals=count))
        with transaction.atomic():
            cls.objects.all().delete()
            cls.objects.bulk_create(tallies, batch_size=5_000)
        return len(tallies)


class CaseNumberSequence(models.Model):
    """The last case number handed out per year; locked while a case is created, so numbers have no
    gaps and no duplicates even when two officers open cases at once."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


# Spreadsheet import (cases/importer, cases.importer.services)


class ArrivalImport(models.Model):
    """One spreadsheet of arrivals on its way into the log, kept between the requests of upload,
    column matching, checking, preview and import: the sheet's rows as read, the column mapping, the
    officer's fixes and skips and what the checks found. The file's SHA-256 recognises a second
    upload of the same file. Once imported, only the rejected rows stay (for the error report): the
    rest of the sheet's personal data is dropped, since the arrival log now holds it."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        CHECKING = "checking", _("Being checked")
        READY = "ready", _("Ready to import")
        IMPORTED = "imported", _("Imported")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.MAPPING)
    # The sheet as read (cases.importer.reading): the header row and, per data row, its row number in
    # the sheet and its cells as text; then what checking adds to each row (cases.importer.checking).
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    headers = models.JSONField(_("column headers"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    # Our field name -> index of the sheet's column that holds it.
    mapping = models.JSONField(_("column mapping"), default=dict)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    checked_count = models.PositiveIntegerField(_("rows checked"), default=0)
    # Rows per state (cases.importer.checking.RowState) after the last check.
    counts = models.JSONField(_("counts"), default=dict)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("arrival import")
        verbose_name_plural = _("arrival imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "file_sha256"])]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_imported(self) -> bool:
        return self.status == self.Status.IMPORTED
