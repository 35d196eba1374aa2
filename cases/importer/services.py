"""Writes of the spreadsheet import. An uploaded sheet is kept as an ArrivalImport while the officer
matches its columns, has it checked, fixes or skips rows and imports it; returnees_import writes the
arrivals, for the pages and for the import_arrivals command alike. Each function checks that the
actor imports for a migrant-protection agency and that the upload is its own and at the right step,
and raises ValidationError, Conflict or NotPermitted as cases.services does."""

import bisect
import datetime
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cases.importer import checking
from cases.importer.checking import ImportRow, ReportedRow, RowCheck, RowState, SourceRow
from cases.importer.columns import (
    COLUMNS_BY_FIELD,
    describe_columns,
    guess_mapping,
    mapping_errors,
    missing_fields,
    resolve_columns,
)
from cases.importer.reading import file_digest, read_table
from cases.models import ArrivalImport, ArrivalTally, Person, Returnee
from cases.selectors import arrivals_logged_between, may_log_arrivals
from gugus_tugas.accounts.models import Agency, User
from gugus_tugas.errors import Conflict, NotPermitted

# Checking goes in steps, one request each, so that the officer sees a large sheet's progress and no
# request runs long: at least this many rows a step, and at most IMPORT_CHECK_STEPS steps, since every
# step reads and writes the whole upload again.
IMPORT_CHECK_ROWS_PER_STEP = 5000
IMPORT_CHECK_STEPS = 5
# Rows written per batch: one INSERT per table on PostgreSQL (SQLite splits it at 999 parameters).
IMPORT_BATCH_SIZE = 1000


@dataclass
class RejectedRow:
    number: int
    values: dict[str, str]
    reasons: list[str]
    # What is wrong, for a summary: the fields at fault, or the row's state (duplicate, skipped, warning).
    causes: list[str]


@dataclass
class ImportOutcome:
    imported: int = 0
    present: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    # Of the rejected rows: with errors, repeating an earlier row, skipped, NIK warnings not accepted.
    invalid: int = 0
    duplicate: int = 0
    skipped: int = 0
    unconfirmed: int = 0

    # The counter of each state of a rejected row.
    COUNTERS = {
        RowState.INVALID: "invalid",
        RowState.DUPLICATE: "duplicate",
        RowState.SKIPPED: "skipped",
        RowState.WARNING: "unconfirmed",
    }

    def reject(self, row: SourceRow, check: RowCheck | None, state: RowState, same_as: int) -> None:
        counter = self.COUNTERS[state]
        setattr(self, counter, getattr(self, counter) + 1)
        described = ImportRow(
            n=row.number,
            cells=[],
            state=state,
            same_as=same_as,
            problems=check.problems if check else [],
            warnings=check.warnings if check else [],
        )
        causes = sorted({name for name, _message in described["problems"]}) or [state.value]
        self.rejected.append(RejectedRow(row.number, row.values, checking.reasons(described), causes))


def _require_importer(actor: User) -> None:
    if not may_log_arrivals(actor):
        raise NotPermitted(_("Only migrant-protection officers import arrivals."))


def _locked_import(arrival_import: ArrivalImport, actor: User) -> ArrivalImport:
    _require_importer(actor)
    arrival_import = ArrivalImport.objects.select_for_update().get(pk=arrival_import.pk)
    if arrival_import.agency_id != actor.agency_id:
        raise NotPermitted(_("Only the agency that uploaded this file imports it."))
    return arrival_import


def _require_status(arrival_import: ArrivalImport, *statuses: str) -> None:
    if arrival_import.status == ArrivalImport.Status.IMPORTED:
        raise Conflict(
            _("This file was already imported on %(date)s.")
            % {"date": timezone.localtime(arrival_import.imported_at).strftime("%d/%m/%Y %H:%M")}
        )
    if arrival_import.status not in statuses:
        raise Conflict(_("This import is not at that step any more. Reload the page."))


@transaction.atomic
def returnees_import(
    *, actor: User, rows: Iterable[SourceRow], accept_warnings: bool = False, change_reason: str = ""
) -> ImportOutcome:
    """Import arrivals from spreadsheet rows for the actor's (migrant-protection) agency.

    Guarantees: every row is checked with the entry form's rules (cases.importer.checking); the rows
    that pass are written in one transaction, all of them or, on any error, none. No arrival is
    written twice: a row repeating an earlier row, or an arrival the agency already logged (same NIK
    and arrival date; without a NIK, the same name, birth date and arrival date), is left out, and
    the agency's row is locked so that two imports of the same sheet run one after the other. Rows
    whose NIK disagrees with the sex or birth date are written only with accept_warnings. Every
    person and arrival gets its history row with the actor. Queries do not grow with the rows: one
    for the arrivals already logged, then four inserts per batch of IMPORT_BATCH_SIZE rows."""
    _require_importer(actor)
    # The agency's imports wait for each other here, so the second finds the first's arrivals logged.
    list(Agency.objects.select_for_update().filter(pk=actor.agency_id).values_list("pk"))
    good, outcome = _sort_rows(actor, list(rows), accept_warnings)
    _write_arrivals(actor, good, change_reason)
    outcome.imported = len(good)
    return outcome


def _sort_rows(
    actor: User, rows: list[SourceRow], accept_warnings: bool
) -> tuple[list[RowCheck], ImportOutcome]:
    """Check every row and settle its state against the sheet and the agency's log: the checks of the
    rows to write, and the outcome counting and describing the others."""
    ctx = checking.context()
    checks = [None if row.skipped else checking.check_values(row.values, ctx) for row in rows]
    days = [check.arrival["arrived_on"] for check in checks if check is not None and check.key]
    logged = (
        checking.keys_of_logged(arrivals_logged_between(actor.agency_id, min(days), max(days)))
        if days
        else set()
    )
    states = checking.row_states(
        (
            (row.number, check.key if check else None, bool(check and check.warnings), row.skipped)
            for row, check in zip(rows, checks, strict=True)
        ),
        logged,
    )
    outcome = ImportOutcome()
    good = []
    for row, check, (state, same_as) in zip(rows, checks, states, strict=True):
        if state == RowState.VALID or (state == RowState.WARNING and accept_warnings):
            good.append(check)
        elif state == RowState.PRESENT:
            outcome.present += 1
        else:
            outcome.reject(row, check, state, same_as)
    return good, outcome


def _write_arrivals(actor: User, good: list[RowCheck], change_reason: str) -> None:
    """Write the persons and arrivals of the good rows, with their history rows and the monthly tally."""
    now = timezone.now()
    history = {"default_user": actor, "default_date": now, "default_change_reason": change_reason[:100]}
    # One batch of model instances at a time: a 50,000-row sheet would otherwise hold 200,000 of them.
    for start in range(0, len(good), IMPORT_BATCH_SIZE):
        batch = good[start : start + IMPORT_BATCH_SIZE]
        persons = [
            Person(recorded_by_agency_id=actor.agency_id, created_at=now, **check.person) for check in batch
        ]
        bulk_create_with_history(persons, Person, **history)
        arrivals = [
            Returnee(
                person=person,
                recorded_by_agency_id=actor.agency_id,
                created_by_id=actor.pk,
                created_at=now,
                **check.arrival,
            )
            for person, check in zip(persons, batch, strict=True)
        ]
        bulk_create_with_history(arrivals, Returnee, **history)
        # bulk_create bypasses Returnee.save, which keeps the dashboard's monthly tally: count them here.
        ArrivalTally.add_many(
            Counter(
                tuple(arrival.tally_key()[column] for column in ArrivalTally.COLUMNS) for arrival in arrivals
            )
        )


def arrival_import_create(*, actor: User, file_name: str, data: bytes) -> ArrivalImport:
    """Read an uploaded XLSX or CSV file and keep its rows for checking. A file that is no readable
    sheet, is empty or is too large is refused with a ValidationError that says why. The columns are
    matched from the header row; when a required column is not found, the import waits at the
    column-matching step."""
    _require_importer(actor)
    table = read_table(data)
    mapping = guess_mapping(table.headers)
    arrival_import = _upload(
        actor,
        file_name,
        data,
        table,
        rows=[ImportRow(n=number, cells=cells) for number, cells in table.rows],
        mapping=mapping,
        status=ArrivalImport.Status.MAPPING if missing_fields(mapping) else ArrivalImport.Status.CHECKING,
    )
    arrival_import.save()
    return arrival_import


def _upload(actor: User, file_name: str, data: bytes, table, **fields) -> ArrivalImport:
    """An upload of the actor's agency with what the file says about itself (name, digest, header)."""
    return ArrivalImport(
        agency_id=actor.agency_id,
        created_by=actor,
        file_name=(file_name or "")[:255],
        file_sha256=file_digest(data),
        header_row=table.header_row,
        headers=table.headers,
        row_count=len(table.rows),
        **fields,
    )


@transaction.atomic
def arrival_import_map(
    *, arrival_import: ArrivalImport, actor: User, mapping: dict[str, int]
) -> ArrivalImport:
    """Match the sheet's columns to the fields (field -> column index); every required field needs
    a column and no column serves two fields. The rows are then checked again from the start."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(
        arrival_import,
        ArrivalImport.Status.MAPPING,
        ArrivalImport.Status.CHECKING,
        ArrivalImport.Status.READY,
    )
    errors = mapping_errors(mapping, len(arrival_import.headers))
    if errors:
        raise ValidationError(errors)
    arrival_import.mapping = dict(mapping)
    arrival_import.status = ArrivalImport.Status.CHECKING
    arrival_import.checked_count = 0
    arrival_import.save(update_fields=["mapping", "status", "checked_count"])
    return arrival_import


@transaction.atomic
def arrival_import_check(
    *, arrival_import: ArrivalImport, actor: User, all_rows: bool = False
) -> ArrivalImport:
    """Check the next step's rows (see IMPORT_CHECK_STEPS), or all that are left. After the last row,
    settle each row's state against the rest of the sheet and the arrivals already logged, and make
    the import ready for the preview."""
    arrival_import = _locked_import(arrival_import, actor)
    if arrival_import.status == ArrivalImport.Status.READY:
        return arrival_import
    _require_status(arrival_import, ArrivalImport.Status.CHECKING)
    ctx = checking.context()
    start = arrival_import.checked_count
    step = max(IMPORT_CHECK_ROWS_PER_STEP, math.ceil(arrival_import.row_count / IMPORT_CHECK_STEPS))
    end = arrival_import.row_count if all_rows else min(start + step, arrival_import.row_count)
    for row in arrival_import.rows[start:end]:
        checking.check_row(row, arrival_import.mapping, ctx)
    arrival_import.checked_count = end
    if end == arrival_import.row_count:
        _settle(arrival_import)
        arrival_import.status = ArrivalImport.Status.READY
    arrival_import.save(update_fields=["rows", "checked_count", "counts", "status"])
    return arrival_import


def _settle(arrival_import: ArrivalImport) -> None:
    days = [
        datetime.date.fromisoformat(row["key"].rsplit("|", 1)[1])
        for row in arrival_import.rows
        if row.get("key")
    ]
    logged = (
        checking.keys_of_logged(arrivals_logged_between(arrival_import.agency_id, min(days), max(days)))
        if days
        else set()
    )
    arrival_import.counts = checking.settle(arrival_import.rows, logged)


def _settle_and_save(arrival_import: ArrivalImport) -> None:
    """After a row changed: every row's state again, against the sheet and the log."""
    _settle(arrival_import)
    arrival_import.save(update_fields=["rows", "counts"])


def _ready_row(arrival_import: ArrivalImport, actor: User, number: int) -> tuple[ArrivalImport, ImportRow]:
    """The upload, locked and at the preview, and its row with this number in the sheet."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(arrival_import, ArrivalImport.Status.READY)
    numbers = [row["n"] for row in arrival_import.rows]
    position = bisect.bisect_left(numbers, number)
    if position == len(numbers) or numbers[position] != number:
        raise ValidationError(_("The file has no row %(number)s.") % {"number": number})
    return arrival_import, arrival_import.rows[position]


@transaction.atomic
def arrival_import_fix_row(
    *, arrival_import: ArrivalImport, actor: User, number: int, values: dict[str, str]
) -> ImportRow:
    """Correct fields of one row (text per field, as in the sheet) and check it again; the sheet's
    own cells are kept, the correction is applied over them."""
    arrival_import, row = _ready_row(arrival_import, actor, number)
    unknown = sorted(set(values) - set(COLUMNS_BY_FIELD))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    checking.fix_row(row, arrival_import.mapping, values)
    checking.check_row(row, arrival_import.mapping, checking.context())
    _settle_and_save(arrival_import)
    return row


@transaction.atomic
def arrival_import_skip_row(
    *, arrival_import: ArrivalImport, actor: User, number: int, skip: bool
) -> ImportRow:
    """Leave a row out of the import (or take it back in); a skipped row goes to the error report."""
    arrival_import, row = _ready_row(arrival_import, actor, number)
    checking.skip_row(row, skip)
    _settle_and_save(arrival_import)
    return row


@transaction.atomic
def arrival_import_commit(
    *, arrival_import: ArrivalImport, actor: User, accept_warnings: bool
) -> ImportOutcome:
    """Import the checked sheet in one transaction through returnees_import, which checks every row
    again against the log as it is now; rows with NIK warnings only with accept_warnings, else they
    are rejected. The import is then marked imported (a second commit is a Conflict) and keeps only
    the rejected rows, for the error report."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(arrival_import, ArrivalImport.Status.READY)
    outcome = returnees_import(
        actor=actor,
        rows=[
            SourceRow(row["n"], checking.values_of(row, arrival_import.mapping), bool(row.get("skip")))
            for row in arrival_import.rows
        ],
        accept_warnings=accept_warnings,
        change_reason=_("Imported from %(file)s") % {"file": arrival_import.file_name},
    )
    _record_outcome(arrival_import, outcome, actor)
    arrival_import.save()
    return outcome


def _record_outcome(arrival_import: ArrivalImport, outcome: ImportOutcome, actor: User) -> None:
    """Mark an upload imported; of its rows only the rejected ones stay, for the error report."""
    arrival_import.rows = [
        ReportedRow(n=rejected.number, values=rejected.values, reasons=rejected.reasons)
        for rejected in outcome.rejected
    ]
    arrival_import.counts = {
        "imported": outcome.imported,
        RowState.PRESENT.value: outcome.present,
        RowState.INVALID.value: outcome.invalid,
        RowState.DUPLICATE.value: outcome.duplicate,
        RowState.SKIPPED.value: outcome.skipped,
        "unconfirmed": outcome.unconfirmed,
    }
    arrival_import.imported_count = outcome.imported
    arrival_import.imported_at = timezone.now()
    arrival_import.imported_by = actor
    arrival_import.status = ArrivalImport.Status.IMPORTED


@transaction.atomic
def arrival_import_file(
    *,
    actor: User,
    file_name: str,
    data: bytes,
    columns: dict[str, str] | None = None,
    accept_warnings: bool = False,
) -> tuple[ArrivalImport, ImportOutcome]:
    """Import a whole file in one go, without preview (the import_arrivals command): read it, match
    its columns from the header row and from `columns` (field -> header or letter; empty: none),
    import it through returnees_import, with the same guarantees, and record the upload as imported
    (with its rejected rows), as the pages do. A file that cannot be read, or whose required columns
    are not found, is refused with a ValidationError that names the file's columns."""
    _require_importer(actor)
    table = read_table(data)
    mapping = guess_mapping(table.headers)
    for name, index in resolve_columns(columns or {}, table.headers).items():
        if index is None:
            mapping.pop(name, None)
        else:
            mapping[name] = index
    errors = mapping_errors(mapping, len(table.headers))
    if errors:
        raise ValidationError(
            {
                **errors,
                NON_FIELD_ERRORS: _("The file's columns: %(columns)s.")
                % {"columns": describe_columns(table.headers)},
            }
        )
    outcome = returnees_import(
        actor=actor,
        rows=(
            SourceRow(number, checking.values_of(ImportRow(n=number, cells=cells), mapping))
            for number, cells in table.rows
        ),
        accept_warnings=accept_warnings,
        change_reason=_("Imported from %(file)s") % {"file": file_name},
    )
    arrival_import = _upload(actor, file_name, data, table, mapping=mapping, checked_count=len(table.rows))
    _record_outcome(arrival_import, outcome, actor)
    arrival_import.save()
    return arrival_import, outcome


@transaction.atomic
def arrival_import_cancel(*, arrival_import: ArrivalImport, actor: User) -> None:
    """Throw away an upload that was not imported, with the personal data its rows hold."""
    arrival_import = _locked_import(arrival_import, actor)
    _require_status(
        arrival_import,
        ArrivalImport.Status.MAPPING,
        ArrivalImport.Status.CHECKING,
        ArrivalImport.Status.READY,
    )
    arrival_import.delete()
