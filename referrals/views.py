"""Pages of the referrals: inbox, outbox, sending, and each answer. Visibility comes from
referrals.selectors, every change from referrals.services."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import case_for, cases_visible_to
from gugus_tugas.accounts.services import identity_view_record
from gugus_tugas.converters import ID_PATTERN
from gugus_tugas.errors import Conflict
from gugus_tugas.forms import add_errors, say_errors
from gugus_tugas.pagination import CappedPaginator
from referrals import services
from referrals.filters import BoxFilter
from referrals.forms import ActionForm, ReferralForm
from referrals.selectors import (
    incoming,
    outgoing,
    persons_as_seen,
    persons_referable_by,
    referral_for,
    waiting,
)
from referrals.workflow import CHANGES, changes_for


def _id(value: str | None) -> int | None:
    """An id from the query string, or None for anything that cannot be one (even "²")."""
    return int(value) if value and re.fullmatch(ID_PATTERN, value) else None


def _require_officer(request):
    if not request.user.is_officer:
        raise Http404


def _box(request, queryset, direction):
    _require_officer(request)
    queryset = queryset.select_related("person", "case", "from_agency", "to_agency")
    filters = BoxFilter(request.GET, queryset=queryset, request=request)
    page = CappedPaginator(filters.qs, 50).get_page(request.GET.get("page"))
    persons = persons_as_seen(request.user, page)
    shown = [person.pk for person in persons.values() if not getattr(person, "masked", False)]
    identity_view_record(request=request, record_type=f"referral_{direction}", person_ids=shown)
    context = {
        "filters": filters,
        "page": page,
        "direction": direction,
        "rows": [(referral, persons[referral.pk]) for referral in page],
        "waiting": waiting(request.user),
    }
    return render(request, "referrals/box.html", context)


@login_required
def inbox(request):
    return _box(request, incoming(request.user), "incoming")


@login_required
def outbox(request):
    return _box(request, outgoing(request.user), "outgoing")


@login_required
def referral_create(request):
    """Send a referral for a victim of a case (?case=) or for a person of an arrival (?person=)."""
    _require_officer(request)
    case_id, person_id = _id(request.GET.get("case")), _id(request.GET.get("person"))
    case = case_for(request.user, case_id) if case_id else None
    if case is not None:
        persons = [victim.person for victim in case.victims.select_related("person").order_by("id")]
    elif person_id:
        persons = list(persons_referable_by(request.user).filter(pk=person_id))
    else:
        persons = []
    if not persons:
        raise Http404
    if case is not None and person_id:
        persons = [person for person in persons if person.pk == person_id] or persons
    identity_view_record(
        request=request,
        record_type="referral_form",
        record_id=case.pk if case else "",
        person_ids=[person.pk for person in persons],
    )
    form = ReferralForm(request.POST or None, persons=persons, agency=request.user.agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = next(person for person in persons if person.pk == data.pop("person"))
        try:
            referral = services.referral_send(actor=request.user, person=person, case=case, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Referral %(number)s sent to %(agency)s.")
                % {"number": referral.number, "agency": referral.to_agency.name},
            )
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/form.html", {"form": form, "case": case, "persons": persons})


@login_required
def referral_detail(request, pk):
    _require_officer(request)
    referral = referral_for(request.user, pk)
    person = persons_as_seen(request.user, [referral])[referral.pk]
    shown = [] if getattr(person, "masked", False) else [person.pk]
    identity_view_record(request=request, record_type="referral", record_id=referral.pk, person_ids=shown)
    context = {
        "referral": referral,
        "person": person,
        # The receiver may follow the case only once it handles it (an accepted referral).
        "case_visible": referral.case_id is not None
        and cases_visible_to(request.user).filter(pk=referral.case_id).exists(),
        "events": referral.events.select_related("actor", "agency"),
        "actions": [ActionForm(change=change) for change in changes_for(request.user, referral)],
    }
    return render(request, "referrals/detail.html", context)


@login_required
@require_POST
def referral_act(request, pk, action):
    _require_officer(request)
    referral = referral_for(request.user, pk)
    if action not in CHANGES:
        raise Http404
    form = ActionForm(request.POST, change=CHANGES[action])
    if not form.is_valid():
        for error in form.errors.get("text", []):
            messages.error(request, error)
        return redirect("referrals:detail", pk=referral.pk)
    change = CHANGES[action]
    try:
        text = {change.argument: form.cleaned_data["text"]}  # note, reason or outcome
        changed = services.referral_change(referral=referral, actor=request.user, action=action, **text)
    except (ValidationError, Conflict) as error:
        say_errors(request, error)
    else:
        messages.success(
            request,
            _("Referral %(number)s: %(status)s.")
            % {"number": changed.number, "status": changed.get_status_display()},
        )
    return redirect("referrals:detail", pk=referral.pk)
