"""generate_national: synthetic national data that keeps the domain rules the pages rely on (small
profile; the national profile is run by hand, README "Performance")."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from benchmarks.synthetic.agencies import Province
from benchmarks.synthetic.national import PROFILES, CasePlan, NationalData
from cases import services
from cases.choices import ExploitationType, Stage, StepKind
from cases.models import (
    ArrivalTally,
    Case,
    CaseHandling,
    CaseNumberSequence,
    CaseVictim,
    Person,
    PersonAccess,
    Returnee,
    StageEvent,
    age_on,
    regency_of,
)
from cases.nik import nik_warnings, read_nik
from cases.workflow import MOVES_BY_PAIR, STEPS, TERMINATION_GROUNDS, resolution_date
from gugus_tugas.accounts.models import Agency, AgencyKind, Role, User
from referrals.models import Referral, ReferralEvent, Status
from referrals.workflow import GRANTING

pytestmark = pytest.mark.django_db


def postgres_only(test):
    test = pytest.mark.postgres(test)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")(test)


def generate(*args):
    call_command("generate_national", "--profile", "small", "--no-vacuum", *args, stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
def test_it_refuses_a_database_other_than_postgresql():
    with pytest.raises(CommandError, match="needs a PostgreSQL database"):
        generate()


@pytest.fixture
def generated():
    generate()


@postgres_only
def test_it_writes_the_profile_and_refuses_a_second_run_without_force(generated):
    assert (Returnee.objects.count(), Case.objects.count(), Referral.objects.count()) == (2000, 200, 600)
    assert 1.3 < CaseVictim.objects.count() / 200 < 1.8
    assert 4 < StageEvent.objects.count() / 200 < 8
    with pytest.raises(CommandError, match="already holds cases"):
        generate()
    generate("--force", "--arrivals", "10", "--cases", "5", "--referrals", "5")
    assert (Returnee.objects.count(), Case.objects.count()) == (2010, 205)
    assert_case_numbers_are_sequences()


def assert_case_numbers_are_sequences():
    by_year = defaultdict(list)
    for number, year, seq, identified_on in Case.objects.values_list(
        "number", "year", "seq", "identified_on"
    ):
        assert number == f"TPPO/{year}/{seq}" and year == identified_on.year
        by_year[year].append(seq)
    sequences = dict(CaseNumberSequence.objects.values_list("year", "last"))
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert sequences[year] == len(seqs)


@postgres_only
def test_case_numbers_run_without_gaps_and_new_records_follow_them(generated, bp3mi_officer):
    assert_case_numbers_are_sequences()
    year = timezone.localdate().year
    last = CaseNumberSequence.objects.get(year=year).last
    person = {"full_name": "Baru", "sex": "F", "nik": ""}
    case = services.case_open(
        actor=bp3mi_officer,
        identified_on=timezone.localdate(),
        source="hotline",
        victims=[{"person_fields": person}],
    )
    assert case.number == f"TPPO/{year}/{last + 1}"
    # The identity sequences were reset after COPY: new rows take the next ids.
    assert case.pk > Case.objects.exclude(pk=case.pk).aggregate(Max("pk"))["pk__max"]


@postgres_only
def test_each_case_walks_the_stage_graph_and_its_data_follows_the_moves(generated):
    today = timezone.localdate()
    kinds = dict(User.objects.values_list("pk", "agency__kind"))
    events = defaultdict(list)
    for event in StageEvent.objects.order_by("on", "id"):
        events[event.case_id].append(event)
    for case in Case.objects.all():
        stage, latest, resolution, reported, p21, versions = (
            Stage.IDENTIFIED,
            case.identified_on,
            None,
            None,
            None,
            1,
        )
        moved_on = case.identified_on
        passed = {Stage.IDENTIFIED}
        for event in events[case.pk]:
            versions += 1
            assert event.on >= latest and event.on <= today, case.number
            latest = event.on
            assert event.from_stage == stage, case.number
            if event.kind == StageEvent.MOVE:
                move = MOVES_BY_PAIR[(stage, event.to_stage)]
                assert kinds[event.actor_id] in move.made_by or (
                    event.agency_id == case.created_by_agency_id and "identifying_agency" in move.made_by
                ), (case.number, event.to_stage)
                if event.to_stage == Stage.REPORTED:
                    reported = event.on
                if event.to_stage == Stage.PROSECUTION:
                    p21 = event.on
                # The app's rule (cases.workflow, used by case_move), not a copy of it (DESIGN §4.4).
                resolution = resolution_date(
                    source=stage, target=event.to_stage, on=event.on, resolved_on=resolution
                )
                if event.to_stage == Stage.TERMINATED:
                    assert event.data["termination_ground"] in TERMINATION_GROUNDS[stage]
                stage = event.to_stage
                moved_on = event.on
                passed.add(stage)
            else:
                assert event.to_stage == stage and stage in STEPS[event.kind].stages, case.number
                assert kinds[event.actor_id] in STEPS[event.kind].made_by
        assert case.stage == stage and case.stage_entered_on == moved_on, case.number
        assert (case.reported_on, case.resolution_on, case.p21_on) == (reported, resolution, p21), case.number
        assert bool(case.lp_number) == bool(case.lp_model) == (reported is not None)
        assert (case.prosecution_agency_id is not None) == (p21 is not None)
        assert bool(case.court_case_number) == (Stage.TRIAL in passed)
        assert bool(case.verdict) == (case.sentence_months is not None) == (Stage.VERDICT in passed)
        assert (case.restitution_paid is not None) == (case.stage == Stage.FINAL)
        assert bool(case.termination_ground) == (case.stage == Stage.TERMINATED)
        assert bool(case.receiving_unit) == (case.stage == Stage.TRANSFERRED)
        spdp = [event.on for event in events[case.pk] if event.kind == StepKind.SPDP_SENT]
        assert case.spdp_on == (spdp[0] if spdp else None)
        assert case.version == versions
        assert case.exploitation_types and set(case.exploitation_types) <= set(ExploitationType.values)
    assert {case.stage for case in Case.objects.all()} >= {
        Stage.IDENTIFIED,
        Stage.INQUIRY,
        Stage.INVESTIGATION,
        Stage.TERMINATED,
        Stage.FINAL,
    }


@postgres_only
def test_the_handling_agencies_are_those_the_services_would_have_recorded(generated):
    handling = defaultdict(set)
    for case_id, agency_id in CaseHandling.objects.values_list("case_id", "agency_id"):
        handling[case_id].add(agency_id)
    expected = defaultdict(set)
    for case_id, agency_id in Case.objects.values_list("pk", "created_by_agency_id"):
        expected[case_id].add(agency_id)
    for case_id, agency_id in Case.objects.exclude(prosecution_agency=None).values_list(
        "pk", "prosecution_agency_id"
    ):
        expected[case_id].add(agency_id)
    for case_id, agency_id in StageEvent.objects.values_list("case_id", "agency_id"):
        expected[case_id].add(agency_id)
    for case_id, agency_id in Referral.objects.filter(
        case__isnull=False, status__in=[Status.ACCEPTED, Status.COMPLETED]
    ).values_list("case_id", "to_agency_id"):
        expected[case_id].add(agency_id)
    # The prosecutor's office named with the SPDP follows the investigation (DECISIONS.md).
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    for case_id, data in StageEvent.objects.filter(kind=StepKind.SPDP_SENT).values_list("case_id", "data"):
        if data.get("prosecution_agency"):
            expected[case_id].add(agency_ids[data["prosecution_agency"]])
    assert handling == expected
    # Every event's actor acted for an agency that handled the case by then (the moves' own rule).
    granted = {
        int(grounds.split(":")[1]): (case_id, agency_id)
        for case_id, agency_id, grounds in CaseHandling.objects.filter(
            grounds__startswith="referral:"
        ).values_list("case_id", "agency_id", "grounds")
    }
    for referral in Referral.objects.filter(pk__in=list(granted)):
        assert granted[referral.pk] == (referral.case_id, referral.to_agency_id)


@postgres_only
def test_persons_have_valid_niks_that_agree_with_them_and_victims_carry_their_copies(generated):
    persons = list(Person.objects.all())
    with_nik = [person for person in persons if person.nik]
    assert len(with_nik) / len(persons) > 0.8
    for person in with_nik:
        facts = read_nik(person.nik)
        assert facts.province == person.origin_region_id[:2]
        if not person.birth_date_estimated:
            assert (
                nik_warnings(person.nik, sex=person.sex, birth_date=person.birth_date, estimated=False) == []
            )
    for victim in CaseVictim.objects.select_related("person", "case"):
        assert victim.sex == victim.person.sex
        assert victim.origin_regency == regency_of(victim.person.origin_region_id)
        assert victim.is_child == (age_on(victim.person.birth_date, victim.case.identified_on) < 18)


@postgres_only
def test_bp3mi_cases_come_from_screened_arrivals_of_the_office(generated):
    bp3mi = Case.objects.filter(source="bp3mi_identification")
    assert bp3mi.exists()
    for case in bp3mi.prefetch_related("returnees", "victims"):
        [arrival] = case.returnees.all()
        assert arrival.screening_result == "possible_victim" and arrival.screened_on == case.identified_on
        assert arrival.recorded_by_agency_id == case.created_by_agency_id
        assert arrival.person_id == min(case.victims.all(), key=lambda victim: victim.pk).person_id
        assert arrival.recorded_by_agency.kind == AgencyKind.MIGRANT_PROTECTION
    assert Returnee.objects.filter(case__isnull=False).count() == bp3mi.count()
    for codes in Returnee.objects.exclude(indicators="").values_list("indicators", flat=True)[:50]:
        assert codes  # stored ",a,b," and read back as a list
        assert isinstance(codes, list)


@postgres_only
def test_referrals_have_due_times_events_and_the_access_they_grant(generated):
    now = timezone.now()
    events = defaultdict(list)
    for event in ReferralEvent.objects.order_by("at", "id"):
        events[event.referral_id].append(event)
    access = set(PersonAccess.objects.values_list("person_id", "agency_id", "grounds"))
    for referral in Referral.objects.all():
        hours = 24 if referral.urgent else 72
        assert referral.due_at - referral.sent_at == datetime.timedelta(hours=hours)
        assert referral.sent_at <= now and (referral.answered_at or referral.sent_at) <= now
        assert referral.consent_on or referral.consent_override_reason
        history = [event.to_status for event in events[referral.pk]]
        assert history[0] == Status.SENT and history[-1] == referral.status
        for event in events[referral.pk]:
            side = (
                referral.from_agency_id
                if event.to_status in (Status.SENT, Status.CANCELLED)
                else referral.to_agency_id
            )
            assert event.agency_id == side
        granted = (referral.person_id, referral.to_agency_id, f"referral:{referral.pk}") in access
        assert granted == (referral.status in GRANTING)
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses[Status.COMPLETED] > statuses[Status.SENT]


@postgres_only
def test_the_arrival_tally_matches_the_arrival_log(generated):
    counted = {
        (
            row["recorded_by_agency_id"],
            row["month"],
            row["category"],
            row["procedural"],
            row["screening_result"],
        ): row
        for row in Returnee.objects.annotate(month=TruncMonth("arrived_on"))
        .values("recorded_by_agency_id", "month", "category", "procedural", "screening_result")
        .annotate(arrivals=Count("pk"), with_case=Count("case"))
    }
    tallied = defaultdict(lambda: [0, 0])
    for tally in ArrivalTally.objects.all():
        key = (tally.agency_id, tally.month, tally.category, tally.procedural, tally.screening_result)
        tallied[key][0] += tally.arrivals
        tallied[key][1] += tally.arrivals if tally.has_case else 0
    assert {key: (row["arrivals"], row["with_case"]) for key, row in counted.items()} == {
        key: tuple(value) for key, value in tallied.items()
    }


@postgres_only
def test_the_pages_open_on_generated_data_for_the_generated_accounts(generated, client):
    for username, url in [
        ("nas-ketua", reverse("dashboard:index")),
        ("nas-ketua", reverse("cases:case_list")),
        ("nas-bp3mi-ntt-1", reverse("cases:returnee_list")),
        ("nas-polda-ntt-1", reverse("referrals:inbox")),
    ]:
        user = User.objects.get(username=username)
        assert user.role == (Role.CHAIR if username == "nas-ketua" else Role.OFFICER)
        client.force_login(user)
        assert client.get(url).status_code == 200, url
    client.logout()
    response = client.post(reverse("login"), {"username": "nas-ketua", "password": "sintetis-nasional-2026"})
    assert response.status_code == 302  # the printed password opens the generated accounts


def test_the_generators_moves_keep_the_apps_resolution_rule():
    """P-21, then an SKPP: the generator keeps the P-21 date, as case_move does (DESIGN §4.4); the
    small profile rarely draws this path, so it is walked here by hand."""
    generator = NationalData(PROFILES["small"], seed=1, password="-")
    generator.officers = {1: [11], 2: [21]}
    generator.agency_codes = {1: "POLDA-NTT", 2: "KEJATI-NTT"}
    case = CasePlan()
    case.police, case.creator = 1, 1
    case.province = Province("53", "ntt", "Nusa Tenggara Timur", "Kupang", 1, 1, police=[1], prosecution=2)
    case.stage = Stage.INVESTIGATION
    p21, skpp = datetime.date(2025, 3, 1), datetime.date(2025, 5, 1)
    generator._move(case, Stage.PROSECUTION, p21)
    generator._move(case, Stage.TERMINATED, skpp)
    assert case.resolution_on == p21
    assert case.termination_ground == "prosecution_stopped" and case.p21_on == p21
    assert [event[7] for event in case.events] == [
        {"prosecution_agency": "KEJATI-NTT"},
        {"termination_ground": "prosecution_stopped"},
    ]
