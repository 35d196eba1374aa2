from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from cases.demo import DemoCases
from cases.models import Case
from gugus_tugas.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts
from referrals.demo import hand_over_to_police, seed_service_referrals


class Command(BaseCommand):
    help = "Fill the database with demo accounts and records, then print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never on a real deployment)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")

    def handle(self, *args, force=False, seed=2026, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("seed_demo creates accounts with a published password; it refuses to run with DEBUG off.")
                + " "
                + _("Use --force only on a throw-away database.")
            )
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        # The demo's referrals would e-mail every demo officer; nobody needs those messages.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            accounts = seed_accounts(fake)
            if Case.objects.exists():
                self.stdout.write(_("The database already holds cases; demo records are not added again."))
            else:
                today = timezone.localdate()
                demo = DemoCases(fake, accounts, today, hand_over=hand_over_to_police)
                arrivals = demo.arrivals()
                cases = demo.cases()
                referrals = seed_service_referrals(accounts, cases, today, seed)
                self.stdout.write(
                    _(
                        "Demo records: %(arrivals)d arrivals, %(cases)d cases, "
                        "%(referrals)d service referrals."
                    )
                    % {"arrivals": len(arrivals), "cases": len(cases), "referrals": referrals}
                )
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo accounts (password for all: %s)") % DEMO_PASSWORD))
        for username, (agency, role) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {username:<12} {role.label!s:<22} {agency}")
