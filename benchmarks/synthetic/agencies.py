"""The agencies and officer accounts of a national deployment, for synthetic data.

Kota Kupang's agencies (DESIGN §2) stand for Nusa Tenggara Timur; every other province that sends
migrant workers gets its own BP3MI office, Polda unit, prosecutor, court and service agencies, with
codes of their own (BP3MI-JATIM, POLDA-JATIM, ...). Weights say how much of the national load each
province carries: arrivals follow the big sending provinces of Java and Nusa Tenggara, cases lean
towards the trafficking hot spots.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from gugus_tugas.accounts.models import Agency, AgencyKind, Role, User

# province code: (code suffix, province name, capital, arrival weight, case weight)
PROVINCES = {
    "35": ("JATIM", "Jawa Timur", "Surabaya", 20, 13),
    "33": ("JATENG", "Jawa Tengah", "Semarang", 16, 10),
    "52": ("NTB", "Nusa Tenggara Barat", "Mataram", 14, 12),
    "32": ("JABAR", "Jawa Barat", "Bandung", 12, 12),
    "53": ("NTT", "Nusa Tenggara Timur", "Kupang", 9, 14),
    "18": ("LAMPUNG", "Lampung", "Bandar Lampung", 5, 4),
    "12": ("SUMUT", "Sumatera Utara", "Medan", 4, 5),
    "65": ("KALTARA", "Kalimantan Utara", "Tanjung Selor", 4, 5),
    "21": ("KEPRI", "Kepulauan Riau", "Tanjungpinang", 3, 5),
    "51": ("BALI", "Bali", "Denpasar", 3, 2),
    "36": ("BANTEN", "Banten", "Serang", 3, 3),
    "61": ("KALBAR", "Kalimantan Barat", "Pontianak", 2, 4),
    "73": ("SULSEL", "Sulawesi Selatan", "Makassar", 2, 3),
    "31": ("JAKARTA", "DKI Jakarta", "Jakarta", 2, 3),
    "64": ("KALTIM", "Kalimantan Timur", "Samarinda", 1, 1),
    "11": ("ACEH", "Aceh", "Banda Aceh", 1, 1),
    "16": ("SUMSEL", "Sumatera Selatan", "Palembang", 1, 1),
    "14": ("RIAU", "Riau", "Pekanbaru", 1, 2),
    "34": ("DIY", "Daerah Istimewa Yogyakarta", "Yogyakarta", 1, 1),
    "71": ("SULUT", "Sulawesi Utara", "Manado", 1, 1),
}

CHAIR_AGENCY = ("GT-TPPO-PUSAT", "Gugus Tugas PP-TPPO Pusat", AgencyKind.TASK_FORCE)
USERNAME_PREFIX = "nas-"
OFFICERS_PER_AGENCY = 3
CHAIR_USERNAME = f"{USERNAME_PREFIX}ketua"

# The services each kind of receiving agency gives (referrals go to the agency that gives the service).
SERVICE_AGENCY = {
    "law_enforcement": "police",
    "health_rehabilitation": "health",
    "social_rehabilitation": "social",
    "psychosocial": "women_children",
    "legal_aid": "women_children",
    "repatriation": "social",
    "reintegration": "social",
    "shelter": "women_children",
    "restitution": "lpsk",
    "witness_protection": "lpsk",
    "civil_documents": "civil",
}


@dataclass(eq=False)  # hashable by identity: a weighted choice keys on it
class Province:
    """One province's agencies, by role (ids), and its share of the load."""

    code: str
    key: str
    name: str
    capital: str
    arrival_weight: int
    case_weight: int
    bp3mi: int = 0
    police: list[int] = field(default_factory=list)
    prosecution: int = 0
    court: int = 0
    social: int = 0
    women_children: int = 0
    health: int = 0
    civil: int = 0
    lpsk: int = 0

    def receiver(self, service: str, police: int) -> int:
        role = SERVICE_AGENCY[service]
        return police if role == "police" else getattr(self, role)


def _agency(code: str, name: str, kind: str) -> Agency:
    agency, _created = Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return agency


def national_agencies() -> dict[str, Province]:
    """Kota Kupang's seeded agencies for NTT and, for every other province, a set created when missing."""
    lpsk = _agency("LPSK", "Lembaga Perlindungan Saksi dan Korban", AgencyKind.VICTIM_PROTECTION).pk
    provinces = {}
    for code, (key, name, capital, arrivals, cases) in PROVINCES.items():
        province = Province(code, key, name, capital, arrivals, cases, lpsk=lpsk)
        if key == "NTT":
            by_code = dict(Agency.objects.values_list("code", "pk"))
            province.bp3mi = by_code["BP3MI-NTT"]
            # Polda NTT's directorate carries most cases, the city police the rest.
            province.police = [by_code["POLDA-NTT"]] * 2 + [by_code["POLRESTA-KUPANG"]]
            province.prosecution = by_code["KEJARI-KUPANG"]
            province.court = by_code["PN-KUPANG"]
            province.social = by_code["DINSOS-KUPANG"]
            province.women_children = by_code["DP3A-KUPANG"]
            province.health = by_code["RSUD-KUPANG"]
            province.civil = by_code["DUKCAPIL-KUPANG"]
        else:
            province.bp3mi = _agency(
                f"BP3MI-{key}",
                f"Balai Pelayanan Pelindungan Pekerja Migran Indonesia {name}",
                AgencyKind.MIGRANT_PROTECTION,
            ).pk
            province.police = [
                _agency(
                    f"POLDA-{key}", f"Direktorat Reserse Kriminal Umum Polda {name}", AgencyKind.POLICE
                ).pk
            ]
            province.prosecution = _agency(
                f"KEJATI-{key}", f"Kejaksaan Tinggi {name}", AgencyKind.PROSECUTION
            ).pk
            province.court = _agency(f"PN-{key}", f"Pengadilan Negeri {capital}", AgencyKind.COURT).pk
            province.social = _agency(
                f"DINSOS-{key}", f"Dinas Sosial Provinsi {name}", AgencyKind.SOCIAL_SERVICE
            ).pk
            province.women_children = _agency(
                f"UPTDPPA-{key}", f"UPTD PPA Provinsi {name}", AgencyKind.SOCIAL_SERVICE
            ).pk
            province.health = _agency(f"RSUD-{key}", f"RSUD {capital}", AgencyKind.HEALTH).pk
            province.civil = _agency(
                f"DUKCAPIL-{key}", f"Dinas Dukcapil {capital}", AgencyKind.LOCAL_GOVERNMENT
            ).pk
        provinces[code] = province
    _agency(*CHAIR_AGENCY)
    return provinces


def officer_username(agency_code: str, number: int) -> str:
    return f"{USERNAME_PREFIX}{agency_code.lower()}-{number}"


def national_accounts(provinces: dict[str, Province], password: str) -> dict[int, list[int]]:
    """Officers for every agency the data uses (created when missing, password reset when present) and
    the chair. One password hash serves them all: hashing it per account would cost minutes, and these
    accounts exist only for benchmarks and load runs. Returns officer ids by agency id."""
    agency_ids: set[int] = set()
    for province in provinces.values():
        agency_ids.update(
            [
                province.bp3mi,
                *province.police,
                province.prosecution,
                province.court,
                province.social,
                province.women_children,
                province.health,
                province.civil,
                province.lpsk,
            ]
        )
    agencies = Agency.objects.in_bulk(agency_ids)
    hashed = make_password(password)
    wanted = {
        officer_username(agency.code, number): (agency, Role.OFFICER)
        for agency in agencies.values()
        for number in range(1, OFFICERS_PER_AGENCY + 1)
    }
    wanted[CHAIR_USERNAME] = (Agency.objects.get(code=CHAIR_AGENCY[0]), Role.CHAIR)
    existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    for user in existing.values():
        user.password = hashed
        user.is_active = True
    User.objects.bulk_update(existing.values(), ["password", "is_active"])
    User.objects.bulk_create(
        [
            User(
                username=username,
                password=hashed,
                agency=agency,
                role=role,
                first_name=username.removeprefix(USERNAME_PREFIX),
                email=f"{username}@synthetic.invalid",
            )
            for username, (agency, role) in wanted.items()
            if username not in existing
        ]
    )
    officers: dict[int, list[int]] = {}
    for user_id, agency_id in (
        User.objects.filter(username__in=wanted, role=Role.OFFICER)
        .order_by("username")
        .values_list("pk", "agency_id")
    ):
        officers.setdefault(agency_id, []).append(user_id)
    return officers
