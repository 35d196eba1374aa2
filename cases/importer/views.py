"""Pages of the spreadsheet import (/kepulangan/impor/): upload, column matching, checking with its
progress, the preview with fixes and skips, the import itself and the report of rejected rows.

Only officers who log arrivals (BP3MI) get in; every other account gets 403. An upload is seen only
by its own agency (404 otherwise). Writes go through cases.importer.services."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases.importer import services
from cases.importer.checking import ImportRow, RowState, fields_at_fault, reasons, values_of
from cases.importer.columns import COLUMNS
from cases.importer.forms import ArrivalUploadForm, ColumnMappingForm, ImportCommitForm, ImportRowForm
from cases.importer.reading import file_digest
from cases.importer.report import rejected_rows, report_csv, report_xlsx, template_xlsx
from cases.models import ArrivalImport
from cases.selectors import (
    arrival_import_for,
    arrival_imports_visible_to,
    may_log_arrivals,
    open_upload_of,
    other_uploads_of,
)
from gugus_tugas.accounts.models import AccessLog
from gugus_tugas.accounts.services import access_log_record
from gugus_tugas.errors import Conflict
from gugus_tugas.forms import add_errors, say_errors

PREVIEW_PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the preview lists: the rows that need the officer first.
SHOWN = {
    "masalah": (RowState.INVALID, RowState.DUPLICATE, RowState.WARNING),
    "sudah-ada": (RowState.PRESENT,),
    "dilewati": (RowState.SKIPPED,),
    "siap": (RowState.VALID, RowState.WARNING),
    "semua": tuple(RowState),
}
# The fields a row's small fix form offers, beyond those a problem or warning names.
KEY_FIELDS = ("full_name", "nik", "birth_date", "arrived_on")


def _require_importer(request) -> None:
    if not may_log_arrivals(request.user):
        raise PermissionDenied(_("Only migrant-protection officers import arrivals."))


def _import_for(request, pk) -> ArrivalImport:
    _require_importer(request)
    return arrival_import_for(request.user, pk)


def _log_view(request, arrival_import: ArrivalImport, action: str = AccessLog.Action.VIEW) -> None:
    # The sheet's rows are identities that are not persons yet: the log names the upload.
    access_log_record(
        request=request,
        action=action,
        record_type="arrival_import",
        record_id=arrival_import.pk,
        detail=request.path,  # never the query string
    )


@login_required
def arrival_import_start(request):
    _require_importer(request)
    form = ArrivalUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        same = open_upload_of(request.user, file_digest(data))
        if same is not None:
            messages.info(
                request,
                _("This file was already uploaded on %(date)s and is not imported yet; continue here.")
                % {"date": timezone.localtime(same.created_at).strftime("%d/%m/%Y %H:%M")},
            )
            return redirect("cases:arrival_import_detail", pk=same.pk)
        try:
            arrival_import = services.arrival_import_create(
                actor=request.user, file_name=upload.name, data=data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    recent = arrival_imports_visible_to(request.user).select_related("created_by")[:10]
    return render(request, "cases/import_start.html", {"form": form, "recent": recent})


@login_required
def arrival_import_template(request):
    _require_importer(request)
    return _download(template_xlsx(), "templat-impor-kepulangan.xlsx", XLSX_TYPE)


@login_required
def arrival_import_detail(request, pk):
    """The upload's current step: column matching, checking, preview or the outcome."""
    arrival_import = _import_for(request, pk)
    if arrival_import.status == ArrivalImport.Status.MAPPING:
        return redirect("cases:arrival_import_mapping", pk=arrival_import.pk)
    if arrival_import.status == ArrivalImport.Status.CHECKING:
        context = {"arrival_import": arrival_import, "progress": progress_label(arrival_import)}
        return render(request, "cases/import_progress.html", context)
    _log_view(request, arrival_import)
    context = {
        "arrival_import": arrival_import,
        "others": [other for other in other_uploads_of(arrival_import) if other.is_imported],
    }
    if arrival_import.is_imported:
        context["rejected"] = rejected_rows(arrival_import)[:PREVIEW_PAGE_SIZE]
        return render(request, "cases/import_done.html", context)
    return render(request, "cases/import_preview.html", {**context, **_preview(request, arrival_import)})


def _preview(request, arrival_import: ArrivalImport) -> dict:
    shown = request.GET.get("tampil")
    if shown not in SHOWN:
        counts = arrival_import.counts
        has_problems = any(counts.get(state) for state in SHOWN["masalah"])
        shown = "masalah" if has_problems else "semua"
    states = SHOWN[shown]
    rows = [row for row in arrival_import.rows if row.get("state") in states]
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return_to = request.get_full_path()
    entries = []
    for row in page:
        values = values_of(row, arrival_import.mapping)
        at_fault = fields_at_fault(row)
        if row["state"] in (RowState.DUPLICATE, RowState.PRESENT):
            at_fault.update(KEY_FIELDS)
        entries.append(
            {
                "row": row,
                "state_label": RowState(row["state"]).label,
                "values": values,
                "reasons": reasons(row),
                "fix": ImportRowForm(fields=at_fault, initial=values) if at_fault else None,
            }
        )
    counts = arrival_import.counts
    return {
        "page": page,
        "entries": entries,
        "shown": shown,
        "tabs": [
            (key, label, sum(counts.get(state, 0) for state in SHOWN[key]))
            for key, label in (
                ("masalah", _("Needs attention")),
                ("siap", _("To import")),
                ("sudah-ada", _("Already in the log")),
                ("dilewati", _("Skipped")),
                ("semua", _("All rows")),
            )
        ],
        "to_import": counts.get(RowState.VALID, 0) + counts.get(RowState.WARNING, 0),
        "rejected_count": sum(
            counts.get(state, 0) for state in (RowState.INVALID, RowState.DUPLICATE, RowState.SKIPPED)
        ),
        "commit_form": ImportCommitForm(),
        "return_to": return_to,
    }


@login_required
def arrival_import_mapping(request, pk):
    arrival_import = _import_for(request, pk)
    if arrival_import.is_imported:
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    samples = [row["cells"] for row in arrival_import.rows[:3]]
    form = ColumnMappingForm(
        request.POST or None, headers=arrival_import.headers, mapping=arrival_import.mapping, samples=samples
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.arrival_import_map(
                arrival_import=arrival_import, actor=request.user, mapping=form.mapping()
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    _log_view(request, arrival_import)  # the choices show example values: names and NIKs
    return render(request, "cases/import_mapping.html", {"arrival_import": arrival_import, "form": form})


@login_required
@require_POST
def arrival_import_check(request, pk):
    """One step of checking. The progress page's script asks for JSON and steps until done; without
    the script, each press of the button checks the next rows."""
    arrival_import = _import_for(request, pk)
    try:
        arrival_import = services.arrival_import_check(arrival_import=arrival_import, actor=request.user)
    except Conflict as conflict:  # imported or thrown away in another tab: the page says what it is now
        messages.error(request, str(conflict))
        arrival_import = arrival_import_for(request.user, pk)
    detail = reverse("cases:arrival_import_detail", args=[arrival_import.pk])
    if "application/json" in request.headers.get("Accept", ""):
        done = arrival_import.status != ArrivalImport.Status.CHECKING
        return JsonResponse(
            {
                "checked": arrival_import.checked_count,
                "total": arrival_import.row_count,
                "done": done,
                "next": detail,
                "label": progress_label(arrival_import),
            }
        )
    return redirect(detail)


def progress_label(arrival_import: ArrivalImport) -> str:
    return ngettext(
        "%(checked)s of %(total)s row checked",
        "%(checked)s of %(total)s rows checked",
        arrival_import.row_count,
    ) % {"checked": _number(arrival_import.checked_count), "total": _number(arrival_import.row_count)}


def _number(value: int) -> str:
    return intcomma(value)


@login_required
def arrival_import_row(request, pk, number):
    """One row of the sheet with every field, to correct it; the preview's small forms post here too
    with only the fields they show."""
    arrival_import = _import_for(request, pk)
    if arrival_import.status != ArrivalImport.Status.READY:
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    row = next((row for row in arrival_import.rows if row["n"] == number), None)
    if row is None:
        messages.error(request, _("The file has no row %(number)s.") % {"number": number})
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    return_to = _return_to(request, arrival_import)
    if request.method == "POST":
        posted = [column.field for column in COLUMNS if column.field in request.POST]
        form = ImportRowForm(request.POST, fields=posted)
        if form.is_valid():
            try:
                row = services.arrival_import_fix_row(
                    arrival_import=arrival_import, actor=request.user, number=number, values=form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            except Conflict as conflict:
                messages.error(request, str(conflict))
            else:
                _say_row_state(request, row)
                return redirect(f"{return_to}#baris-{number}")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(f"{return_to}#baris-{number}")
    _log_view(request, arrival_import)
    values = values_of(row, arrival_import.mapping)
    context = {
        "arrival_import": arrival_import,
        "row": row,
        "reasons": reasons(row),
        "form": ImportRowForm(initial=values),
        "return_to": return_to,
    }
    return render(request, "cases/import_row.html", context)


def _say_row_state(request, row: ImportRow) -> None:
    if row["state"] in (RowState.VALID, RowState.WARNING):
        messages.success(request, _("Row %(number)s is now ready to import.") % {"number": row["n"]})
    else:
        messages.warning(
            request,
            _("Row %(number)s still cannot be imported: %(reasons)s")
            % {"number": row["n"], "reasons": " ".join(reasons(row))},
        )


def _return_to(request, arrival_import: ArrivalImport) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    detail = reverse("cases:arrival_import_detail", args=[arrival_import.pk])
    if candidate.startswith(detail) and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return candidate
    return detail


@login_required
@require_POST
def arrival_import_skip(request, pk, number):
    arrival_import = _import_for(request, pk)
    skip = request.POST.get("skip") == "1"
    try:
        row = services.arrival_import_skip_row(
            arrival_import=arrival_import, actor=request.user, number=number, skip=skip
        )
    except (ValidationError, Conflict) as error:
        say_errors(request, error)
    else:
        if skip:
            messages.info(request, _("Row %(number)s will not be imported.") % {"number": number})
        else:
            _say_row_state(request, row)
    return redirect(f"{_return_to(request, arrival_import)}#baris-{number}")


@login_required
@require_POST
def arrival_import_commit(request, pk):
    arrival_import = _import_for(request, pk)
    form = ImportCommitForm(request.POST, warnings=arrival_import.counts.get(RowState.WARNING, 0))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    try:
        outcome = services.arrival_import_commit(
            arrival_import=arrival_import,
            actor=request.user,
            accept_warnings=form.cleaned_data["accept_warnings"],
        )
    except (ValidationError, Conflict) as error:
        say_errors(request, error)
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    messages.success(
        request,
        ngettext("%(count)s arrival imported.", "%(count)s arrivals imported.", outcome.imported)
        % {"count": _number(outcome.imported)},
    )
    return redirect("cases:arrival_import_detail", pk=arrival_import.pk)


@login_required
@require_POST
def arrival_import_cancel(request, pk):
    arrival_import = _import_for(request, pk)
    name = arrival_import.file_name
    try:
        services.arrival_import_cancel(arrival_import=arrival_import, actor=request.user)
    except Conflict as conflict:  # imported meanwhile
        messages.error(request, str(conflict))
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    messages.info(
        request, _("The upload of %(file)s was thrown away; nothing was imported.") % {"file": name}
    )
    return redirect("cases:arrival_import_start")


@login_required
def arrival_import_report(request, pk, fmt):
    """The rejected rows with their reasons, to correct and upload again; an export, so it is logged."""
    arrival_import = _import_for(request, pk)
    if fmt not in ("xlsx", "csv") or arrival_import.status not in (
        ArrivalImport.Status.READY,
        ArrivalImport.Status.IMPORTED,
    ):
        return redirect("cases:arrival_import_detail", pk=arrival_import.pk)
    rows = rejected_rows(arrival_import)
    _log_view(request, arrival_import, AccessLog.Action.EXPORT)
    name = f"{PurePath(arrival_import.file_name).stem or 'impor'}-ditolak.{fmt}"
    if fmt == "csv":
        return _download(report_csv(rows), name, "text/csv; charset=utf-8")
    return _download(report_xlsx(rows), name, XLSX_TYPE)


def _download(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
    return response
