"""What synthetic national data looks like: how often each value comes up (the mixes), the years'
volumes, and the words officers would have typed. benchmarks.synthetic.national draws from
them."""

import bisect
import datetime
import itertools
import random

from cases.choices import (
    ArrivalPoint,
    CaseSource,
    DetentionStatus,
    ExploitationType,
    ObstacleKind,
    Relationship,
    ReturneeCategory,
    Stage,
    SuspectRole,
    TerminationGround,
)
from referrals.models import Service, Status

WITA = datetime.timezone(datetime.timedelta(hours=8))
FIRST_DAY = datetime.date(2015, 1, 1)
# Relative volume per year: growth, the pandemic dip, the post-2022 surge in scam-compound cases.
YEAR_WEIGHTS = {
    2015: 6,
    2016: 6.5,
    2017: 7,
    2018: 7.5,
    2019: 8,
    2020: 4.5,
    2021: 5.5,
    2022: 9,
    2023: 10,
    2024: 11,
    2025: 11.5,
    2026: 11,
}


class Weighted:
    """A fast weighted choice from a fixed table (bisect on cumulative weights)."""

    def __init__(self, table: dict):
        self.values = list(table)
        self.cumulative = list(itertools.accumulate(table.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def stored_codes(codes) -> str:
    """A CodeListField value as stored: ",a,b," in the order of the code list."""
    if not codes:
        return ""
    return "," + ",".join(codes) + ","


def ordered_codes(choices, codes) -> list[str]:
    order = {code: index for index, code in enumerate(choices.values)}
    return sorted(set(codes), key=order.__getitem__)


EXPLOITATION = Weighted(
    {
        ExploitationType.FORCED_LABOUR: 58,
        ExploitationType.SEXUAL_EXPLOITATION: 18,
        ExploitationType.SERVITUDE: 8,
        ExploitationType.CHILD_LABOUR: 4,
        ExploitationType.FORCED_MARRIAGE: 3,
        ExploitationType.OTHER: 4,
        ExploitationType.ORGAN_REMOVAL: 1,
        ExploitationType.FORCED_BEGGING: 2,
        ExploitationType.SURROGACY: 1,
        ExploitationType.FORCED_ADOPTION: 1,
    }
)
COUNTRIES = Weighted(
    {
        "MY": 50,
        "TW": 8,
        "HK": 7,
        "SA": 7,
        "SG": 6,
        "KH": 5,
        "AE": 3,
        "BN": 3,
        "KR": 3,
        "JP": 3,
        "QA": 2,
        "MM": 2,
    }
)
CATEGORIES = Weighted(
    {
        ReturneeCategory.DEPORTEE: 42,
        ReturneeCategory.REPATRIATED: 18,
        ReturneeCategory.REGULAR: 30,
        ReturneeCategory.FAILED_DEPARTURE: 7,
        ReturneeCategory.DECEASED: 3,
    }
)
CASE_CATEGORIES = Weighted(
    {
        ReturneeCategory.DEPORTEE: 60,
        ReturneeCategory.REPATRIATED: 25,
        ReturneeCategory.FAILED_DEPARTURE: 10,
        ReturneeCategory.REGULAR: 5,
    }
)
NTT_POINTS = Weighted(
    {
        ArrivalPoint.TENAU_PORT: 45,
        ArrivalPoint.EL_TARI_AIRPORT: 35,
        ArrivalPoint.BOLOK_PORT: 12,
        ArrivalPoint.OTHER: 8,
    }
)
BATCH_SIZES = Weighted({(1, 3): 60, (4, 15): 30, (16, 60): 10})
RELATIONSHIPS = Weighted(
    {
        Relationship.FAMILY: 22,
        Relationship.ACQUAINTED: 38,
        Relationship.STRANGER: 15,
        Relationship.UNKNOWN: 25,
    }
)
VICTIM_COUNTS = Weighted({1: 66, 2: 20, 3: 9, 4: 3, 5: 2})
SUSPECT_COUNTS = Weighted({1: 55, 2: 30, 3: 10, 4: 5})
SUSPECT_ROLES = Weighted(
    {
        SuspectRole.RECRUITER: 35,
        SuspectRole.BROKER: 20,
        SuspectRole.TRANSPORTER: 15,
        SuspectRole.HARBOURER: 8,
        SuspectRole.EXPLOITER: 12,
        SuspectRole.CONTROLLER: 5,
        SuspectRole.OTHER: 5,
    }
)
DETENTION_EARLY = Weighted(
    {
        DetentionStatus.NOT_DETAINED: 50,
        DetentionStatus.DETAINED: 25,
        DetentionStatus.WANTED: 15,
        DetentionStatus.HOUSE_ARREST: 5,
        DetentionStatus.CITY_ARREST: 5,
    }
)
DETENTION_LATE = Weighted(
    {
        DetentionStatus.DETAINED: 70,
        DetentionStatus.CITY_ARREST: 5,
        DetentionStatus.HOUSE_ARREST: 5,
        DetentionStatus.NOT_DETAINED: 10,
        DetentionStatus.WANTED: 10,
    }
)
OBSTACLES = Weighted(
    {
        ObstacleKind.VICTIM_UNWILLING: 30,
        ObstacleKind.PERPETRATOR_IS_FAMILY: 20,
        ObstacleKind.ADAT_SETTLEMENT_ATTEMPT: 15,
        ObstacleKind.VICTIM_UNREACHABLE: 20,
        ObstacleKind.VICTIM_NOT_SELF_IDENTIFYING: 15,
    }
)
POLICE_GROUNDS = Weighted(
    {
        TerminationGround.INSUFFICIENT_EVIDENCE: 60,
        TerminationGround.NOT_A_CRIME: 20,
        TerminationGround.BY_OPERATION_OF_LAW: 5,
        TerminationGround.NE_BIS_IN_IDEM: 3,
        TerminationGround.LAPSE_OF_TIME: 4,
        TerminationGround.SUSPECT_DIED: 8,
    }
)
POLICE_SOURCES = Weighted(
    {
        CaseSource.POLICE_REPORT: 60,
        CaseSource.COMMUNITY_REPORT: 22,
        CaseSource.HOTLINE: 12,
        CaseSource.OTHER: 6,
    }
)
CASE_SERVICES = Weighted(
    {
        Service.HEALTH_REHABILITATION: 15,
        Service.SOCIAL_REHABILITATION: 15,
        Service.PSYCHOSOCIAL: 15,
        Service.LEGAL_AID: 12,
        Service.REPATRIATION: 5,
        Service.REINTEGRATION: 12,
        Service.SHELTER: 10,
        Service.RESTITUTION: 8,
        Service.WITNESS_PROTECTION: 5,
        Service.CIVIL_DOCUMENTS: 3,
    }
)
ARRIVAL_SERVICES = Weighted(
    {
        Service.HEALTH_REHABILITATION: 25,
        Service.SOCIAL_REHABILITATION: 20,
        Service.REINTEGRATION: 20,
        Service.PSYCHOSOCIAL: 10,
        Service.CIVIL_DOCUMENTS: 15,
        Service.SHELTER: 10,
    }
)
# Answers of referrals older than their due time, and of those still inside it.
SETTLED_STATUSES = Weighted(
    {Status.SENT: 1.5, Status.ACCEPTED: 12, Status.COMPLETED: 62, Status.DECLINED: 13, Status.CANCELLED: 11.5}
)
FRESH_STATUSES = Weighted(
    {Status.SENT: 55, Status.ACCEPTED: 30, Status.COMPLETED: 5, Status.DECLINED: 5, Status.CANCELLED: 5}
)
CONSENT_METHODS = Weighted({"written": 50, "verbal": 35, "guardian": 15})
EMPLOYERS = [
    ("Ladang sawit Sabah", "perkebunan sawit"),
    ("Kilang papan Sarawak", "pabrik kayu"),
    ("Rumah tangga, Johor Bahru", "pekerja rumah tangga"),
    ("Restoran, Kuala Lumpur", "restoran"),
    ("Tapak binaan Selangor", "konstruksi"),
    ("Kapal ikan, Tawau", "perikanan"),
    ("Panti jompo, Taipei", "perawat lansia"),
    ("Rumah tangga, Hong Kong", "pekerja rumah tangga"),
    ("Pabrik elektronik, Taoyuan", "manufaktur"),
    ("Rumah tangga, Riyadh", "pekerja rumah tangga"),
    ("Perusahaan daring, Sihanoukville", "penipuan daring"),
    ("Kapal ikan, Busan", "perikanan"),
    ("", ""),
]
SUMMARIES = [
    "Korban direkrut dengan janji kerja di luar negeri tanpa dokumen resmi.",
    "Laporan keluarga korban tentang perekrutan ilegal ke luar negeri.",
    "Korban dipekerjakan tanpa upah dan dokumen ditahan majikan.",
    "Korban dijanjikan pekerjaan di restoran, dipaksa bekerja di tempat hiburan.",
    "Korban diberangkatkan melalui jalur tidak resmi dan terjerat utang.",
    "Korban dipekerjakan di perusahaan penipuan daring dan dilarang pulang.",
]
REFERRAL_REASONS = {
    Service.LAW_ENFORCEMENT: "Indikasi TPPO dari hasil skrining; mohon tindak lanjut penyelidikan.",
    Service.HEALTH_REHABILITATION: "Pemeriksaan dan pemulihan kesehatan.",
    Service.SOCIAL_REHABILITATION: "Rehabilitasi sosial setelah kepulangan.",
    Service.PSYCHOSOCIAL: "Pendampingan psikososial.",
    Service.LEGAL_AID: "Pendampingan hukum selama proses perkara.",
    Service.REPATRIATION: "Pemulangan ke daerah asal.",
    Service.REINTEGRATION: "Reintegrasi ke keluarga dan pelatihan usaha.",
    Service.SHELTER: "Rumah aman sementara.",
    Service.RESTITUTION: "Permohonan restitusi.",
    Service.WITNESS_PROTECTION: "Perlindungan saksi dan korban.",
    Service.CIVIL_DOCUMENTS: "Penerbitan ulang KTP dan KK.",
}
DECLINE_REASONS = ["Di luar wilayah layanan.", "Kapasitas penuh.", "Belum cukup bukti awal."]
OUTCOMES = ["Layanan selesai diberikan.", "Korban telah kembali ke keluarga.", "Dokumen telah diterbitkan."]
CANCEL_REASONS = ["Korban menolak layanan.", "Dirujuk ke lembaga lain.", "Korban tidak dapat dihubungi."]
OVERRIDE_REASON = "Korban anak berisiko; wali tidak dapat dihubungi."

# The stage graph as the data walks it: from each stage, the next stage (None: the case stays) with
# its likelihood and the days it takes. Only moves of cases.workflow appear; tests check that.
NEXT = {
    Stage.IDENTIFIED: Weighted({(Stage.REPORTED, 2, 45): 80, (Stage.NOT_TPPO, 3, 30): 8, None: 12}),
    Stage.REPORTED: Weighted(
        {(Stage.INQUIRY, 1, 10): 70, (Stage.INVESTIGATION, 1, 14): 27, (Stage.TRANSFERRED, 5, 60): 3}
    ),
    Stage.INQUIRY: Weighted(
        {
            (Stage.INVESTIGATION, 14, 90): 62,
            (Stage.TERMINATED, 30, 200): 18,
            (Stage.TRANSFERRED, 14, 120): 5,
            None: 15,
        }
    ),
    Stage.INVESTIGATION: Weighted(
        {
            (Stage.PROSECUTION, 20, 120): 64,
            (Stage.TERMINATED, 30, 200): 17,
            (Stage.TRANSFERRED, 14, 120): 4,
            None: 15,
        }
    ),
    Stage.PROSECUTION: Weighted({(Stage.TRIAL, 7, 40): 88, (Stage.TERMINATED, 14, 90): 2, None: 10}),
    Stage.TRIAL: Weighted({(Stage.VERDICT, 7, 45): 93, None: 7}),
    Stage.VERDICT: Weighted({(Stage.FINAL, 14, 45): 60, (Stage.APPEAL, 7, 14): 30, None: 10}),
    Stage.APPEAL: Weighted({(Stage.FINAL, 60, 360): 85, None: 15}),
    Stage.TERMINATED: Weighted({(Stage.INVESTIGATION, 30, 365): 5, None: 95}),
}
RECEIVING_UNITS = ["Dittipidum Bareskrim Polri", "Direktorat Tindak Pidana PPA dan PPO Bareskrim Polri"]
