"""Demo accounts: one officer per agency, the chair and the administrator (seed_demo)."""

from faker import Faker

from gugus_tugas.accounts.models import Agency, Role, User

DEMO_PASSWORD = "demo-kupang-2026"  # noqa: S105 - printed on the demo's terminal; seed_demo refuses production

# username -> (agency code, role); officers named after their office so the demo reads naturally.
DEMO_ACCOUNTS = {
    "bp3mi": ("BP3MI-NTT", Role.OFFICER),
    "polda": ("POLDA-NTT", Role.OFFICER),
    "polresta": ("POLRESTA-KUPANG", Role.OFFICER),
    "kejari": ("KEJARI-KUPANG", Role.OFFICER),
    "pn": ("PN-KUPANG", Role.OFFICER),
    "dinsos": ("DINSOS-KUPANG", Role.OFFICER),
    "dp3a": ("DP3A-KUPANG", Role.OFFICER),
    "rsud": ("RSUD-KUPANG", Role.OFFICER),
    "lpsk": ("LPSK", Role.OFFICER),
    "imigrasi": ("IMIGRASI-KUPANG", Role.OFFICER),
    "dukcapil": ("DUKCAPIL-KUPANG", Role.OFFICER),
    "sekretariat": ("GT-TPPO-KUPANG", Role.OFFICER),
    "ketua": ("GT-TPPO-KUPANG", Role.CHAIR),
    "admin": ("GT-TPPO-KUPANG", Role.ADMIN),
}


def seed_accounts(fake: Faker) -> dict[str, User]:
    """Create (or reset the password of) every demo account; returns them by username."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    accounts = {}
    for username, (code, role) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email=f"{username}@demo.invalid",
            )
        user.agency = agencies[code]
        user.role = role
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        accounts[username] = user
    return accounts
