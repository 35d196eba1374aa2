"""Every figure of the chair's dashboard (DESIGN §8), computed in the database with aggregates and window
functions. Each function costs a fixed number of queries, whatever the number of cases; Python only
fills in the years and months that have no rows, and divides."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber
from django.utils import timezone

from cases.choices import ExploitationType, ObstacleKind, ReturneeCategory, ScreeningResult, Stage, StepKind
from cases.models import ArrivalTally, Case, CaseHandling, CaseObstacle, CaseVictim, StageEvent
from cases.workflow import CLOSED_STAGES
from gugus_tugas.accounts.models import Agency, Region
from gugus_tugas.dashboard.caching import cached
from referrals.models import Referral, Status

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

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as moments in the current time zone, the end excluded: a filter on a timestamp
        column that its index can answer (a filter on the timestamp's date could not)."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, after


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


class SecondsBetween(Func):
    """Seconds from one timestamp column to another, as a float, on PostgreSQL and SQLite alike: a
    median of numbers sorts faster than one of intervals."""

    output_field = FloatField()

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date_part('epoch', %(expressions)s)", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
        )


class CountTrue(Func):
    """How many rows of a grouped query a per-group condition holds for, as a window over the groups.
    Not an Aggregate: Django refuses an aggregate of aggregates, and PostgreSQL an aggregate in a
    window's FILTER, but a window's SUM of a per-group 1 or 0 is what both accept."""

    template = "SUM(CASE WHEN %(expressions)s THEN 1 ELSE 0 END)"
    output_field = IntegerField()
    window_compatible = True


class Median(Aggregate):
    """The median of an expression, the mean of the middle two for an even count: PostgreSQL's
    ordered-set aggregate, which sorts each group on its own, in memory."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def _resolve_output_field(self):
        # percentile_cont interpolates: an interval stays an interval, a number becomes a float.
        source = self.get_source_expressions()[0].output_field
        return DurationField() if isinstance(source, DurationField) else FloatField()


def grouped_with_median(
    queryset: QuerySet, *, group: str, aggregates: dict, median, median_of: Q | None = None
) -> dict:
    """Per value of `group`: the `aggregates` and, under "median", the median of `median` over the rows
    that match `median_of` (None for a group without such rows). PostgreSQL computes it all in one
    query; other databases (the SQLite demo) in two, the medians by numbering rows (medians())."""
    queryset = queryset.order_by()  # a model's default ordering would only add a sort
    if connections[queryset.db].vendor == "postgresql":
        rows = queryset.values(group).annotate(**aggregates, median=Median(median, filter=median_of))
        return {row.pop(group): row for row in rows}
    rows = {row.pop(group): {**row, "median": None} for row in queryset.values(group).annotate(**aggregates)}
    middle = medians(
        queryset.filter(median_of) if median_of is not None else queryset, group=group, value=median
    )
    for key, value in middle.items():
        rows[key]["median"] = value
    return rows


def medians(queryset: QuerySet, *, group: str, value) -> dict:
    """The median of `value` per `group` on any database: rows are numbered within their group by value
    (window functions) and only the middle one or two of each group come back to be averaged."""
    middle = (
        queryset.order_by()
        .annotate(
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


# Counts are COUNT(*) or of an indexed column rather than COUNT(id): the primary key is in none of the
# covering indexes, and counting it would send PostgreSQL back to the table for every row.


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# §8, the yearly table ----------------------------------------------------------------------------


@cached(Case, CaseHandling)
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
        .annotate(reported=Count("*"), resolved_of_reported=Count("resolution_on"))
    }
    by_resolution = dict(
        reported_cases.filter(
            resolution_on__year__gte=period.year_from, resolution_on__year__lte=period.year_to
        )
        .annotate(resolution_year=ExtractYear("resolution_on"))
        .values("resolution_year")
        .annotate(resolved=Count("*"))
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


@cached(Case, CaseHandling)
def open_by_stage(period: Period) -> list[dict]:
    """Open cases (not final, not ended, not handed over) per stage, with the median days in the stage."""
    today = timezone.localdate()
    open_cases = _cases(period).exclude(stage__in=CLOSED_STAGES)
    rows = grouped_with_median(
        open_cases,
        group="stage",
        aggregates={"open": Count("*")},
        median=DaysSince(today, "stage_entered_on"),
    )
    return [
        {
            "stage": stage.value,
            "label": stage.label,
            "open": rows.get(stage, {}).get("open", 0),
            "median_days": round(rows[stage]["median"], 1) if stage in rows else None,
        }
        for stage in Stage
        if stage not in CLOSED_STAGES
    ]


@cached(Case, CaseHandling, StageEvent)
def past_deadline(period: Period, *, limit: int = 100) -> dict:
    """Investigations past a legal deadline: no SPDP 7 days after the investigation began, or a file
    returned incomplete (P-19) not sent back (Tahap I) within 14 days. Case numbers only, no identities;
    the list shows the longest overdue first, of at most `limit` cases (those longest in investigation).
    The latest P-19 and Tahap I of each investigation come from one grouped join; the totals are counted
    in the database, and only the listed cases come back."""
    today = timezone.localdate()
    # Late from the day after the last allowed day.
    spdp_due = today - datetime.timedelta(days=SPDP_DAYS)
    p19_due = today - datetime.timedelta(days=P19_DAYS)
    spdp_late = Q(spdp_on__isnull=True, stage_entered_on__lt=spdp_due)
    p19_late = Q(last_p19__lt=p19_due) & (Q(last_tahap1__isnull=True) | Q(last_tahap1__lt=F("last_p19")))
    late = (
        _cases(period)
        .filter(stage=Stage.INVESTIGATION)
        .annotate(
            steps=FilteredRelation(
                "events", condition=Q(events__kind__in=[StepKind.P19_RETURNED, StepKind.TAHAP1_SENT])
            )
        )
        .annotate(
            last_p19=Max("steps__on", filter=Q(steps__kind=StepKind.P19_RETURNED)),
            last_tahap1=Max("steps__on", filter=Q(steps__kind=StepKind.TAHAP1_SENT)),
        )
        .filter(spdp_late | p19_late)
        .annotate(
            spdp_late=ExpressionWrapper(spdp_late, output_field=BooleanField()),
            p19_late=ExpressionWrapper(p19_late, output_field=BooleanField()),
        )
    )
    # The totals ride on the listed rows as window counts over every late case, so that the grouped join
    # runs once, not again for an aggregate.
    listed = (
        late.annotate(
            spdp_total=Window(CountTrue("spdp_late")),
            p19_total=Window(CountTrue("p19_late")),
        )
        .order_by("stage_entered_on", "pk")
        .values_list(
            "pk", "number", "stage_entered_on", "last_p19", "spdp_late", "p19_late", "spdp_total", "p19_total"
        )[:limit]
    )
    rows = []
    totals = {"spdp": 0, "p19": 0}
    for pk, number, entered, last_p19, is_spdp_late, is_p19_late, spdp_total, p19_total in listed:
        totals = {"spdp": spdp_total, "p19": p19_total}
        for deadline, start, days, is_late in (
            ("spdp", entered, SPDP_DAYS, is_spdp_late),
            ("p19", last_p19, P19_DAYS, is_p19_late),
        ):
            if is_late:
                due = start + datetime.timedelta(days=days)
                rows.append(
                    {
                        "case_id": pk,
                        "number": number,
                        "deadline": deadline,
                        "due_on": due,
                        "days_late": (today - due).days,
                    }
                )
    rows.sort(key=lambda row: -row["days_late"])
    return {"spdp": totals["spdp"], "p19": totals["p19"], "cases": rows}


# Referrals ---------------------------------------------------------------------------------------


@cached(Referral, Agency)
def referrals_by_agency(period: Period) -> list[dict]:
    """Per receiving agency: referrals sent in the period by status, overdue now, and the median hours
    to acceptance (from sending to the acceptance, which is when the referral was answered)."""
    start, after = period.moments()
    referrals = Referral.objects.filter(sent_at__gte=start, sent_at__lt=after).order_by()
    if period.agency is not None:
        referrals = referrals.filter(Q(to_agency=period.agency) | Q(from_agency=period.agency))
    now = timezone.now()
    statuses = {status.value: Count("status", filter=Q(status=status)) for status in Status}
    rows = grouped_with_median(
        referrals,
        group="to_agency_id",
        aggregates={
            "total": Count("*"),
            "overdue": Count("status", filter=Q(status=Status.SENT, due_at__lt=now)),
            **statuses,
        },
        median=SecondsBetween("sent_at", "answered_at"),
        # Accepted once, whatever came after: completed, or cancelled by the sender after acceptance.
        median_of=Q(status__in=[Status.ACCEPTED, Status.COMPLETED])
        | Q(status=Status.CANCELLED, answered_at__isnull=False),
    )
    agencies = Agency.objects.in_bulk(list(rows))
    result = []
    for agency_id, row in sorted(rows.items(), key=lambda item: agencies[item[0]].code):
        median = row.pop("median")
        result.append(
            {
                "agency": agencies[agency_id].code,
                "name": agencies[agency_id].name,
                **row,
                "median_hours_to_accept": round(median / 3600, 1) if median is not None else None,
            }
        )
    return result


# Victims and obstacles ---------------------------------------------------------------------------


def _victims(period: Period) -> QuerySet[CaseVictim]:
    # Victims of cases identified in the period, except cases screened out as not trafficking. Their sex
    # and regency are the copies on CaseVictim: the person table holds every returnee.
    victims = CaseVictim.objects.filter(
        case__identified_on__gte=period.start, case__identified_on__lte=period.end
    ).exclude(case__stage=Stage.NOT_TPPO)
    if period.agency is not None:
        victims = victims.filter(
            Exists(CaseHandling.objects.filter(case=OuterRef("case_id"), agency=period.agency))
        )
    return victims


VICTIM_DIMENSIONS = {
    "sex": "sex",
    "children": "is_child",
    "relationships": "relationship_to_trafficker",
    "destination_countries": "case__destination_country",
    "origin_regencies": "origin_regency",
    "exploitation_types": "case__exploitation_types",
}


@cached(CaseVictim, Case, CaseHandling, Region)
def victims(period: Period) -> dict:
    """Who the victims are: sex, child or adult, exploitation type, destination country, origin regency
    and relationship to the trafficker."""
    counts = counted_by(_victims(period), VICTIM_DIMENSIONS)
    exploitation = dict.fromkeys(ExploitationType.values, 0)
    for codes, n in counts.pop("exploitation_types").items():
        for code in Case._meta.get_field("exploitation_types").to_python(codes):
            if code in exploitation:
                exploitation[code] += n
    regencies = counts.pop("origin_regencies")
    names = dict(
        Region.objects.filter(code__in=[code for code in regencies if code]).values_list("code", "name")
    )
    ranked = {name: _ranked(values) for name, values in counts.items()}
    return {
        "total": sum(counts["children"].values()),
        "sex": ranked["sex"],
        "children": counts["children"],
        "exploitation_types": exploitation,
        "destination_countries": ranked["destination_countries"],
        "origin_regencies": _ranked(
            {names.get(code, code) if code else "": n for code, n in regencies.items()}
        ),
        "relationships": ranked["relationships"],
    }


def _ranked(counts: dict) -> dict:
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def counted_by(queryset: QuerySet, dimensions: dict[str, str]) -> dict[str, dict]:
    """For each dimension (a name and a field path), how many rows of `queryset` have each value:
    {name: {value: rows}}. PostgreSQL counts every dimension in one pass over the rows (GROUPING SETS);
    other databases (the SQLite demo) run one query per dimension."""
    queryset = queryset.order_by()
    connection = connections[queryset.db]  # the replica, where the request reads it
    if connection.vendor != "postgresql":
        return {
            # A code list comes back as a list; as a tuple it can be a key.
            name: {
                tuple(value) if isinstance(value, list) else value: n
                for value, n in queryset.values_list(path).annotate(n=Count("pk")).values_list(path, "n")
            }
            for name, path in dimensions.items()
        }
    aliases = {f"dimension_{index}": path for index, path in enumerate(dimensions.values())}
    inner, params = (
        queryset.annotate(**{alias: F(path) for alias, path in aliases.items()})
        .values(*aliases)
        .query.sql_with_params()
    )
    columns = ", ".join(connection.ops.quote_name(alias) for alias in aliases)
    sets = ", ".join(f"({connection.ops.quote_name(alias)})" for alias in aliases)
    counts = {name: {} for name in dimensions}
    names = list(dimensions)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT GROUPING({columns}), {columns}, COUNT(*) FROM ({inner}) AS counted "  # noqa: S608
            f"GROUP BY GROUPING SETS ({sets})",
            params,
        )
        for grouping, *values, n in cursor.fetchall():
            # GROUPING() sets a bit for each column not grouped in this row, the first column highest.
            index = next(i for i in range(len(names)) if not grouping & (1 << (len(names) - 1 - i)))
            counts[names[index]][values[index]] = n
    return counts


@cached(CaseObstacle, Case, CaseHandling)
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


@cached(ArrivalTally)
def returnees_by_month(period: Period) -> list[dict]:
    """Arrivals per month by category, with the non-procedural share, the share screened as possible
    victims (of those screened) and how many became cases. Months without arrivals show zeros. Read
    from ArrivalTally, which every saved arrival keeps in step."""
    last = min(period.end, timezone.localdate())
    tallies = ArrivalTally.objects.filter(month__gte=period.start, month__lte=last).order_by()
    if period.agency is not None:
        tallies = tallies.filter(agency=period.agency)

    def arrivals(condition=None):
        return Sum("arrivals", filter=condition, default=0)

    categories = {category.value: arrivals(Q(category=category)) for category in ReturneeCategory}
    rows = {
        row["month"].strftime("%Y-%m"): row
        for row in tallies.values("month").annotate(
            total=arrivals(),
            non_procedural=arrivals(Q(procedural=False)),
            screened=arrivals(~Q(screening_result=ScreeningResult.PENDING)),
            possible_victims=arrivals(Q(screening_result=ScreeningResult.POSSIBLE_VICTIM)),
            became_cases=arrivals(Q(has_case=True)),
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
