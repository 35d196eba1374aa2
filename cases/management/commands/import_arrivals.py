"""Import a backlog of arrival spreadsheets from the command line: each file is read, its columns
matched and its good rows imported in one transaction (cases.importer.services.arrival_import_file, which
writes through the same returnees_import as the pages), for the agency of the officer named with
--username. Prints what was imported, what was already there and what was rejected and why."""

from collections import Counter
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.importer import services
from cases.importer.checking import RowState
from cases.importer.columns import COLUMNS_BY_FIELD, FIELDS
from cases.importer.report import report_xlsx
from cases.selectors import may_log_arrivals
from gugus_tugas.accounts.models import User


class Command(BaseCommand):
    help = (
        "Import arrival spreadsheets (XLSX or CSV) into the arrival log of an officer's agency, "
        "printing what was imported, what was already there and what was rejected and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--username", required=True, help="a BP3MI officer; the arrivals are recorded for their agency"
        )
        parser.add_argument(
            "--mapping",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=(
                "the column that holds a field when the headers are not the template's, by its header or "
                "its letter (a header wins over a letter); FIELD= for none. E.g. --mapping nik='No KTP' "
                f"--mapping arrived_on=H. Fields: {', '.join(FIELDS)}"
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="import rows whose NIK disagrees with the sex or birth date (otherwise they are rejected)",
        )
        parser.add_argument(
            "--report-dir", help="where to write the error reports (default: beside each file)"
        )

    def handle(self, *args, **options):
        user = User.objects.select_related("agency").filter(username=options["username"]).first()
        if user is None or not may_log_arrivals(user):
            raise CommandError(
                _("“%(username)s” is not an officer of a migrant-protection agency (BP3MI).")
                % {"username": options["username"]}
            )
        columns = _parse_mapping(options["mapping"])
        failed = 0
        for name in options["files"]:
            path = Path(name)
            try:
                self._import(path, user, columns, options)
            except ValidationError as exc:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{path}: {_describe(exc)}"))
            except OSError as exc:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{path}: {exc.strerror or exc}"))
        if failed:
            raise CommandError(
                _("%(count)s of %(total)s files could not be imported.")
                % {"count": failed, "total": len(options["files"])}
            )

    def _import(self, path: Path, user: User, columns: dict[str, str], options) -> None:
        data = path.read_bytes()
        with transaction.atomic():
            arrival_import, outcome = services.arrival_import_file(
                actor=user,
                file_name=path.name,
                data=data,
                columns=columns,
                accept_warnings=options["accept_warnings"],
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        self._say(path, arrival_import.row_count, outcome, options["dry_run"])
        if outcome.rejected:
            report = _report_path(path, options["report_dir"])
            report.write_bytes(
                report_xlsx([(row.number, row.values, row.reasons) for row in outcome.rejected])
            )
            self.stdout.write("  " + _("Error report: %(path)s") % {"path": report})

    def _say(self, path: Path, rows: int, outcome, dry_run: bool) -> None:
        counts = {
            "file": path.name,
            "rows": rows,
            "imported": outcome.imported,
            "present": outcome.present,
            "rejected": len(outcome.rejected),
        }
        if dry_run:
            line = _(
                "%(file)s: %(rows)s rows; %(imported)s would be imported, %(present)s already in the log, "
                "%(rejected)s rejected (trial run: nothing was saved)."
            )
        else:
            line = _(
                "%(file)s: %(rows)s rows; %(imported)s imported, %(present)s already in the log, "
                "%(rejected)s rejected."
            )
        self.stdout.write(line % counts if outcome.rejected else self.style.SUCCESS(line % counts))
        causes = Counter(cause for row in outcome.rejected for cause in row.causes)
        for cause, count in causes.most_common():
            label = COLUMNS_BY_FIELD[cause].label if cause in COLUMNS_BY_FIELD else RowState(cause).label
            self.stdout.write("  " + _("%(cause)s: %(count)s rows") % {"cause": label, "count": count})


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    columns = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or field.strip() not in COLUMNS_BY_FIELD:
            raise CommandError(
                _("--mapping takes FIELD=COLUMN with FIELD one of: %(fields)s.")
                % {"fields": ", ".join(FIELDS)}
            )
        columns[field.strip()] = column
    return columns


def _describe(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, messages in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            continue
        column = COLUMNS_BY_FIELD.get(field)
        parts.append(f"{field} ({column.header if column else field}): {' '.join(messages)}")
    return " ".join(["; ".join(parts) + ".", *exc.message_dict.get(NON_FIELD_ERRORS, [])])


def _report_path(path: Path, report_dir: str | None) -> Path:
    folder = Path(report_dir) if report_dir else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{path.stem}-ditolak.xlsx"
