"""Every figure of the chair's dashboard (DESIGN §8), computed in the database with aggregates and window
functions. Each function costs a fixed number of queries, whatever the number of cases; Python only
fills in the years and months that have no rows, and divides."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber, Substr, TruncMonth
from django.utils import timezone

from cases.choices import ExploitationType, ObstacleKind, ReturneeCategory, ScreeningResult, Stage, StepKind
from cases.models import Case, CaseHandling, CaseObstacle, CaseVictim, Returnee, StageEvent
from cases.workflow import CLOSED_STAGES
from gugus_tugas.accounts.models import Agency, Region
from referrals.models import Referral, ReferralEvent, Status

START_YEAR = 2020
SPDP_DAYS = 7  # SPDP due to the prosecutor within 7 days of the start of an investigation
P19_DAYS = 14  # a file returned incomplete (P-19) is due back within 14 days


@dataclass(frozen=True)
class Period:
    """The dashboard's filters: a range of years and, optionally, one agency."""

    year_from: int
    year_to: int
    agency: Agency | None = None

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year_from, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year_to, 12, 31)


def default_period() -> Period:
    return Period(START_YEAR, timezone.localdate().year)


class DaysSince(Func):
    """Whole days from a date column to a given day, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def __init__(self, day: datetime.date, column: str):
        super().__init__(Value(day), F(column))

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: a date minus a date is a number of days.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s::date)", arg_joiner="::date - "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def medians(queryset: QuerySet, *, group: str, value) -> dict:
    """The median of `value` per `group`, in the database: rows are numbered within their group by value
    (window functions) and only the middle one or two of each group come back to be averaged."""
    middle = (
        queryset.annotate(
            median_value=value,
            median_rank=Window(RowNumber(), partition_by=F(group), order_by=F("median_value").asc()),
            median_count=Window(Count("pk"), partition_by=F(group)),
        )
        .filter(Q(median_rank=(F("median_count") + 1) / 2) | Q(median_rank=(F("median_count") + 2) / 2))
        .values_list(group, "median_value")
    )
    values = defaultdict(list)
    for key, item in middle:
        values[key].append(item)
    return {key: sum(items[1:], items[0]) / len(items) for key, items in values.items()}


def _cases(period: Period) -> QuerySet[Case]:
    cases = Case.objects.all()
    if period.agency is not None:
        cases = cases.filter(Exists(CaseHandling.objects.filter(case=OuterRef("pk"), agency=period.agency)))
    return cases


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# §8, the yearly table ----------------------------------------------------------------------------


def yearly(period: Period) -> list[dict]:
    """Per year: cases reported (LP date), resolved in the year (resolution date, whatever the report
    year), resolved of those reported (cohort), still open, and the two rates. Cases never reported
    count in neither; a reopened case counts only once resolved again, at its new date (§4.4)."""
    reported_cases = _cases(period).filter(reported_on__isnull=False)
    by_report = {
        row["report_year"]: row
        for row in reported_cases.filter(
            reported_on__year__gte=period.year_from, reported_on__year__lte=period.year_to
        )
        .annotate(report_year=ExtractYear("reported_on"))
        .values("report_year")
        .annotate(
            reported=Count("pk"), resolved_of_reported=Count("pk", filter=Q(resolution_on__isnull=False))
        )
    }
    by_resolution = dict(
        reported_cases.filter(
            resolution_on__year__gte=period.year_from, resolution_on__year__lte=period.year_to
        )
        .annotate(resolution_year=ExtractYear("resolution_on"))
        .values("resolution_year")
        .annotate(resolved=Count("pk"))
        .values_list("resolution_year", "resolved")
    )
    years = []
    for year in period.years:
        reported = by_report.get(year, {}).get("reported", 0)
        cohort = by_report.get(year, {}).get("resolved_of_reported", 0)
        resolved = by_resolution.get(year, 0)
        years.append(
            {
                "year": year,
                "reported": reported,
                "resolved_in_year": resolved,
                "resolved_of_reported": cohort,
                "open_of_reported": reported - cohort,
                "clearance_rate": _rate(resolved, reported),
                "cohort_resolution_rate": _rate(cohort, reported),
            }
        )
    return years


# Where open cases are stuck ----------------------------------------------------------------------


def open_by_stage(period: Period) -> list[dict]:
    """Open cases (not final, not ended, not handed over) per stage, with the median days in the stage."""
    today = timezone.localdate()
    open_cases = _cases(period).exclude(stage__in=CLOSED_STAGES)
    counts = dict(open_cases.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    median_days = medians(open_cases, group="stage", value=DaysSince(today, "stage_entered_on"))
    return [
        {
            "stage": stage.value,
            "label": stage.label,
            "open": counts.get(stage, 0),
            "median_days": round(median_days[stage], 1) if stage in median_days else None,
        }
        for stage in Stage
        if stage not in CLOSED_STAGES
    ]


def past_deadline(period: Period, *, limit: int = 100) -> dict:
    """Investigations past a legal deadline: no SPDP 7 days after the investigation began, or a file
    returned incomplete (P-19) not sent back (Tahap I) within 14 days. Case numbers only, no identities;
    the list shows the longest overdue first, at most `limit` of them."""
    today = timezone.localdate()

    def latest(kind):
        return Subquery(
            StageEvent.objects.filter(case=OuterRef("pk"), kind=kind).order_by("-on", "-id").values("on")[:1]
        )

    # Late from the day after the last allowed day.
    spdp_late = Q(spdp_on__isnull=True, stage_entered_on__lt=today - datetime.timedelta(days=SPDP_DAYS))
    p19_late = Q(last_p19__lt=today - datetime.timedelta(days=P19_DAYS)) & (
        Q(last_tahap1__isnull=True) | Q(last_tahap1__lt=F("last_p19"))
    )
    late = (
        _cases(period)
        .filter(stage=Stage.INVESTIGATION)
        .annotate(last_p19=latest(StepKind.P19_RETURNED), last_tahap1=latest(StepKind.TAHAP1_SENT))
        .annotate(
            spdp_late=ExpressionWrapper(spdp_late, output_field=BooleanField()),
            p19_late=ExpressionWrapper(p19_late, output_field=BooleanField()),
        )
        .filter(Q(spdp_late=True) | Q(p19_late=True))
    )
    totals = late.aggregate(
        spdp=Count("pk", filter=Q(spdp_late=True)), p19=Count("pk", filter=Q(p19_late=True))
    )
    rows = []
    for case in late.order_by("stage_entered_on", "pk").values(
        "pk", "number", "stage_entered_on", "last_p19", "spdp_late", "p19_late"
    )[:limit]:
        for deadline, start, days in (("spdp", "stage_entered_on", SPDP_DAYS), ("p19", "last_p19", P19_DAYS)):
            if case[f"{deadline}_late"]:
                due = case[start] + datetime.timedelta(days=days)
                rows.append(
                    {
                        "case_id": case["pk"],
                        "number": case["number"],
                        "deadline": deadline,
                        "due_on": due,
                        "days_late": (today - due).days,
                    }
                )
    rows.sort(key=lambda row: -row["days_late"])
    return {"spdp": totals["spdp"], "p19": totals["p19"], "cases": rows}


# Referrals ---------------------------------------------------------------------------------------


def referrals_by_agency(period: Period) -> list[dict]:
    """Per receiving agency: referrals sent in the period by status, overdue now, and the median hours
    to acceptance."""
    referrals = Referral.objects.filter(sent_at__date__gte=period.start, sent_at__date__lte=period.end)
    if period.agency is not None:
        referrals = referrals.filter(Q(to_agency=period.agency) | Q(from_agency=period.agency))
    now = timezone.now()
    statuses = {status.value: Count("pk", filter=Q(status=status)) for status in Status}
    rows = (
        referrals.values("to_agency__code", "to_agency__name")
        .annotate(
            total=Count("pk"), overdue=Count("pk", filter=Q(status=Status.SENT, due_at__lt=now)), **statuses
        )
        .order_by("to_agency__code")
    )
    acceptances = ReferralEvent.objects.filter(to_status=Status.ACCEPTED, referral__in=referrals)
    to_accept = medians(
        acceptances, group="referral__to_agency__code", value=F("at") - F("referral__sent_at")
    )
    result = []
    for row in rows:
        code = row.pop("to_agency__code")
        median = to_accept.get(code)
        result.append(
            {
                "agency": code,
                "name": row.pop("to_agency__name"),
                **row,
                "median_hours_to_accept": round(median.total_seconds() / 3600, 1) if median else None,
            }
        )
    return result


# Victims and obstacles ---------------------------------------------------------------------------


def _victims(period: Period) -> QuerySet[CaseVictim]:
    # Victims of cases identified in the period, except cases screened out as not trafficking.
    cases = _cases(period).filter(identified_on__gte=period.start, identified_on__lte=period.end)
    return CaseVictim.objects.filter(case__in=cases.exclude(stage=Stage.NOT_TPPO))


def victims(period: Period) -> dict:
    """Who the victims are: sex, child or adult, exploitation type, destination country, origin regency
    and relationship to the trafficker."""
    victims = _victims(period)
    exploitation = victims.aggregate(
        **{
            code: Count("pk", filter=Q(case__exploitation_types__has=code))
            for code in ExploitationType.values
        }
    )
    regencies = (
        victims.annotate(regency=Substr("person__origin_region_id", 1, 5))
        .values("regency")
        .annotate(n=Count("pk"))
    )
    regencies = {row["regency"]: row["n"] for row in regencies}
    names = dict(
        Region.objects.filter(code__in=[code for code in regencies if code]).values_list("code", "name")
    )
    return {
        "total": victims.count(),
        "sex": _counted(victims, "person__sex"),
        "children": dict(victims.values("is_child").annotate(n=Count("pk")).values_list("is_child", "n")),
        "exploitation_types": exploitation,
        "destination_countries": _counted(victims, "case__destination_country"),
        "origin_regencies": {names.get(code, code) if code else "": n for code, n in regencies.items()},
        "relationships": _counted(victims, "relationship_to_trafficker"),
    }


def _counted(queryset: QuerySet, field: str) -> dict:
    return dict(queryset.values(field).annotate(n=Count("pk")).order_by("-n").values_list(field, "n"))


def obstacles(period: Period) -> list[dict]:
    """How often each socio-cultural obstacle was recorded on cases identified in the period, how many
    remain open, and on how many cases."""
    cases = _cases(period).filter(identified_on__gte=period.start, identified_on__lte=period.end)
    counts = {
        row["kind"]: row
        for row in CaseObstacle.objects.filter(case__in=cases)
        .values("kind")
        .annotate(
            recorded=Count("pk"),
            open=Count("pk", filter=Q(cleared_on__isnull=True)),
            cases=Count("case", distinct=True),
        )
    }
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            **{key: counts.get(kind, {}).get(key, 0) for key in ("recorded", "open", "cases")},
        }
        for kind in ObstacleKind
    ]


# Returnees ---------------------------------------------------------------------------------------


def returnees_by_month(period: Period) -> list[dict]:
    """Arrivals per month by category, with the non-procedural share, the share screened as possible
    victims (of those screened) and how many became cases. Months without arrivals show zeros."""
    last = min(period.end, timezone.localdate())
    arrivals = Returnee.objects.filter(arrived_on__gte=period.start, arrived_on__lte=last)
    if period.agency is not None:
        arrivals = arrivals.filter(recorded_by_agency=period.agency)
    categories = {category.value: Count("pk", filter=Q(category=category)) for category in ReturneeCategory}
    rows = {
        row["month"].strftime("%Y-%m"): row
        for row in arrivals.annotate(month=TruncMonth("arrived_on"))
        .values("month")
        .annotate(
            total=Count("pk"),
            non_procedural=Count("pk", filter=Q(procedural=False)),
            screened=Count("pk", filter=~Q(screening_result=ScreeningResult.PENDING)),
            possible_victims=Count("pk", filter=Q(screening_result=ScreeningResult.POSSIBLE_VICTIM)),
            became_cases=Count("pk", filter=Q(case__isnull=False)),
            **categories,
        )
    }
    result = []
    for year in period.years:
        for month in range(1, 13):
            if datetime.date(year, month, 1) > last:
                break
            key = f"{year}-{month:02d}"
            row = rows.get(key, {})
            total = row.get("total", 0)
            result.append(
                {
                    "month": key,
                    "total": total,
                    **{category: row.get(category, 0) for category in ReturneeCategory.values},
                    "non_procedural_share": _rate(row.get("non_procedural", 0), total),
                    "screened": row.get("screened", 0),
                    "possible_victim_share": _rate(row.get("possible_victims", 0), row.get("screened", 0)),
                    "became_cases": row.get("became_cases", 0),
                }
            )
    return result
