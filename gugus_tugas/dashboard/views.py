"""The chair's dashboard page, its exports and the access log page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gugus_tugas.accounts.models import AccessLog
from gugus_tugas.accounts.services import access_log_record
from gugus_tugas.dashboard import charts, tables
from gugus_tugas.dashboard.forms import PeriodForm
from gugus_tugas.dashboard.selectors import default_period
from gugus_tugas.pagination import CappedPaginator


def _require_chair(request):
    if not request.user.is_chair:
        raise PermissionDenied(_("The dashboard is the task-force chair's."))


def _period(request):
    form = PeriodForm(request.GET)
    return form, form.cleaned_data["period"] if form.is_valid() else default_period()


@login_required
def index(request):
    _require_chair(request)
    form, period = _period(request)
    sections = tables.every_section(period)
    yearly = sections["yearly"][0]
    months = sections["returnees"][0]
    context = {
        "form": form,
        "period": period,
        "period_label": tables.period_label(period),
        "generated": timezone.localtime(),
        "sections": sections,
        "deadline_totals": sections["deadlines"][0].totals,
        "yearly_chart": charts.bar_chart(
            [str(row[0]) for row in yearly.rows],
            [
                charts.Series(str(yearly.columns[1]), [row[1] for row in yearly.rows]),
                charts.Series(str(yearly.columns[2]), [row[2] for row in yearly.rows]),
                charts.Series(str(yearly.columns[3]), [row[3] for row in yearly.rows]),
            ],
            title=str(yearly.title),
        ),
        "returnee_chart": charts.bar_chart(
            [row[0][2:] for row in months.rows],
            [charts.Series(str(months.columns[1]), [row[1] for row in months.rows])],
            title=str(months.title),
            label_every=max(len(months.rows) // 12, 1),
        ),
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboard/index.html", context)


@login_required
def export(request, key, fmt):
    """One table, or all of them (key "semua"), as CSV or XLSX; every export is in the access log."""
    _require_chair(request)
    if (
        fmt not in {"csv", "xlsx"}
        or (key != "semua" and key not in tables.TABLE_SECTION)
        or (key == "semua" and fmt == "csv")
    ):
        raise Http404
    _form, period = _period(request)
    chosen = tables.all_tables(period) if key == "semua" else [tables.table(key, period)]
    access_log_record(
        request=request,
        action=AccessLog.Action.EXPORT,
        record_type="dashboard",
        record_id=key,
        detail=f"{fmt} {tables.period_label(period)}",
    )
    name = f"gugus-tugas-tppo-{key}-{period.year_from}-{period.year_to}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(tables.as_csv(chosen[0]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            tables.as_xlsx(chosen, period),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def access_log(request):
    """Who viewed identities or exported, for the chair (the administrator reads it in the admin site)."""
    _require_chair(request)
    entries = AccessLog.objects.select_related("user", "agency").order_by("-at")
    page = CappedPaginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "dashboard/access_log.html", {"page": page})
