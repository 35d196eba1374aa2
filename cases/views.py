"""Pages of the arrival log and the cases: fetch through the selectors, call a service, show the
outcome. Who sees what is decided in cases.selectors; what may change, in cases.services."""

import datetime
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import services
from cases.choices import Stage, StepKind
from cases.fields import CodeListField
from cases.filters import CaseFilter, ReturneeFilter
from cases.forms import (
    ArrivalEditForm,
    ArrivalForm,
    CaseEditForm,
    CaseFieldsForm,
    MoveForm,
    ObstacleClearForm,
    ObstacleSetForm,
    PersonEditForm,
    PersonForm,
    ScreeningForm,
    StepForm,
    SuspectEditForm,
    SuspectForm,
    VictimEditForm,
    VictimForm,
)
from cases.models import Case, CaseHandling, CaseObstacle, CaseVictim, Person, Returnee, Suspect
from cases.selectors import (
    case_for,
    cases_visible_to,
    handling_agency_codes,
    history_fields_hidden_from,
    mask_person,
    may_edit_person,
    may_log_arrivals,
    may_open_cases,
    returnee_for,
    returnees_listed,
    sees_identities,
)
from cases.workflow import MOVES_BY_PAIR, STEPS, may_act, moves_for, steps_for
from gugus_tugas.accounts.services import identity_view_record
from gugus_tugas.errors import Conflict
from gugus_tugas.forms import add_errors, save_edit, say_errors
from gugus_tugas.pagination import CappedPaginator

PAGE_SIZE = 50


def _page(request, rows):
    return CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _log_identities(request, record_type: str, record_id, person_ids) -> None:
    identity_view_record(request=request, record_type=record_type, record_id=record_id, person_ids=person_ids)


def _require_officer(request) -> None:
    # Chairs read cases masked; administrators and anyone else see no arrival or person data at all.
    if not request.user.is_officer:
        raise Http404


# Arrival log


@login_required
def returnee_list(request):
    _require_officer(request)
    # The filters narrow all arrivals; returnees_listed then keeps what this officer may see.
    filters = ReturneeFilter(request.GET, queryset=Returnee.objects.all())
    page = _page(request, returnees_listed(request.user, filters.qs))
    _log_identities(request, "returnee_list", "", (returnee.person_id for returnee in page))
    return render(
        request,
        "cases/returnee_list.html",
        {
            "filters": filters,
            "page": page,
            "may_log": may_log_arrivals(request.user),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def returnee_create(request):
    """The fast entry form of the port: after saving, the next form keeps the batch's arrival date,
    point, category and country, so a shipload is typed person after person."""
    if not may_log_arrivals(request.user):
        raise PermissionDenied(_("Only migrant-protection officers log arrivals."))
    batch = request.GET.dict() or {"arrived_on": timezone.localdate()}
    arrival = ArrivalForm(request.POST or None, initial=batch, prefix="arrival")
    person = PersonForm(request.POST or None, prefix="person")
    if request.method == "POST":
        arrival_valid = arrival.is_valid()
        person.reference_date = arrival.cleaned_data.get("arrived_on")  # an age counts from the arrival
        if person.is_valid() and arrival_valid:
            try:
                returnee = services.returnee_log(
                    actor=request.user, person=person.person_fields(), fields=arrival.cleaned_data
                )
            except ValidationError as error:
                add_errors(person, error)
            else:
                messages.success(
                    request, _("Arrival of %(name)s saved.") % {"name": returnee.person.full_name}
                )
                if "screen" in request.POST:
                    return redirect("cases:returnee_screen", pk=returnee.pk)
                batch = {name: arrival.data.get(f"arrival-{name}", "") for name in ArrivalForm.BATCH_FIELDS}
                return redirect(f"{reverse('cases:returnee_create')}?{urlencode(batch)}")
    return render(request, "cases/returnee_form.html", {"arrival": arrival, "person": person})


@login_required
def returnee_detail(request, pk):
    _require_officer(request)
    returnee = returnee_for(request.user, pk)
    _log_identities(request, "returnee", returnee.pk, [returnee.person_id])
    may_change = returnee.recorded_by_agency_id == request.user.agency_id
    return render(
        request,
        "cases/returnee_detail.html",
        {
            "returnee": returnee,
            "person": returnee.person,
            "may_change": may_change,
            "history": returnee.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


def _returnee_for_change(request, pk) -> Returnee:
    _require_officer(request)
    returnee = returnee_for(request.user, pk)
    if returnee.recorded_by_agency_id != request.user.agency_id:
        raise PermissionDenied(_("Only the agency that logged this arrival changes it."))
    return returnee


@login_required
def returnee_edit(request, pk):
    returnee = _returnee_for_change(request, pk)
    _log_identities(request, "returnee", returnee.pk, [returnee.person_id])
    initial = {name: getattr(returnee, name) for name in ArrivalForm.base_fields}
    arrival = ArrivalEditForm(
        request.POST or None, initial={**initial, "version": returnee.version}, prefix="arrival"
    )
    person = PersonEditForm(
        request.POST or None, prefix="person", person=returnee.person, reference_date=returnee.arrived_on
    )
    if request.method == "POST" and arrival.is_valid() and person.is_valid():
        update = partial(services.returnee_update, returnee=returnee, actor=request.user)
        if _save_with_person(request, arrival, person, returnee, update):
            messages.success(request, _("Arrival updated."))
            return redirect("cases:returnee_detail", pk=returnee.pk)
    context = {"arrival": arrival, "person": person, "returnee": returnee}
    return render(request, "cases/returnee_form.html", context)


def _save_with_person(request, form, person, record, update) -> bool:
    """Save a record and its person through one service (returnee_update, victim_update), both or
    neither. Errors stand at their fields; on a conflict both forms show what is saved now."""
    try:
        update(
            version=form.cleaned_data["version"],
            fields=form.fields_to_save(),
            person=person.person_fields(),
            person_version=person.cleaned_data["version"],
        )
    except ValidationError as error:
        add_errors(person, error, form)
    except Conflict as conflict:
        messages.error(request, str(conflict))
        record.refresh_from_db()
        form.show_conflict(record)
        person.show_conflict(record.person)
    else:
        return True
    return False


@login_required
def returnee_screen(request, pk):
    returnee = _returnee_for_change(request, pk)
    _log_identities(request, "returnee", returnee.pk, [returnee.person_id])
    initial = {name: getattr(returnee, name) for name in ScreeningForm.base_fields}
    initial["screened_on"] = returnee.screened_on or timezone.localdate()
    form = ScreeningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_edit(
            request,
            form,
            returnee,
            lambda version, fields: services.returnee_update(
                returnee=returnee, actor=request.user, version=version, fields=fields
            ),
        )
        if saved:
            messages.success(request, _("Screening saved."))
            return redirect("cases:returnee_detail", pk=returnee.pk)
    return render(request, "cases/returnee_screen.html", {"form": form, "returnee": returnee})


@login_required
@require_POST
def returnee_open_case(request, pk):
    returnee = _returnee_for_change(request, pk)
    try:
        case = services.returnee_open_case(returnee=returnee, actor=request.user)
    except (ValidationError, Conflict) as error:
        say_errors(request, error)
        return redirect("cases:returnee_detail", pk=returnee.pk)
    messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
    return redirect("cases:case_detail", pk=case.pk)


# Cases


def _case_queryset(user):
    return (
        cases_visible_to(user)
        .select_related("created_by_agency")
        .prefetch_related(
            Prefetch("victims", queryset=CaseVictim.objects.select_related("person").order_by("id")),
            Prefetch("handlings", queryset=CaseHandling.objects.select_related("agency")),
        )
    )


def _victims_as_seen(user, case: Case) -> list[tuple[CaseVictim, object]]:
    """Each victim with the person as this account may see them: in full, or masked for the chair."""
    if sees_identities(user):
        return [(victim, victim.person) for victim in case.victims.all()]
    return [(victim, mask_person(victim.person, case.identified_on)) for victim in case.victims.all()]


@login_required
def case_list(request):
    if not (request.user.is_officer or request.user.is_chair):
        raise Http404
    filters = CaseFilter(request.GET, queryset=_case_queryset(request.user))
    page = _page(request, filters.qs)
    rows = [(case, _victims_as_seen(request.user, case), handling_agency_codes(case)) for case in page]
    if sees_identities(request.user):
        _log_identities(request, "case_list", "", (v.person_id for case in page for v in case.victims.all()))
    return render(
        request,
        "cases/case_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "may_open": may_open_cases(request.user),
            "query": _query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@login_required
def case_create(request):
    if not may_open_cases(request.user):
        raise PermissionDenied(_("Only officers of a member agency open cases."))
    case_form = CaseFieldsForm(
        request.POST or None, prefix="case", initial={"identified_on": timezone.localdate()}
    )
    person = PersonForm(request.POST or None, prefix="person")
    victim = VictimForm(request.POST or None, prefix="victim")
    if request.method == "POST":
        case_valid = case_form.is_valid()
        person.reference_date = case_form.cleaned_data.get("identified_on")
        if person.is_valid() & victim.is_valid() and case_valid:
            victims = [{"person_fields": person.person_fields(), **victim.cleaned_data}]
            try:
                case = services.case_open(actor=request.user, victims=victims, **case_form.cleaned_data)
            except ValidationError as error:
                add_errors(case_form, error)
            else:
                messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
                return redirect("cases:case_detail", pk=case.pk)
    context = {"case_form": case_form, "person": person, "victim": victim}
    return render(request, "cases/case_form.html", context)


@login_required
def case_detail(request, pk):
    case = case_for(request.user, pk)
    case = _case_queryset(request.user).select_related("prosecution_agency").get(pk=case.pk)
    victims = _victims_as_seen(request.user, case)
    full = sees_identities(request.user)
    if full:
        _log_identities(request, "case", case.pk, (victim.person_id for victim, _person in victims))
    context = {
        "case": case,
        "victims": victims,
        "full": full,
        "handling_agencies": handling_agency_codes(case),
        "suspects": case.suspects.all(),
        "obstacles": case.obstacles.select_related("set_by", "cleared_by"),
        "events": case.events.select_related("actor", "agency"),
        "moves": moves_for(request.user, case),
        "steps": steps_for(request.user, case),
        "may_change": full and request.user.is_officer,
        "today": timezone.localdate(),
        "obstacle_form": ObstacleSetForm(
            open_kinds={o.kind for o in case.obstacles.all() if o.is_active},
            initial={"on": timezone.localdate()},
        ),
    }
    return render(request, "cases/case_detail.html", context)


def _case_for_change(request, pk) -> Case:
    """A case this officer's agency handles; the chair (who sees every case) changes none."""
    case = case_for(request.user, pk)
    if not request.user.is_officer:
        raise PermissionDenied(_("Only officers of the case's handling agencies change it."))
    return case


def _edit_on_form_page(request, case, instance, form_class, save, *, done: str, title: str, prepare=None):
    """An edit of a versioned record of a case on the generic form page: loaded with the current values
    and version, saved through `save(version=..., fields=...)`, a stale save shown as a conflict."""
    initial = {name: getattr(instance, name) for name in form_class.base_fields if name != "version"}
    form = form_class(request.POST or None, initial={**initial, "version": instance.version})
    if prepare is not None:
        prepare(form)
    if request.method == "POST" and form.is_valid() and save_edit(request, form, instance, save):
        messages.success(request, done)
        return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/form_page.html", {"form": form, "case": case, "title": title})


@login_required
def case_edit(request, pk):
    case = _case_for_change(request, pk)

    def fix_identified_on(form):
        # The identified date is fixed once the case has moved on (services.case_update).
        form.fields["identified_on"].disabled = case.stage != Stage.IDENTIFIED

    return _edit_on_form_page(
        request,
        case,
        case,
        CaseEditForm,
        lambda version, fields: services.case_update(
            case=case, actor=request.user, version=version, fields=fields
        ),
        done=_("Case updated."),
        title=_("Edit case %(number)s") % {"number": case.number},
        prepare=fix_identified_on,
    )


@login_required
def case_move(request, pk, to):
    case = _case_for_change(request, pk)
    # A form sent from a page loaded earlier names the stage the officer saw; if the case moved on
    # meanwhile, the service answers with a conflict that says so.
    seen = request.POST.get("seen_stage", case.stage) if request.method == "POST" else case.stage
    move = MOVES_BY_PAIR.get((seen, to))
    if move is None or not may_act(move.made_by, request.user, case):
        messages.error(request, _("This move is not open to you at the case's current stage."))
        return redirect("cases:case_detail", pk=case.pk)
    form = MoveForm(
        request.POST or None, move=move, initial={"seen_stage": case.stage, "on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.case_move(
                case=case,
                to=to,
                on=form.cleaned_data["on"],
                actor=request.user,
                note=form.cleaned_data["note"],
                data=form.stage_data(),
                seen_stage=form.cleaned_data["seen_stage"],
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:  # moved meanwhile: the case page shows by whom
            messages.error(request, str(conflict))
            return redirect("cases:case_detail", pk=case.pk)
        else:
            messages.success(
                request,
                _("Case %(number)s is now at “%(stage)s”.")
                % {"number": moved.number, "stage": moved.get_stage_display()},
            )
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/form_page.html",
        {
            "form": form,
            "case": case,
            "title": _("%(number)s: %(from)s → %(to)s")
            % {"number": case.number, "from": Stage(move.source).label, "to": Stage(move.target).label},
            "submit": _("Record the move"),
        },
    )


@login_required
def case_step(request, pk, kind):
    case = _case_for_change(request, pk)
    step = STEPS.get(kind)
    if step is None or step not in steps_for(request.user, case):
        messages.error(request, _("This step is not open to you at the case's current stage."))
        return redirect("cases:case_detail", pk=case.pk)
    form = StepForm(request.POST or None, kind=kind, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_step(
                case=case,
                kind=kind,
                on=form.cleaned_data["on"],
                actor=request.user,
                note=form.cleaned_data["note"],
                data=form.step_data(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("cases:case_detail", pk=case.pk)
        else:
            messages.success(request, _("“%(step)s” recorded.") % {"step": StepKind(kind).label})
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/form_page.html",
        {
            "form": form,
            "case": case,
            "title": f"{case.number}: {StepKind(kind).label}",
            "submit": _("Record"),
        },
    )


@login_required
def victim_add(request, pk):
    case = _case_for_change(request, pk)
    person = PersonForm(request.POST or None, prefix="person", reference_date=case.identified_on)
    victim = VictimForm(request.POST or None, prefix="victim")
    if request.method == "POST" and person.is_valid() and victim.is_valid():
        try:
            services.victim_add(
                case=case, actor=request.user, person_fields=person.person_fields(), **victim.cleaned_data
            )
        except ValidationError as error:
            add_errors(person, error)
        else:
            messages.success(request, _("Victim added."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/victim_form.html", {"case": case, "person": person, "victim": victim})


@login_required
def victim_edit(request, pk, victim_pk):
    case = _case_for_change(request, pk)
    victim = get_object_or_404(case.victims.select_related("person"), pk=victim_pk)
    if not may_edit_person(request.user, victim.person):
        raise PermissionDenied
    person = PersonEditForm(
        request.POST or None, prefix="person", person=victim.person, reference_date=case.identified_on
    )
    victim_form = VictimEditForm(
        request.POST or None,
        prefix="victim",
        initial={"relationship_to_trafficker": victim.relationship_to_trafficker, "version": victim.version},
    )
    if request.method == "POST" and person.is_valid() and victim_form.is_valid():
        update = partial(services.victim_update, victim=victim, actor=request.user)
        if _save_with_person(request, victim_form, person, victim, update):
            messages.success(request, _("Victim updated."))
            return redirect("cases:case_detail", pk=case.pk)
    _log_identities(request, "case", case.pk, [victim.person_id])
    context = {"case": case, "person": person, "victim": victim_form, "editing": True}
    return render(request, "cases/victim_form.html", context)


@login_required
def suspect_add(request, pk):
    case = _case_for_change(request, pk)
    form = SuspectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspect_add(case=case, actor=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Suspect added."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/form_page.html", {"form": form, "case": case, "title": _("Add suspect")})


@login_required
def suspect_edit(request, pk, suspect_pk):
    case = _case_for_change(request, pk)
    suspect = get_object_or_404(Suspect, case=case, pk=suspect_pk)
    return _edit_on_form_page(
        request,
        case,
        suspect,
        SuspectEditForm,
        lambda version, fields: services.suspect_update(
            suspect=suspect, actor=request.user, version=version, fields=fields
        ),
        done=_("Suspect updated."),
        title=_("Edit suspect %(name)s") % {"name": suspect.full_name},
    )


@login_required
@require_POST
def obstacle_set(request, pk):
    case = _case_for_change(request, pk)
    open_kinds = set(case.obstacles.filter(cleared_on__isnull=True).values_list("kind", flat=True))
    form = ObstacleSetForm(request.POST, open_kinds=open_kinds)
    if not form.is_valid():
        for error in (error for errors in form.errors.values() for error in errors):
            messages.error(request, error)
        return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#hambatan")
    try:
        services.obstacle_set(case=case, actor=request.user, **form.cleaned_data)
    except (ValidationError, Conflict) as error:
        say_errors(request, error)
    else:
        messages.success(request, _("Obstacle recorded."))
    return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#hambatan")


@login_required
def obstacle_clear(request, pk, obstacle_pk):
    case = _case_for_change(request, pk)
    obstacle = get_object_or_404(CaseObstacle, case=case, pk=obstacle_pk)
    form = ObstacleClearForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.obstacle_clear(obstacle=obstacle, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        except Conflict as conflict:  # cleared meanwhile
            messages.error(request, str(conflict))
            return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#hambatan")
        else:
            messages.success(request, _("Obstacle cleared."))
            return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#hambatan")
    title = _("Clear obstacle: %(kind)s") % {"kind": obstacle.get_kind_display()}
    return render(request, "cases/form_page.html", {"form": form, "case": case, "title": title})


@login_required
def case_history(request, pk):
    """The change history ("riwayat perubahan") of the case, its suspects and, for its handling
    agencies, its victims' records: who changed which field from what to what, and when."""
    case = case_for(request.user, pk)
    full = sees_identities(request.user)
    histories = [case.history.all(), Suspect.history.filter(case_id=case.pk)]
    if full:
        person_ids = list(case.victims.values_list("person_id", flat=True))
        histories.append(Person.history.filter(id__in=person_ids))
        _log_identities(request, "case_history", case.pk, person_ids)
    changes = []
    for history in histories:
        # Each record is compared with the one before it of the same object, in memory: one query per
        # kind of record rather than one per row.
        previous_of = {}
        hidden = history_fields_hidden_from(request.user, history.model.instance_type)
        for record in history.select_related("history_user").order_by("history_date", "history_id"):
            changes.append(_describe(record, previous_of.get(record.id), full, hidden))
            previous_of[record.id] = record
    changes.sort(key=lambda change: change["at"], reverse=True)
    return render(request, "cases/case_history.html", {"case": case, "changes": changes})


def _shown(field, value):
    """A historical value as the page shows it: labels for codes, dd/mm/yyyy for dates."""
    if value in (None, ""):
        return None
    if isinstance(field, CodeListField):
        return ", ".join(str(label) for label in field.labels(field.to_python(value)))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _describe(record, previous, full: bool, hidden_fields: set[str]) -> dict:
    """One history row as the page shows it: what kind of record, who, when, and each changed field."""
    fields = []
    if previous is not None:
        for change in record.diff_against(previous).changes:
            hidden = change.field in hidden_fields
            field = record.instance_type._meta.get_field(change.field)
            fields.append(
                {
                    "label": field.verbose_name,
                    "hidden": hidden,
                    "old": None if hidden else _shown(field, change.old),
                    "new": None if hidden else _shown(field, change.new),
                }
            )
    return {
        "record": record.instance_type._meta.verbose_name,
        # Read from the historical row itself: record.instance would query for the excluded fields.
        "name": getattr(record, "full_name", None) or getattr(record, "number", "")
        if full or record.instance_type is not Person
        else "",
        "type": record.get_history_type_display(),
        "user": record.history_user,
        "at": record.history_date,
        "fields": fields,
    }
