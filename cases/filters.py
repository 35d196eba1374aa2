"""Filters of the arrival log and the case list, shared by the pages and the API (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    ArrivalPoint,
    ExploitationType,
    ObstacleKind,
    ReturneeCategory,
    ScreeningResult,
    Stage,
)
from cases.countries import country_choices
from cases.models import Case, CaseHandling, CaseObstacle, CaseVictim, Returnee
from gugus_tugas.accounts.models import Agency
from gugus_tugas.forms import DateInput

NIK_LENGTH = 16


class YesNoAll(django_filters.widgets.BooleanWidget):
    """true/false for the API; "All" rather than "Unknown" when nothing is chosen on the page."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class YearFilter(django_filters.NumberFilter):
    """A whole year within reason: 2024.5 or year 0 would reach the database as an impossible date."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1900, max_value=2100, **kwargs)


def search_person(queryset, prefix: str, value: str):
    """Digits search the NIK from its start; anything else searches the name."""
    value = value.strip()
    if not value:
        return queryset
    if value.isdigit() and len(value) == NIK_LENGTH:
        # A whole NIK: an equality the database estimates as one row and reads from the NIK index (a
        # prefix of all 16 digits finds the same persons, but the planner guesses hundreds).
        return queryset.filter(**{f"{prefix}nik": value})
    if value.isdigit():
        return queryset.filter(**{f"{prefix}nik__startswith": value})
    return queryset.filter(**{f"{prefix}full_name__icontains": value})


class ReturneeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or NIK"), method="search")
    arrived_from = django_filters.DateFilter(
        field_name="arrived_on", lookup_expr="gte", label=_("Arrived from"), widget=DateInput
    )
    arrived_to = django_filters.DateFilter(
        field_name="arrived_on", lookup_expr="lte", label=_("Arrived until"), widget=DateInput
    )
    category = django_filters.ChoiceFilter(choices=ReturneeCategory.choices, label=_("Category"))
    arrival_point = django_filters.ChoiceFilter(choices=ArrivalPoint.choices, label=_("Arrival point"))
    country = django_filters.ChoiceFilter(choices=country_choices, label=_("Country worked in"))
    screening_result = django_filters.ChoiceFilter(
        choices=ScreeningResult.choices, label=_("Screening result")
    )

    class Meta:
        model = Returnee
        fields = []

    def search(self, queryset, name, value: str):
        return search_person(queryset, "person__", value)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Case or LP number"), method="search")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    report_year = YearFilter(field_name="reported_on", lookup_expr="year", label=_("Report year"))
    exploitation_type = django_filters.ChoiceFilter(
        choices=ExploitationType.choices, label=_("Exploitation type"), method="with_exploitation"
    )
    destination_country = django_filters.ChoiceFilter(choices=country_choices, label=_("Destination country"))
    child_victim = django_filters.BooleanFilter(
        label=_("Child victim"),
        method="with_child",
        widget=YesNoAll(),
    )
    obstacle = django_filters.ChoiceFilter(
        choices=ObstacleKind.choices, label=_("Open obstacle"), method="with_obstacle"
    )
    agency = django_filters.ChoiceFilter(
        choices=lambda: list(Agency.objects.order_by("code").values_list("code", "code")),
        label=_("Handling agency"),
        method="handled_by",
    )

    class Meta:
        model = Case
        fields = []

    def search(self, queryset, name, value: str):
        value = value.strip()
        return (
            queryset.filter(Q(number__icontains=value) | Q(lp_number__icontains=value)) if value else queryset
        )

    def with_exploitation(self, queryset, name, value: str):
        return queryset.filter(exploitation_types__has=value)

    def with_child(self, queryset, name, value: bool):
        children = Exists(CaseVictim.objects.filter(case=OuterRef("pk"), is_child=True))
        return queryset.filter(children if value else ~children)

    def with_obstacle(self, queryset, name, value: str):
        return queryset.filter(
            Exists(CaseObstacle.objects.filter(case=OuterRef("pk"), kind=value, cleared_on__isnull=True))
        )

    def handled_by(self, queryset, name, value: str):
        return queryset.filter(Exists(CaseHandling.objects.filter(case=OuterRef("pk"), agency__code=value)))
