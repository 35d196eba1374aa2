"""Demo arrivals and cases for seed_demo, written through the same services the pages use.

The police reports and their resolution reproduce the yearly figures Polda NTT gave the research paper
for Kota Kupang (DESIGN §8): reported / resolved of reported = 2020 1/1, 2021 9/6, 2022 0/0, 2023 7/7,
2024 22/14, 2025 18/9. The current year gets a few cases of its own.
"""

import datetime
import random
from dataclasses import dataclass

from faker import Faker

from cases import services
from cases.choices import (
    ArrivalPoint,
    CaseSource,
    DetentionStatus,
    ExploitationType,
    HandlingGrounds,
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
)
from cases.models import Case, Returnee
from gugus_tugas.accounts.models import Region, User

# (reported, resolved of reported) per year of the police report.
POLDA_NTT_FIGURES = {2020: (1, 1), 2021: (9, 6), 2022: (0, 0), 2023: (7, 7), 2024: (22, 14), 2025: (18, 9)}
CURRENT_YEAR_FIGURES = (6, 2)

DESTINATIONS = ["MY"] * 14 + ["SG", "SG", "BN", "HK", "TW", "SA"]
EMPLOYERS = [
    ("Ladang sawit Sabah", "perkebunan sawit"),
    ("Kilang papan Sarawak", "pabrik kayu"),
    ("Rumah tangga, Johor Bahru", "pekerja rumah tangga"),
    ("Restoran, Kuala Lumpur", "restoran"),
    ("Tapak binaan Selangor", "konstruksi"),
    ("Kapal ikan, Tawau", "perikanan"),
]


@dataclass
class Cast:
    bp3mi: User
    police: list[User]
    prosecutor: User


def grant_directly(case: Case, bp3mi: User, police: User, on: datetime.date) -> None:
    services.case_grant_handling(case=case, agency=police.agency, grounds=HandlingGrounds.DEMO)


class DemoCases:
    def __init__(
        self, fake: Faker, accounts: dict[str, User], today: datetime.date, hand_over=grant_directly
    ):
        """`hand_over(case, bp3mi, police, on)` gives a BP3MI case to the police; seed_demo passes a
        referral that the police accept, this app alone can only grant the handling."""
        self.hand_over = hand_over
        self.fake = fake
        self.random = random.Random(fake.random.random())
        self.today = today
        self.cast = Cast(
            bp3mi=accounts["bp3mi"],
            police=[accounts["polda"], accounts["polresta"]],
            prosecutor=accounts["kejari"],
        )
        self.districts = list(Region.objects.filter(level="district").values_list("code", flat=True))
        kupang = [code for code in self.districts if code.startswith("53.71.")]
        self.villages = list(Region.objects.filter(level="village").values_list("code", flat=True))
        # Kota Kupang and the big sending regencies of Timor and Sumba weigh more.
        self.origins = self.villages * 2 + kupang * 3 + self.districts

    # People

    def person(self, *, child: bool = False, on: datetime.date) -> dict:
        sex = self.random.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE])
        age = self.random.randint(14, 17) if child else self.random.randint(18, 45)
        birth = on - datetime.timedelta(days=age * 365 + self.random.randint(0, 360))
        origin = self.random.choice(self.origins)
        first = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        nik = ""
        if self.random.random() < 0.85:
            parts = origin.split(".")
            day = birth.day + (40 if sex == Sex.FEMALE else 0)
            nik = f"53{parts[1]}{parts[2]}{day:02d}{birth:%m%y}{self.random.randint(1, 9999):04d}"
        return {
            "full_name": f"{first} {self.fake.last_name()}",
            "nik": nik,
            "sex": sex,
            "birth_date": birth,
            "birth_date_estimated": False,
            "origin_region": Region.objects.get(code=origin),
            "address": self.fake.street_address(),
            "phone": f"08{self.random.randint(1100000000, 1399999999)}",
        }

    def day_in(self, start: datetime.date, end: datetime.date) -> datetime.date:
        end = min(end, self.today)
        return start + datetime.timedelta(days=self.random.randint(0, max((end - start).days, 0)))

    # Arrivals

    def arrivals(self, years=range(2023, 2027), per_year=30) -> list[Returnee]:
        """Shiploads and flights of returnees; each batch shares its date, point and category."""
        logged = []
        for year in years:
            remaining = per_year
            while remaining > 0:
                size = min(remaining, self.random.randint(2, 8))
                remaining -= size
                arrived = self.day_in(datetime.date(year, 1, 5), datetime.date(year, 12, 20))
                point = self.random.choice([ArrivalPoint.TENAU_PORT] * 3 + [ArrivalPoint.EL_TARI_AIRPORT] * 2)
                category = self.random.choice(
                    [ReturneeCategory.DEPORTEE] * 4 + [ReturneeCategory.REPATRIATED, ReturneeCategory.REGULAR]
                )
                country = self.random.choice(DESTINATIONS)
                for _n in range(size):
                    logged.append(self.arrival(arrived, point, category, country))
        return logged

    def arrival(self, arrived, point, category, country, *, result=None) -> Returnee:
        employer, sector = self.random.choice(EMPLOYERS)
        screened = self.random.random() < 0.8 or result is not None
        result = result or self.random.choice(
            [ScreeningResult.NOT_VICTIM] * 5 + [ScreeningResult.POSSIBLE_VICTIM] + [ScreeningResult.PENDING]
        )
        indicators = []
        exploitation = []
        if result == ScreeningResult.POSSIBLE_VICTIM:
            indicators = self.random.sample(MeansOfControl.values, self.random.randint(2, 4))
            exploitation = [ExploitationType.FORCED_LABOUR]
        fields = {
            "arrived_on": arrived,
            "arrival_point": point,
            "category": category,
            "procedural": self.random.random() < 0.25,
            "country": country,
            "employer": employer,
            "sector": sector,
            "route_notes": "",
            "screened_on": arrived if screened and result != ScreeningResult.PENDING else None,
            "indicators": indicators,
            "exploitation_types": exploitation,
            "screening_result": result if screened else ScreeningResult.PENDING,
        }
        return services.returnee_log(actor=self.cast.bp3mi, person=self.person(on=arrived), fields=fields)

    # Cases

    def cases(self) -> list[Case]:
        plan = dict(POLDA_NTT_FIGURES)
        plan[self.today.year] = CURRENT_YEAR_FIGURES
        opened = []
        for year, (reported, resolved) in sorted(plan.items()):
            outcomes = [True] * resolved + [False] * (reported - resolved)
            self.random.shuffle(outcomes)
            for index, resolve in enumerate(outcomes):
                # One terminated case per cohort of 2021 and 2023 is reopened after a praperadilan
                # ruling: 2021's stays open, 2023's is resolved again by P-21 (DESIGN §4.4).
                reopened = index == outcomes.index(year == 2023) if year in (2021, 2023) else False
                opened.append(self.reported_case(year, resolve=resolve, reopened=reopened))
        # Cases that never reached a police report: still identified, or screened out.
        for _n in range(4):
            opened.append(self.identified_case(self.day_in(datetime.date(self.today.year, 1, 1), self.today)))
        screened_out = self.identified_case(datetime.date(self.today.year - 1, 8, 14))
        services.case_move(
            case=screened_out,
            to=Stage.NOT_TPPO,
            on=datetime.date(self.today.year - 1, 9, 2),
            actor=self.cast.bp3mi,
            note="Hasil asesmen: pekerja migran reguler.",
        )
        opened.append(screened_out)
        return opened

    def identified_case(self, identified: datetime.date) -> Case:
        """A possible victim found at screening, turned into a case in one step (BP3MI)."""
        returnee = self.arrival(
            identified,
            ArrivalPoint.TENAU_PORT,
            ReturneeCategory.DEPORTEE,
            self.random.choice(DESTINATIONS),
            result=ScreeningResult.POSSIBLE_VICTIM,
        )
        return services.returnee_open_case(returnee=returnee, actor=self.cast.bp3mi)

    def reported_case(self, year: int, *, resolve: bool, reopened: bool = False) -> Case:
        """A case the police registered in `year`, through inquiry, then resolved or still open."""
        latest = min(datetime.date(year, 12, 31), self.today - datetime.timedelta(days=40))
        lp_on = self.day_in(datetime.date(year, 1, 10), latest)
        police = self.random.choice(self.cast.police)
        case = self.case_for_police(lp_on, police)
        self.suspects(case, police)
        on = lp_on
        case = services.case_move(
            case=case,
            to=Stage.REPORTED,
            on=on,
            actor=police,
            data={
                "lp_number": f"LP/B/{self.random.randint(100, 999)}/{on.month}/{on.year}/SPKT/POLDA NTT",
                "lp_model": "B",
            },
        )
        on = self.later(on, 3, 20)
        case = services.case_move(case=case, to=Stage.INQUIRY, on=on, actor=police)
        self.maybe_obstacle(case, police, on)
        if reopened:
            return self.reopened(case, police, on, resolve=resolve)
        return self.after_inquiry(case, police, on, resolve=resolve)

    def case_for_police(self, lp_on: datetime.date, police: User) -> Case:
        """Most often BP3MI's case handed over by referral; otherwise a family's report to the police."""
        if self.random.random() < 0.6:
            case = self.identified_case(lp_on - datetime.timedelta(days=self.random.randint(1, 10)))
            self.hand_over(case, self.cast.bp3mi, police, case.identified_on)
            return case
        child = self.random.random() < 0.2
        return services.case_open(
            actor=police,
            identified_on=lp_on,
            source=CaseSource.POLICE_REPORT,
            summary="Laporan keluarga korban tentang perekrutan ilegal ke luar negeri.",
            exploitation_types=self.random.sample(
                [ExploitationType.FORCED_LABOUR] * 3
                + [ExploitationType.SEXUAL_EXPLOITATION, ExploitationType.SERVITUDE],
                1,
            ),
            destination_country=self.random.choice(DESTINATIONS),
            victims=[
                {
                    "person_fields": self.person(child=child, on=lp_on),
                    "relationship_to_trafficker": self.random.choice(Relationship.values),
                }
                for _n in range(self.random.randint(1, 2))
            ],
        )

    def reopened(self, case: Case, police: User, on: datetime.date, *, resolve: bool) -> Case:
        """Terminated for want of evidence, reopened after a praperadilan ruling, maybe at P-21."""
        on = self.later(on, 10, 40)
        case = services.case_move(case=case, to=Stage.INVESTIGATION, on=on, actor=police)
        on = self.later(on, 20, 60)
        case = services.case_move(
            case=case,
            to=Stage.TERMINATED,
            on=on,
            actor=police,
            data={"ground": TerminationGround.INSUFFICIENT_EVIDENCE},
        )
        on = self.later(on, 60, 120)
        case = services.case_move(
            case=case,
            to=Stage.INVESTIGATION,
            on=on,
            actor=police,
            note="Dibuka kembali setelah putusan praperadilan.",
        )
        if not resolve:
            return case
        on = self.later(on, 30, 60)
        return services.case_move(
            case=case,
            to=Stage.PROSECUTION,
            on=on,
            actor=police,
            data={"prosecution_agency": "KEJARI-KUPANG"},
        )

    def after_inquiry(self, case: Case, police: User, on: datetime.date, *, resolve: bool) -> Case:
        """Still in inquiry or investigation; or resolved by transfer, termination or P-21 and court."""
        route = self.random.random()
        if not resolve:
            if route < 0.4:
                return case  # still in inquiry
            on = self.later(on, 10, 40)
            case = services.case_move(case=case, to=Stage.INVESTIGATION, on=on, actor=police)
            return self.investigation_steps(case, police, on, returned=route > 0.7)
        if route < 0.12:
            on = self.later(on, 20, 90)
            return services.case_move(
                case=case,
                to=Stage.TRANSFERRED,
                on=on,
                actor=police,
                data={"receiving_unit": "Dittipidum Bareskrim Polri"},
            )
        on = self.later(on, 10, 40)
        case = services.case_move(case=case, to=Stage.INVESTIGATION, on=on, actor=police)
        if route < 0.3:
            on = self.later(on, 30, 90)
            return services.case_move(
                case=case,
                to=Stage.TERMINATED,
                on=on,
                actor=police,
                data={
                    "ground": self.random.choice(
                        [TerminationGround.INSUFFICIENT_EVIDENCE, TerminationGround.NOT_A_CRIME]
                    )
                },
            )
        case = self.investigation_steps(case, police, on, returned=route > 0.8)
        on = self.later(case.stage_entered_on, 40, 90)
        case = services.case_move(
            case=case, to=Stage.PROSECUTION, on=on, actor=police, data={"prosecution_agency": "KEJARI-KUPANG"}
        )
        return self.court(case, on)

    def investigation_steps(self, case: Case, police: User, on: datetime.date, *, returned: bool) -> Case:
        spdp = self.later(on, 2, 6)
        services.case_step(
            case=case,
            kind=StepKind.SPDP_SENT,
            on=spdp,
            actor=police,
            data={"prosecution_agency": "KEJARI-KUPANG"},
        )
        tahap1 = self.later(spdp, 20, 40)
        services.case_step(case=case, kind=StepKind.TAHAP1_SENT, on=tahap1, actor=police)
        if returned:
            services.case_step(
                case=case,
                kind=StepKind.P19_RETURNED,
                on=self.later(tahap1, 7, 14),
                actor=self.cast.prosecutor,
                note="Berkas belum lengkap: keterangan saksi korban.",
            )
        case.refresh_from_db()
        return case

    def court(self, case: Case, p21_on: datetime.date) -> Case:
        prosecutor = self.cast.prosecutor
        services.case_step(
            case=case, kind=StepKind.TAHAP2_DONE, on=self.later(p21_on, 3, 10), actor=prosecutor
        )
        if self.random.random() < 0.35 or self.later(p21_on, 30, 30) >= self.today:
            case.refresh_from_db()
            return case
        on = self.later(p21_on, 15, 30)
        case = services.case_move(
            case=case,
            to=Stage.TRIAL,
            on=on,
            actor=prosecutor,
            data={"court_case_number": f"{self.random.randint(10, 250)}/Pid.Sus/{on.year}/PN Kpg"},
        )
        if self.random.random() < 0.3:
            return case
        on = self.later(on, 40, 100)
        restitution = self.random.choice([0, 15_000_000, 30_000_000, 52_500_000])
        case = services.case_move(
            case=case,
            to=Stage.VERDICT,
            on=on,
            actor=prosecutor,
            data={
                "verdict": "convicted",
                "sentence_months": self.random.choice([36, 48, 60, 84]),
                "fine_idr": self.random.choice([120_000_000, 200_000_000]),
                "restitution_idr": restitution,
            },
        )
        if self.random.random() < 0.4:
            return case
        on = self.later(on, 14, 60)
        return services.case_move(
            case=case,
            to=Stage.FINAL,
            on=on,
            actor=prosecutor,
            data={"restitution_paid": restitution > 0 and self.random.random() < 0.3},
        )

    def suspects(self, case: Case, police: User) -> None:
        for role in self.random.sample(
            [SuspectRole.RECRUITER, SuspectRole.TRANSPORTER, SuspectRole.BROKER], self.random.randint(1, 2)
        ):
            services.suspect_add(
                case=case,
                actor=police,
                fields={
                    "full_name": self.fake.name(),
                    "nik": "",
                    "role": role,
                    "detention_status": self.random.choice(DetentionStatus.values),
                    "note": "",
                },
            )

    def maybe_obstacle(self, case: Case, actor: User, on: datetime.date) -> None:
        if self.random.random() < 0.35:
            kind = self.random.choice(ObstacleKind.values)
            services.obstacle_set(
                case=case, actor=actor, kind=kind, on=on, note="Dicatat saat pemeriksaan awal."
            )

    def later(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return min(day + datetime.timedelta(days=self.random.randint(low, high)), self.today)
