"""Synthetic national data for benchmarks: arrivals, cases with their whole legal path, referrals.

Rows are planned in Python and written with COPY (pgcopy.Copier), never through the ORM one by one, so
a million arrivals take minutes. What the services would have written is written here by the same
rules, because pages, visibility and the dashboard rely on them:

- case numbers TPPO/<year>/<seq>, sequences by identification date, CaseNumberSequence set after;
- each case walks the stage graph of cases.workflow (only allowed moves, made by agencies of the
  allowed kinds, dated in order and never after today); each move carries the stage data the
  workflow declares for it, and writes what cases.workflow.moved_fields says (the stage and its
  date, the LP and P-21 dates, `resolution_on` by the app's own rule of DESIGN §4.4, the ground
  cleared on reopening);
- CaseHandling for the creator, every agency that moved or stepped, the prosecution agency at P-21 or
  named with the SPDP, and every receiver of an accepted or completed referral naming the case;
- a StageEvent per move and step, with the services' event data;
- persons with valid NIKs for most (province, DDMMYY with +40 for women), arrivals screened, a case for
  each arrival BP3MI identified, referrals with consent, due times, answers and their events, and the
  PersonAccess a referral grants while it is sent, accepted or completed.

Historical rows (simple_history) are not written: the data was never edited.
"""

import datetime
import itertools
import random
import time
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.utils import timezone
from faker import Faker

from benchmarks.synthetic.agencies import Province, national_accounts, national_agencies
from benchmarks.synthetic.mixes import (
    ARRIVAL_SERVICES,
    BATCH_SIZES,
    CANCEL_REASONS,
    CASE_CATEGORIES,
    CASE_SERVICES,
    CATEGORIES,
    CONSENT_METHODS,
    COUNTRIES,
    DECLINE_REASONS,
    DETENTION_EARLY,
    DETENTION_LATE,
    EMPLOYERS,
    EXPLOITATION,
    FIRST_DAY,
    FRESH_STATUSES,
    NEXT,
    NTT_POINTS,
    OBSTACLES,
    OUTCOMES,
    OVERRIDE_REASON,
    POLICE_GROUNDS,
    POLICE_SOURCES,
    RECEIVING_UNITS,
    REFERRAL_REASONS,
    RELATIONSHIPS,
    SETTLED_STATUSES,
    SUMMARIES,
    SUSPECT_COUNTS,
    SUSPECT_ROLES,
    VICTIM_COUNTS,
    WITA,
    YEAR_WEIGHTS,
    Weighted,
    ordered_codes,
    stored_codes,
)
from benchmarks.synthetic.pgcopy import (
    Copier,
    Timings,
    as_json,
    day,
    flag,
    moment,
    number,
    text,
)
from cases.choices import (
    ArrivalPoint,
    CaseSource,
    ExploitationType,
    HandlingGrounds,
    MeansOfControl,
    ReturneeCategory,
    ScreeningResult,
    Stage,
    StepKind,
    TerminationGround,
    Verdict,
)
from cases.models import ArrivalTally, Case, CaseNumberSequence, regency_of
from cases.workflow import MOVES_BY_PAIR, PROSECUTION_AGENCY, Datum, moved_fields
from gugus_tugas.accounts.models import Agency, AgencyKind, Region
from referrals.models import Service, Status
from referrals.workflow import GRANTING


@dataclass(frozen=True)
class Scale:
    arrivals: int
    cases: int
    referrals: int


PROFILES = {
    "national": Scale(arrivals=1_000_000, cases=100_000, referrals=300_000),
    "small": Scale(arrivals=2_000, cases=200, referrals=600),
}


class CasePlan:
    """One case as the services would have left it, with its victims, suspects, obstacles and events."""

    __slots__ = (
        "country",
        "court_case_number",
        "created_at",
        "created_by",
        "creator",
        "events",
        "exploitation",
        "fine_idr",
        "handlings",
        "id",
        "identified_on",
        "is_bp3mi",
        "lp_model",
        "lp_number",
        "p21_on",
        "police",
        "prosecution_agency",
        "prosecution_knows",
        "province",
        "receiving_unit",
        "reported_on",
        "resolution_on",
        "restitution_idr",
        "restitution_paid",
        "sentence_months",
        "seq",
        "source",
        "spdp_on",
        "stage",
        "stage_entered_on",
        "summary",
        "termination_ground",
        "verdict",
        "victims",
    )

    def __init__(self):
        self.events = []  # (kind, from, to, on, agency, actor, note, data)
        self.handlings = set()  # (agency, grounds)
        self.victims = []  # (person id, is_child, relationship, sex, regency): see _victim
        self.stage = Stage.IDENTIFIED
        self.reported_on = self.spdp_on = self.p21_on = self.resolution_on = None
        self.prosecution_agency = None
        self.lp_number = self.lp_model = self.court_case_number = self.verdict = ""
        self.termination_ground = self.receiving_unit = ""
        self.sentence_months = self.fine_idr = self.restitution_idr = None
        self.restitution_paid = None
        # The prosecutor's office handles the case (and may act on it) once named with the SPDP.
        self.prosecution_knows = False


@dataclass
class ReferralPlan:
    """One referral: when it went, for whom, from which agency to which, and, where the plan decides
    it, its answer (status None: drawn from its due time when written)."""

    sent: datetime.datetime
    person: int
    case: CasePlan | None
    sender: int
    receiver: int
    service: str
    status: str | None = None
    answered: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    cancelled_from: str | None = None
    id: int = 0
    sent_by: int = 0
    answered_by: int = 0


class NationalData:
    """Plans and writes the whole synthetic data set in one transaction (see the module docstring)."""

    def __init__(self, scale: Scale, *, seed: int, password: str, log=print):
        self.scale = scale
        self.rng = random.Random(seed)
        self.password = password
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.timings = Timings()
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.female_names = sorted({text(fake.first_name_female()) for _n in range(2000)})
        self.male_names = sorted({text(fake.first_name_male()) for _n in range(2000)})
        self.last_names = sorted({text(fake.last_name()) for _n in range(2000)})
        self.streets = sorted({text(fake.street_address()) for _n in range(3000)})

    # Set-up --------------------------------------------------------------------------------------

    def _prepare(self) -> None:
        self.provinces = national_agencies()
        self.officers = national_accounts(self.provinces, self.password)
        self.agency_codes = dict(Agency.objects.values_list("pk", "code"))
        self.arrival_provinces = Weighted({p: p.arrival_weight for p in self.provinces.values()})
        self.case_provinces = Weighted({p: p.case_weight for p in self.provinces.values()})
        self.province_codes = list(Region.objects.filter(level="province").values_list("code", flat=True))
        # NTT origins at kecamatan and kelurahan level, as the region table holds them.
        self.ntt_origins = list(
            Region.objects.filter(code__startswith="53.", level__in=["district", "village"]).values_list(
                "code", flat=True
            )
        )
        years = range(FIRST_DAY.year, self.today.year + 1)
        weights = {}
        for year in years:
            first = datetime.date(year, 1, 1)
            last = min(datetime.date(year, 12, 31), self.today)
            share = ((last - first).days + 1) / 365
            weights[(first, (last - first).days)] = YEAR_WEIGHTS.get(year, 11) * share
        self.years = Weighted(weights)
        with connection.cursor() as cursor:
            self.next_id = {}
            for table in NUMBERED_TABLES:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - fixed names
                self.next_id[table] = itertools.count(cursor.fetchone()[0])
        self.last_seq = {year: last for year, last in CaseNumberSequence.objects.values_list("year", "last")}

    def _id(self, table: str) -> int:
        return next(self.next_id[table])

    def _officer(self, agency: int) -> int:
        return self.rng.choice(self.officers[agency])

    # Dates and people ----------------------------------------------------------------------------

    def _day(self) -> datetime.date:
        first, span = self.years.pick(self.rng)
        return first + datetime.timedelta(days=self.rng.randint(0, span))

    def _after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def _at(self, day: datetime.date, first_hour: int = 8, last_hour: int = 16) -> datetime.datetime:
        at = datetime.datetime.combine(day, datetime.time(self.rng.randint(first_hour, last_hour)), WITA)
        return min(at + datetime.timedelta(minutes=self.rng.randint(0, 59)), self.now)

    def _person(
        self,
        person_id: int,
        agency: int,
        province: Province,
        on: datetime.date,
        *,
        child: bool,
        female: float,
    ) -> tuple[tuple, datetime.date]:
        """A person row for COPY, and their birth date."""
        rng = self.rng
        sex = "F" if rng.random() < female else "M"
        age = rng.randint(13, 17) if child else rng.randint(18, 50)
        birth = on - datetime.timedelta(days=age * 365 + rng.randint(0, 360))
        home = province if rng.random() < 0.85 else None
        if home is not None and home.code == "53":
            origin = rng.choice(self.ntt_origins)
            place = origin[3:5] + origin[6:8]
        else:
            origin = home.code if home is not None else rng.choice(self.province_codes)
            place = f"{rng.randint(1, 30):02d}{rng.randint(1, 20):02d}"
        nik = ""
        if rng.random() < 0.88:
            day_of_birth = birth.day + (40 if sex == "F" else 0)
            nik = f"{origin[:2]}{place}{day_of_birth:02d}{birth:%m%y}{rng.randint(1, 9999):04d}"
        first = rng.choice(self.female_names if sex == "F" else self.male_names)
        row = (
            str(person_id),
            f"{first} {rng.choice(self.last_names)}",
            nik,
            sex,
            day(birth),
            flag(rng.random() < 0.04),
            rng.choice(self.streets),
            f"08{rng.randint(1100000000, 1399999999)}",
            "1",
            moment(self._at(on)),
            origin,
            str(agency),
        )
        return row, birth

    # Cases ---------------------------------------------------------------------------------------

    def _plan_cases(self) -> list[CasePlan]:
        rng = self.rng
        plans = []
        for _n in range(self.scale.cases):
            case = CasePlan()
            case.identified_on = case.stage_entered_on = self._day()
            if rng.random() < 0.45:
                case.province = self.arrival_provinces.pick(rng)
                case.is_bp3mi = True
                case.creator = case.province.bp3mi
                case.source = CaseSource.BP3MI_IDENTIFICATION
            else:
                case.province = self.case_provinces.pick(rng)
                case.is_bp3mi = False
                case.source = POLICE_SOURCES.pick(rng)
            case.police = rng.choice(case.province.police)
            if not case.is_bp3mi:
                case.creator = case.police
            case.created_by = self._officer(case.creator)
            case.created_at = self._at(case.identified_on)
            case.handlings.add((case.creator, HandlingGrounds.CREATED))
            kinds = {EXPLOITATION.pick(rng)}
            if rng.random() < 0.15:
                kinds.add(EXPLOITATION.pick(rng))
            case.exploitation = ordered_codes(ExploitationType, kinds)
            case.country = COUNTRIES.pick(rng) if rng.random() < 0.97 else ""
            case.summary = rng.choice(SUMMARIES)
            self._walk(case)
            plans.append(case)
        # Numbers and ids follow the identification dates, as if the cases had been opened one by one.
        plans.sort(key=lambda case: case.identified_on)
        for case in plans:
            case.id = self._id("cases_case")
            year = case.identified_on.year
            self.last_seq[year] = case.seq = self.last_seq.get(year, 0) + 1
        return plans

    def _walk(self, case: CasePlan) -> None:
        """Move the case along the stage graph until it stays or its next act would be after today."""
        rng = self.rng
        latest = case.identified_on  # the date of the last act: moves and steps never go back in time
        while True:
            choice = NEXT[case.stage].pick(rng) if case.stage in NEXT else None
            if choice is None:
                return
            target, low, high = choice
            if (
                case.stage == Stage.TERMINATED
                and case.termination_ground == TerminationGround.PROSECUTION_STOPPED
            ):
                return  # an SKPP is not reopened in this data
            on = self._after(latest, low, high)
            if on > self.today:
                return
            self._move(case, target, on)
            latest = self._steps(case, on)

    def _move(self, case: CasePlan, to: str, on: datetime.date) -> None:
        """Make the move as cases.services.case_move would: its stage data (the move's own, from
        cases.workflow), the dates and resolution of cases.workflow.moved_fields, event and handling."""
        move = MOVES_BY_PAIR[(case.stage, to)]
        data = {}
        for datum in move.data:
            value = self._stage_value(case, datum, on)
            setattr(case, datum.field, value)
            data[datum.field] = self.agency_codes[value] if datum == PROSECUTION_AGENCY else value
        for name, value in moved_fields(case, move, on).items():
            setattr(case, name, value)
        agency = self._mover(case, move)
        case.events.append(("move", move.source, to, on, agency, self._officer(agency), "", data))
        case.handlings.add((agency, HandlingGrounds.MOVED))
        if to == Stage.PROSECUTION:
            case.handlings.add((case.prosecution_agency, HandlingGrounds.P21))

    def _mover(self, case: CasePlan, move) -> int:
        """The agency that makes the move: police, prosecution or (screening out) the creator."""
        if move.target == Stage.NOT_TPPO:
            return case.creator
        prosecution = case.province.prosecution
        if move.target == Stage.PROSECUTION:
            return prosecution if case.prosecution_knows and self.rng.random() < 0.3 else case.police
        return prosecution if AgencyKind.POLICE not in move.made_by else case.police

    def _stage_value(self, case: CasePlan, datum: Datum, on: datetime.date):
        """A likely value of one piece of stage data; the move's earlier data is already on the case."""
        rng = self.rng
        makers = {
            "lp_number": lambda: (
                f"LP/{'B' if rng.random() < 0.8 else 'A'}/{rng.randint(1, 999)}/{on.month}/{on.year}"
                f"/SPKT/{self.agency_codes[case.police].replace('-', ' ')}"
            ),
            "lp_model": lambda: case.lp_number.split("/")[1],
            "termination_ground": lambda: (
                datum.choices[0] if len(datum.choices) == 1 else POLICE_GROUNDS.pick(rng)
            ),
            "prosecution_agency": lambda: case.province.prosecution,
            "court_case_number": lambda: (
                f"{rng.randint(1, 400)}/Pid.Sus/{on.year}/PN {case.province.capital}"
            ),
            "verdict": lambda: Verdict.CONVICTED if rng.random() < 0.92 else Verdict.ACQUITTED,
            "sentence_months": lambda: rng.randint(36, 180) if self._convicted(case) else 0,
            "fine_idr": lambda: (
                rng.choice([120, 150, 200, 250, 300, 600]) * 1_000_000 if self._convicted(case) else 0
            ),
            "restitution_idr": lambda: (
                rng.choice([0, 0, 15_000_000, 30_000_000, 52_500_000, 100_000_000])
                if self._convicted(case)
                else 0
            ),
            "restitution_paid": lambda: bool(case.restitution_idr) and rng.random() < 0.3,
            "receiving_unit": lambda: rng.choice(RECEIVING_UNITS),
        }
        value = makers[datum.field]()
        assert not datum.choices or value in datum.choices, (datum, value)
        return value

    @staticmethod
    def _convicted(case: CasePlan) -> bool:
        return case.verdict == Verdict.CONVICTED

    def _step(self, case: CasePlan, kind: str, on: datetime.date, agency: int, data=None) -> bool:
        if on > self.today:
            return False
        case.events.append((kind, case.stage, case.stage, on, agency, self._officer(agency), "", data or {}))
        case.handlings.add((agency, HandlingGrounds.MOVED))
        return True

    def _steps(self, case: CasePlan, entered: datetime.date) -> datetime.date:
        """The legal steps inside the stage just entered; returns the date of the last one."""
        rng = self.rng
        police, prosecution = case.police, case.province.prosecution
        last = entered
        if case.stage == Stage.INVESTIGATION:
            roll = rng.random()
            if roll > 0.95:
                return last  # the SPDP never went: the dashboard's deadline list shows it
            spdp = self._after(entered, 1, 7) if roll < 0.8 else self._after(entered, 8, 40)
            named = rng.random() < 0.9
            data = {"prosecution_agency": self.agency_codes[prosecution]} if named else {}
            if not self._step(case, StepKind.SPDP_SENT, spdp, police, data):
                return last
            if named:
                case.handlings.add((prosecution, HandlingGrounds.SPDP))
                case.prosecution_knows = True
            if case.spdp_on is None:
                case.spdp_on = spdp
            last = spdp
            tahap1 = self._after(spdp, 15, 60)
            if not self._step(case, StepKind.TAHAP1_SENT, tahap1, police):
                return last
            last = tahap1
            if rng.random() < 0.35:
                returned = self._after(tahap1, 5, 14)
                returned_by = prosecution if case.prosecution_knows else police
                if not self._step(case, StepKind.P19_RETURNED, returned, returned_by):
                    return last
                last = returned
                if rng.random() < 0.75:
                    again = self._after(returned, 3, 25)
                    if self._step(case, StepKind.TAHAP1_SENT, again, police):
                        last = again
        elif case.stage == Stage.PROSECUTION:
            handover = self._after(entered, 1, 14)
            if self._step(
                case, StepKind.TAHAP2_DONE, handover, prosecution if rng.random() < 0.7 else police
            ):
                last = handover
        elif case.stage in (Stage.TRIAL, Stage.APPEAL):
            for _n in range(rng.randint(2, 6) if case.stage == Stage.TRIAL else rng.randint(0, 1)):
                hearing = self._after(last, 7, 21)
                if not self._step(case, StepKind.HEARING, hearing, prosecution):
                    break
                last = hearing
        return last

    # Writing -------------------------------------------------------------------------------------

    def run(self) -> Timings:
        started = time.perf_counter()
        self._prepare()
        self.timings.phase("agencies and accounts", time.perf_counter() - started)
        with connection.cursor() as cursor:
            # Foreign keys are checked at the end of each COPY rather than all at commit, which would
            # queue tens of millions of checks; rows are written in the order they refer to each other.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.cursor = cursor
            plans = self._timed("plan cases", self._plan_cases)
            self._timed("write cases", lambda: self._write_cases(plans))
            arrivals = self._timed("plan and write arrivals", lambda: self._write_arrivals(plans))
            self._timed("write victims, suspects, obstacles, timeline", lambda: self._write_case_parts(plans))
            self._timed("plan and write referrals", lambda: self._write_referrals(plans, arrivals))
            self._timed("write handling agencies", lambda: self._write_handlings(plans))
            self._timed("count arrivals per month (ArrivalTally)", ArrivalTally.recount)
            self._timed("reset sequences", self._reset_sequences)
        return self.timings

    def _timed(self, name: str, work):
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        self.timings.phase(name, seconds)
        self.log(f"  {name}: {seconds:.1f} s")
        return result

    def _copier(self, table: str, columns: str, **options) -> Copier:
        return Copier(self.cursor, table, columns.split(), self.timings, **options)

    def _write_cases(self, plans: list[CasePlan]) -> None:
        columns = (
            "id number year seq stage version identified_on source summary exploitation_types "
            "destination_country created_at stage_entered_on reported_on lp_number lp_model spdp_on p21_on "
            "court_case_number verdict sentence_months fine_idr restitution_idr restitution_paid "
            "termination_ground receiving_unit resolution_on created_by_id created_by_agency_id "
            "prosecution_agency_id"
        )
        with self._copier("cases_case", columns) as cases:
            for case in plans:
                cases.add(
                    str(case.id),
                    f"TPPO/{case.identified_on.year}/{case.seq}",
                    str(case.identified_on.year),
                    str(case.seq),
                    case.stage,
                    str(1 + len(case.events)),
                    day(case.identified_on),
                    case.source,
                    case.summary,
                    stored_codes(case.exploitation),
                    case.country,
                    moment(case.created_at),
                    day(case.stage_entered_on),
                    day(case.reported_on),
                    text(case.lp_number),
                    case.lp_model,
                    day(case.spdp_on),
                    day(case.p21_on),
                    text(case.court_case_number),
                    case.verdict,
                    number(case.sentence_months),
                    number(case.fine_idr),
                    number(case.restitution_idr),
                    flag(case.restitution_paid),
                    case.termination_ground,
                    text(case.receiving_unit),
                    day(case.resolution_on),
                    str(case.created_by),
                    str(case.creator),
                    number(case.prosecution_agency),
                )

    def _write_arrivals(self, plans: list[CasePlan]) -> list[tuple]:
        """Every arrival and its person: one for each case BP3MI identified (screened a possible victim
        on the case's identified date, linked to it), the rest in batches of a ship or a flight. Returns
        a sample of the arrivals without a case, for the referrals BP3MI sends for them."""
        persons = self._copier("cases_person", PERSON_COLUMNS)
        returnees = self._copier("cases_returnee", RETURNEE_COLUMNS, after=(persons,))
        linked = [case for case in plans if case.is_bp3mi]
        for case in linked:
            self._write_case_arrival(case, persons, returnees)
        sample = self._write_batches(max(self.scale.arrivals - len(linked), 0), persons, returnees)
        returnees.flush()
        return sample

    def _write_case_arrival(self, case: CasePlan, persons: Copier, returnees: Copier) -> None:
        """The arrival whose screening BP3MI turned into the case; its person is the first victim."""
        rng = self.rng
        arrived = max(case.identified_on - datetime.timedelta(days=rng.randint(0, 3)), FIRST_DAY)
        office = case.creator
        person_id = self._id("cases_person")
        row, birth = self._person(
            person_id, office, case.province, arrived, child=rng.random() < 0.08, female=0.65
        )
        persons.add(*row)
        point = NTT_POINTS.pick(rng) if case.province.code == "53" else ArrivalPoint.OTHER
        indicators = ordered_codes(MeansOfControl, rng.sample(MeansOfControl.values, rng.randint(2, 4)))
        returnees.add(
            *self._returnee(
                arrived,
                point,
                CASE_CATEGORIES.pick(rng),
                case.country or COUNTRIES.pick(rng),
                screened_on=case.identified_on,
                result=ScreeningResult.POSSIBLE_VICTIM,
                indicators=indicators,
                exploitation=case.exploitation,
                case_id=case.id,
                office=office,
                person_id=person_id,
            )
        )
        case.victims.append(self._victim(row, birth, case))

    def _write_batches(self, remaining: int, persons: Copier, returnees: Copier) -> list[tuple]:
        """Arrivals that did not become cases, a ship or a flight at a time; returns the sample of them
        that BP3MI refers to services (selection sampling: exactly that many, spread over the stream)."""
        rng = self.rng
        total, wanted, sample = remaining, int(self.scale.referrals * 0.4 * 0.95), []
        while remaining > 0:
            province = self.arrival_provinces.pick(rng)
            low, high = BATCH_SIZES.pick(rng)
            size = min(rng.randint(low, high), remaining)
            remaining -= size
            arrived = self._day()
            point = NTT_POINTS.pick(rng) if province.code == "53" else ArrivalPoint.OTHER
            batch = (arrived, point, CATEGORIES.pick(rng), COUNTRIES.pick(rng))
            for _n in range(size):
                person_id = self._write_batch_arrival(province, batch, persons, returnees)
                seen = total - remaining - size + _n
                if len(sample) < wanted and rng.random() * (total - seen) < wanted - len(sample):
                    sample.append((person_id, province.bp3mi, province, arrived, batch[2]))
        return sample

    def _write_batch_arrival(
        self, province: Province, batch: tuple, persons: Copier, returnees: Copier
    ) -> int:
        """One arrival of a batch with its person and screening; returns the person's id."""
        arrived, point, category, country = batch
        office = province.bp3mi
        person_id = self._id("cases_person")
        row, _birth = self._person(person_id, office, province, arrived, child=False, female=0.55)
        persons.add(*row)
        result, screened, indicators = self._screening(arrived)
        returnees.add(
            *self._returnee(
                arrived,
                point,
                category,
                country,
                screened_on=screened,
                result=result,
                indicators=indicators,
                exploitation=[ExploitationType.FORCED_LABOUR] if indicators else [],
                case_id=None,
                office=office,
                person_id=person_id,
            )
        )
        return person_id

    def _screening(self, arrived: datetime.date) -> tuple[str, datetime.date | None, list[str]]:
        """(result, screening date, indicators) of an arrival that did not become a case: half of the
        last fortnight's still waits, a few possible victims."""
        rng = self.rng
        recent = (self.today - arrived).days < 14
        if rng.random() < (0.5 if recent else 0.06):
            return ScreeningResult.PENDING, None, []
        screened = min(self._after(arrived, 0, 3), self.today)
        if rng.random() < 0.05:
            indicators = ordered_codes(MeansOfControl, rng.sample(MeansOfControl.values, rng.randint(1, 3)))
            return ScreeningResult.POSSIBLE_VICTIM, screened, indicators
        return ScreeningResult.NOT_VICTIM, screened, []

    def _returnee(
        self,
        arrived,
        point,
        category,
        country,
        *,
        screened_on,
        result,
        indicators,
        exploitation,
        case_id,
        office,
        person_id,
    ) -> tuple:
        rng = self.rng
        employer, sector = rng.choice(EMPLOYERS)
        return (
            str(self._id("cases_returnee")),
            day(arrived),
            point,
            category,
            flag(rng.random() < (0.1 if case_id else 0.35)),
            country,
            employer,
            sector,
            "Melalui Nunukan dengan kapal." if rng.random() < 0.1 else "",
            day(screened_on),
            stored_codes(indicators),
            stored_codes(exploitation),
            result,
            moment(self._at(arrived, 7, 20)),
            "1",
            number(case_id),
            str(self._officer(office)),
            str(person_id),
            str(office),
        )

    def _victim(self, person: tuple, birth: datetime.date, case: CasePlan) -> tuple:
        """A victim of the case: person id, child on the identified date, relationship to the
        trafficker, and the copies of the person's sex and regency that CaseVictim keeps."""
        on = case.identified_on
        child = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)) < 18
        return (int(person[0]), child, RELATIONSHIPS.pick(self.rng), person[3], regency_of(person[10]))

    def _write_case_parts(self, plans: list[CasePlan]) -> None:
        persons = self._copier("cases_person", PERSON_COLUMNS)
        victims = self._copier(
            "cases_casevictim",
            "id relationship_to_trafficker is_child sex origin_regency version case_id person_id",
            after=(persons,),
        )
        suspects = self._copier(
            "cases_suspect", "id full_name nik role detention_status note version case_id"
        )
        obstacles = self._copier(
            "cases_caseobstacle",
            "id kind set_on set_note cleared_on cleared_note case_id cleared_by_id set_by_id",
        )
        events = self._copier(
            "cases_stageevent",
            'id kind from_stage to_stage "on" note data created_at actor_id agency_id case_id',
        )
        for case in plans:
            self._write_victims(case, persons, victims)
            self._write_suspects(case, suspects)
            self._write_obstacles(case, obstacles)
            self._write_events(case, events)
        for copier in (victims, suspects, obstacles, events):
            copier.flush()

    def _write_victims(self, case: CasePlan, persons: Copier, victims: Copier) -> None:
        """The arrival's person for a BP3MI case, and new person records for the others."""
        rng = self.rng
        for _n in range(VICTIM_COUNTS.pick(rng) - len(case.victims)):
            person_id = self._id("cases_person")
            child = rng.random() < 0.15
            row, birth = self._person(
                person_id, case.creator, case.province, case.identified_on, child=child, female=0.65
            )
            persons.add(*row)
            case.victims.append(self._victim(row, birth, case))
        for person_id, is_child, relationship, sex, regency in case.victims:
            victims.add(
                str(self._id("cases_casevictim")),
                relationship,
                flag(is_child),
                sex,
                regency,
                "1",
                str(case.id),
                str(person_id),
            )

    def _write_suspects(self, case: CasePlan, suspects: Copier) -> None:
        """Named once there is a police report, now and then before; detained more often later."""
        rng = self.rng
        count = SUSPECT_COUNTS.pick(rng) if case.reported_on else int(rng.random() < 0.1)
        detention = DETENTION_LATE if case.stage in LATE_STAGES else DETENTION_EARLY
        for _n in range(count):
            first = rng.choice(self.male_names if rng.random() < 0.7 else self.female_names)
            nik = ""
            if rng.random() < 0.35:
                nik = f"{case.province.code}{rng.randint(1, 30):02d}{rng.randint(1, 20):02d}"
                nik += f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
                nik += f"{rng.randint(1, 9999):04d}"
            suspects.add(
                str(self._id("cases_suspect")),
                f"{first} {rng.choice(self.last_names)}",
                nik,
                SUSPECT_ROLES.pick(rng),
                detention.pick(rng),
                "",
                "1",
                str(case.id),
            )

    def _write_events(self, case: CasePlan, events: Copier) -> None:
        for kind, source, target, on, agency, actor, note, data in case.events:
            events.add(
                str(self._id("cases_stageevent")),
                kind,
                source,
                target,
                day(on),
                note,
                as_json(data),
                moment(self._at(on)),
                str(actor),
                str(agency),
                str(case.id),
            )

    def _write_obstacles(self, case: CasePlan, obstacles: Copier) -> None:
        rng = self.rng
        roll = rng.random()
        count = (2 if roll < 0.06 else 1 if roll < 0.28 else 0) if case.reported_on else int(roll < 0.1)
        kinds = set()
        while len(kinds) < count:
            kinds.add(OBSTACLES.pick(rng))
        until = min(self.today, case.stage_entered_on + datetime.timedelta(days=60))
        for kind in sorted(kinds):
            set_on = case.identified_on + datetime.timedelta(
                days=rng.randint(0, max((until - case.identified_on).days, 0))
            )
            # Set by the police once they handle the case, before that by the agency that opened it.
            agency = case.police if case.reported_on and set_on >= case.reported_on else case.creator
            cleared_on = self._after(set_on, 7, 180) if rng.random() < 0.4 else None
            if cleared_on is not None and cleared_on > self.today:
                cleared_on = None
            obstacles.add(
                str(self._id("cases_caseobstacle")),
                kind,
                day(set_on),
                "Dicatat saat pemeriksaan." if rng.random() < 0.5 else "",
                day(cleared_on),
                "Korban bersedia melanjutkan." if cleared_on else "",
                str(case.id),
                number(self._officer(agency) if cleared_on else None),
                str(self._officer(agency)),
            )

    # Referrals -----------------------------------------------------------------------------------

    def _write_referrals(self, plans: list[CasePlan], arrivals: list[tuple]) -> None:
        """The law-enforcement referrals of BP3MI's cases, then referrals for victims of cases and for
        arrivals up to the scale's number, written in the order they were sent."""
        referrals = self._police_referrals(plans)
        left = max(self.scale.referrals - len(referrals), 0)
        from_arrivals = min(len(arrivals), int(left * 0.4))
        referrals += self._case_referrals(plans, left - from_arrivals)
        referrals += self._arrival_referrals(arrivals[:from_arrivals])
        referrals.sort(key=lambda referral: referral.sent)
        rows = self._copier("referrals_referral", REFERRAL_COLUMNS)
        events = self._copier(
            "referrals_referralevent",
            "id from_status to_status note at actor_id agency_id referral_id",
            after=(rows,),
        )
        accesses = self._copier("cases_personaccess", "id grounds agency_id person_id", after=(rows,))
        for referral in referrals:
            self._write_referral(referral, rows, events, accesses)
        for copier in (rows, events, accesses):
            copier.flush()

    def _police_referrals(self, plans: list[CasePlan]) -> list[ReferralPlan]:
        """BP3MI hands each case it identified to the police with a law-enforcement referral; the police
        accept it before they register the report (that acceptance is what lets them see the case)."""
        rng = self.rng
        referrals = []
        for case in (case for case in plans if case.is_bp3mi):
            police = partial(
                ReferralPlan,
                person=case.victims[0][0],
                case=case,
                sender=case.creator,
                receiver=case.police,
                service=Service.LAW_ENFORCEMENT,
            )
            age = (self.today - case.identified_on).days
            if case.reported_on:
                referrals.append(self._accepted_by_police(case, police))
            elif case.stage == Stage.IDENTIFIED and age < 10 and rng.random() < 0.6:
                referrals.append(police(sent=self._at(case.identified_on), status=Status.SENT))
            elif case.stage == Stage.IDENTIFIED and age >= 10 and rng.random() < 0.4:
                sent = self._at(case.identified_on)
                answered = sent + datetime.timedelta(hours=rng.uniform(2, 90))
                referrals.append(
                    police(sent=sent, status=Status.DECLINED, answered=answered, closed=answered)
                )
        return referrals

    def _accepted_by_police(self, case: CasePlan, police) -> ReferralPlan:
        rng = self.rng
        gap = (case.reported_on - case.identified_on).days
        sent = self._at(case.identified_on + datetime.timedelta(days=rng.randint(0, max(gap - 1, 0))), 8, 12)
        answered = sent + datetime.timedelta(hours=rng.uniform(1, 20))
        status = Status.ACCEPTED if rng.random() < 0.55 else Status.COMPLETED
        closed = None
        if status == Status.COMPLETED:
            closed = max(min(self._at(self._after(case.reported_on, 0, 30)), self.now), answered)
        return police(sent=sent, status=status, answered=answered, closed=closed)

    def _case_referrals(self, plans: list[CasePlan], count: int) -> list[ReferralPlan]:
        """Referrals of victims of cases to the services, by the agency that opened the case or, once
        reported, as often by the police."""
        rng = self.rng
        victims = [(case, victim[0]) for case in plans for victim in case.victims]
        referrals = []
        for _n in range(count):
            case, person = rng.choice(victims)
            if case.stage == Stage.NOT_TPPO and rng.random() < 0.5:
                case, person = rng.choice(victims)
            span = min(400, (self.today - case.identified_on).days)
            sent_on = case.identified_on + datetime.timedelta(days=rng.randint(0, span))
            sender = case.creator
            if case.reported_on and sent_on >= case.reported_on and rng.random() < 0.5:
                sender = case.police
            service = CASE_SERVICES.pick(rng)
            receiver = case.province.receiver(service, case.police)
            referrals.append(ReferralPlan(self._at(sent_on), person, case, sender, receiver, service))
        return referrals

    def _arrival_referrals(self, arrivals: list[tuple]) -> list[ReferralPlan]:
        """BP3MI's referrals of arrivals without a case (a deceased worker's family: repatriation)."""
        referrals = []
        for person, office, province, arrived, category in arrivals:
            service = (
                Service.REPATRIATION
                if category == ReturneeCategory.DECEASED
                else ARRIVAL_SERVICES.pick(self.rng)
            )
            sent_on = min(self._after(arrived, 0, 7), self.today)
            receiver = province.receiver(service, 0)
            referrals.append(ReferralPlan(self._at(sent_on), person, None, office, receiver, service))
        return referrals

    def _write_referral(self, referral: ReferralPlan, rows: Copier, events: Copier, accesses: Copier) -> None:
        """One referral with its answer (drawn here unless planned), its events and the access it grants."""
        rng = self.rng
        referral.id = self._id("referrals_referral")
        urgent = rng.random() < 0.12
        due = referral.sent + datetime.timedelta(days=1 if urgent else 3)
        if referral.status is None:
            referral.status, referral.answered, referral.closed, referral.cancelled_from = self._answer(
                referral.sent, due
            )
        override = rng.random() < 0.08
        consent_on = None if override else (referral.sent.date() - datetime.timedelta(days=rng.randint(0, 2)))
        if consent_on is not None and referral.case is not None:
            consent_on = max(consent_on, referral.case.identified_on)
        referral.sent_by = self._officer(referral.sender)
        referral.answered_by = self._officer(referral.receiver)
        rows.add(*self._referral_row(referral, urgent, due, consent_on, override))
        for source, target, at, actor, agency in self._referral_history(referral):
            events.add(
                str(self._id("referrals_referralevent")),
                source,
                target,
                "",
                moment(at),
                str(actor),
                str(agency),
                str(referral.id),
            )
        if referral.status in GRANTING:
            grounds = HandlingGrounds.for_referral(referral.id)
            accesses.add(
                str(self._id("cases_personaccess")), grounds, str(referral.receiver), str(referral.person)
            )
            if referral.case is not None and referral.status != Status.SENT:
                referral.case.handlings.add((referral.receiver, grounds))

    def _referral_row(self, referral: ReferralPlan, urgent, due, consent_on, override) -> tuple:
        rng, status = self.rng, referral.status
        return (
            str(referral.id),
            referral.service,
            REFERRAL_REASONS[referral.service],
            flag(urgent),
            day(consent_on),
            "" if override else CONSENT_METHODS.pick(rng),
            OVERRIDE_REASON if override else "",
            status,
            moment(referral.sent),
            moment(due),
            moment(referral.answered),
            moment(referral.closed),
            "",
            rng.choice(DECLINE_REASONS) if status == Status.DECLINED else "",
            rng.choice(OUTCOMES) if status == Status.COMPLETED else "",
            rng.choice(CANCEL_REASONS) if status == Status.CANCELLED else "",
            number(referral.case.id if referral.case is not None else None),
            str(referral.sent_by),
            str(referral.sender),
            str(referral.person),
            str(referral.receiver),
        )

    @staticmethod
    def _referral_history(referral: ReferralPlan) -> list[tuple]:
        """(from, to, at, actor, agency) of each status the referral went through."""
        status, answered, closed = referral.status, referral.answered, referral.closed
        sender = (referral.sent_by, referral.sender)
        receiver = (referral.answered_by, referral.receiver)
        history = [("", Status.SENT, referral.sent, *sender)]
        if status in (Status.ACCEPTED, Status.COMPLETED) or referral.cancelled_from == Status.ACCEPTED:
            history.append((Status.SENT, Status.ACCEPTED, answered, *receiver))
        if status == Status.DECLINED:
            history.append((Status.SENT, Status.DECLINED, answered, *receiver))
        if status == Status.COMPLETED:
            history.append((Status.ACCEPTED, Status.COMPLETED, closed, *receiver))
        if status == Status.CANCELLED:
            history.append((referral.cancelled_from, Status.CANCELLED, closed, *sender))
        return history

    def _answer(self, sent: datetime.datetime, due: datetime.datetime):
        """A referral's status with its answer and closing times, none of them after now. Returns
        (status, answered_at, closed_at, status it was cancelled from)."""
        rng = self.rng
        status = (SETTLED_STATUSES if due < self.now else FRESH_STATUSES).pick(rng)
        answered = sent + datetime.timedelta(hours=rng.lognormvariate(3, 1))  # median 20 hours
        if status == Status.CANCELLED:
            if rng.random() < 0.6:
                closed = sent + datetime.timedelta(hours=rng.uniform(1, 48))
                if closed > self.now:
                    return Status.SENT, None, None, None
                return status, None, closed, Status.SENT
            closed = answered + datetime.timedelta(days=rng.uniform(1, 30))
            if closed > self.now:
                return (
                    (Status.ACCEPTED, answered, None, None)
                    if answered <= self.now
                    else (Status.SENT, None, None, None)
                )
            return status, answered, closed, Status.ACCEPTED
        if status == Status.SENT or answered > self.now:
            return Status.SENT, None, None, None
        if status == Status.DECLINED:
            return status, answered, answered, None
        if status == Status.COMPLETED:
            closed = answered + datetime.timedelta(days=rng.uniform(1, 60))
            if closed <= self.now:
                return status, answered, closed, None
            return Status.ACCEPTED, answered, None, None
        return status, answered, None, None

    # Handling agencies and sequences -------------------------------------------------------------

    def _write_handlings(self, plans: list[CasePlan]) -> None:
        with self._copier("cases_casehandling", "id grounds agency_id case_id") as handlings:
            for case in plans:
                for agency, grounds in sorted(case.handlings):
                    handlings.add(str(self._id("cases_casehandling")), grounds, str(agency), str(case.id))

    def _reset_sequences(self) -> None:
        for year, last in self.last_seq.items():
            CaseNumberSequence.objects.update_or_create(year=year, defaults={"last": last})
        from django.apps import apps
        from django.core.management.color import no_style

        models = [model for model in apps.get_models() if model._meta.db_table in TABLES]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            self.cursor.execute(sql)


# Suspects are detained more often once the case has reached the prosecutor.
LATE_STAGES = frozenset({Stage.PROSECUTION, Stage.TRIAL, Stage.VERDICT, Stage.APPEAL, Stage.FINAL})
REFERRAL_COLUMNS = (
    "id service reason urgent consent_on consent_method consent_override_reason status "
    "sent_at due_at answered_at closed_at accept_note decline_reason outcome cancel_reason "
    "case_id created_by_id from_agency_id person_id to_agency_id"
)
PERSON_COLUMNS = (
    "id full_name nik sex birth_date birth_date_estimated address phone version created_at "
    "origin_region_id recorded_by_agency_id"
)
RETURNEE_COLUMNS = (
    "id arrived_on arrival_point category procedural country employer sector route_notes "
    "screened_on indicators exploitation_types screening_result created_at version case_id "
    "created_by_id person_id recorded_by_agency_id"
)
# The tables whose ids the generator numbers itself (COPY bypasses the sequences).
NUMBERED_TABLES = [
    "cases_person",
    "cases_returnee",
    "cases_case",
    "cases_casevictim",
    "cases_suspect",
    "cases_caseobstacle",
    "cases_stageevent",
    "cases_casehandling",
    "cases_personaccess",
    "referrals_referral",
    "referrals_referralevent",
]
# Every table it writes: the sequences of those with an id are reset afterwards, all are vacuumed.
TABLES = [
    *NUMBERED_TABLES,
    "cases_casenumbersequence",
    "cases_arrivaltally",
    "accounts_user",
    "accounts_agency",
]


def holds_cases() -> bool:
    return Case.objects.exists()
