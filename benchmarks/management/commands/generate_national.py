import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from benchmarks.synthetic.agencies import CHAIR_USERNAME, USERNAME_PREFIX
from benchmarks.synthetic.national import PROFILES, TABLES, NationalData, Scale, holds_cases
from gugus_tugas.dashboard import caching

DEFAULT_PASSWORD = "sintetis-nasional-2026"  # noqa: S105 - synthetic benchmark accounts, printed below


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database with synthetic national data (arrivals, cases, referrals) for "
        "benchmarks and load runs, with COPY, and print the time each part took."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="national")
        parser.add_argument("--arrivals", type=int, help="arrival records (national: 1,000,000)")
        parser.add_argument("--cases", type=int, help="cases (national: 100,000)")
        parser.add_argument("--referrals", type=int, help="referrals (national: 300,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="password of every generated account (default: %(default)s)",
        )
        parser.add_argument(
            "--force", action="store_true", help="add the data even though the database already holds cases"
        )
        parser.add_argument("--no-vacuum", action="store_true", help="skip VACUUM ANALYZE at the end")

    def handle(self, *args, profile, seed, password, force, no_vacuum, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_national writes with PostgreSQL's COPY and needs a PostgreSQL database "
                f"(DATABASE_URL); this one is {connection.vendor}."
            )
        if holds_cases() and not force:
            raise CommandError(
                "The database already holds cases. generate_national is meant for an empty database; "
                "use --force to add synthetic records to it anyway."
            )
        base = PROFILES[profile]
        scale = Scale(
            arrivals=options["arrivals"] if options["arrivals"] is not None else base.arrivals,
            cases=options["cases"] if options["cases"] is not None else base.cases,
            referrals=options["referrals"] if options["referrals"] is not None else base.referrals,
        )
        self.stdout.write(
            f"Generating {scale.arrivals:,} arrivals, {scale.cases:,} cases and "
            f"{scale.referrals:,} referrals (seed {seed})."
        )
        started = time.perf_counter()
        generator = NationalData(scale, seed=seed, password=password, log=self.stdout.write)
        with transaction.atomic():
            timings = generator.run()
        caching.forget_everything()  # COPY bypasses the database layer that tells the cache
        written = time.perf_counter() - started
        vacuum = 0.0
        if not no_vacuum:
            # Fresh statistics for the planner and a visibility map for index-only scans.
            begun = time.perf_counter()
            with connection.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
            vacuum = time.perf_counter() - begun
            self.stdout.write(f"  vacuum analyze: {vacuum:.1f} s")
        total = time.perf_counter() - started

        self.stdout.write("")
        self.stdout.write(f"{'table':<28}{'rows':>12}{'COPY s':>10}")
        for table, rows in sorted(timings.rows.items(), key=lambda item: -item[1]):
            self.stdout.write(f"{table:<28}{rows:>12,}{timings.copy_seconds[table]:>10.1f}")
        copy_total = sum(timings.copy_seconds.values())
        self.stdout.write(f"{'all tables':<28}{sum(timings.rows.values()):>12,}{copy_total:>10.1f}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {total:.1f} s ({written:.1f} s planning and writing in one transaction, of which "
                f"{copy_total:.1f} s COPY; {vacuum:.1f} s VACUUM ANALYZE)."
            )
        )
        self.stdout.write(
            f"Accounts: {CHAIR_USERNAME} (chair) and {USERNAME_PREFIX}<agency code in lower case>-1..3 "
            f"(officers, e.g. {USERNAME_PREFIX}bp3mi-jatim-1), password {password!r}."
        )
