import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    ArrivalPoint,
    CaseSource,
    DetentionStatus,
    ExploitationType,
    MeansOfControl,
    ObstacleKind,
    Relationship,
    ReturneeCategory,
    ScreeningResult,
    Sex,
    StepKind,
    SuspectRole,
)
from cases.countries import country_choices
from cases.models import PERSON_FIELDS, Case, Person, birth_date_from_age
from cases.nik import nik_warnings, validate_nik
from cases.selectors import nik_holders
from cases.workflow import Datum, Move
from gugus_tugas.accounts.models import Region
from gugus_tugas.accounts.selectors import region_choices
from gugus_tugas.forms import DateField, VersionedForm, text_field, yes_no_field


def country_field(label, *, required=False):
    return forms.TypedChoiceField(
        label=label, required=required, choices=lambda: [("", "—"), *country_choices()], empty_value=""
    )


def codes_field(label, codes):
    return forms.MultipleChoiceField(
        label=label, required=False, choices=codes.choices, widget=forms.CheckboxSelectMultiple
    )


class PersonForm(forms.Form):
    """A person's identity, with the NIK rules of DESIGN §3: a malformed NIK is an error; a NIK whose
    birth date or sex disagrees is a warning the officer confirms; a NIK already held elsewhere is a
    notice naming the agency."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=16,
        required=False,
        validators=[validate_nik],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("16 digits, if known."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = DateField(label=_("Birth date"), required=False)
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only if the birth date is unknown."),
    )
    origin_region = forms.ChoiceField(
        label=_("Origin"), required=False, choices=lambda: [("", "—"), *region_choices()]
    )
    address = text_field(_("Address"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    accept_warnings = forms.BooleanField(
        label=_("I have checked the warnings above; save as entered."), required=False
    )
    details = ("address", "phone")  # folded away on the form: often unknown at the port

    def __init__(
        self, *args, reference_date: datetime.date | None = None, person: Person | None = None, **kwargs
    ):
        if person is not None:
            kwargs.setdefault("initial", self._initial(person, reference_date or timezone.localdate()))
        super().__init__(*args, **kwargs)
        self.person = person
        self.reference_date = reference_date
        self.warnings: list[str] = []
        self.notices: list[str] = []

    def clean(self):
        data = super().clean()
        reference = self.reference_date or timezone.localdate()
        if data.get("birth_date") is None and data.get("age") is not None:
            estimated = self.person is not None and self.person.birth_date_estimated
            if estimated and self.person.age_on(reference) == data["age"]:
                data["birth_date"] = self.person.birth_date  # the same age: keep the estimate as it was
            else:
                data["birth_date"] = birth_date_from_age(data["age"], reference)
            data["birth_date_estimated"] = True
        else:
            data["birth_date_estimated"] = False
        nik = data.get("nik", "")
        if nik and "nik" not in self.errors:
            self.warnings = nik_warnings(
                nik,
                sex=data.get("sex"),
                birth_date=data.get("birth_date"),
                estimated=data["birth_date_estimated"],
            )
            holders = nik_holders(nik, exclude_person_id=self.person.pk if self.person else None)
            if holders:
                self.notices.append(
                    _("This NIK is already on a record held by: %(agencies)s.")
                    % {"agencies": ", ".join(holders)}
                )
        if self.warnings and not data.get("accept_warnings"):
            self.add_error("accept_warnings", _("Check the NIK warnings, then tick this box to save anyway."))
        return data

    @staticmethod
    def _initial(person: Person, reference: datetime.date) -> dict:
        initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial["origin_region"] = person.origin_region_id
        if person.birth_date_estimated:
            # The age counts from the same day the form turns an age back into a birth date.
            initial["birth_date"], initial["age"] = None, person.age_on(reference)
        return {**initial, "version": person.version}

    def person_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in PERSON_FIELDS}
        fields["origin_region"] = Region.objects.filter(code=fields["origin_region"]).first()
        return fields


class PersonEditForm(VersionedForm, PersonForm):
    pass


class ArrivalForm(forms.Form):
    arrived_on = DateField(label=_("Arrival date"))
    arrival_point = forms.ChoiceField(label=_("Arrival point"), choices=ArrivalPoint.choices)
    category = forms.ChoiceField(label=_("Category"), choices=ReturneeCategory.choices)
    procedural = yes_no_field(_("Procedural (left through official channels)"), initial=False)
    country = country_field(_("Country worked in"))
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    route_notes = text_field(_("Route notes"))

    # What the next person of the same batch (one ship, one flight) starts with.
    BATCH_FIELDS = ("arrived_on", "arrival_point", "category", "country")
    # Folded away on the fast entry form: rarely known at the port.
    details = ("employer", "sector", "route_notes")


class ArrivalEditForm(VersionedForm, ArrivalForm):
    pass


class ScreeningForm(VersionedForm):
    screened_on = DateField(label=_("Screening date"))
    indicators = codes_field(_("Indicators (means of control)"), MeansOfControl)
    exploitation_types = codes_field(_("Exploitation types"), ExploitationType)
    screening_result = forms.ChoiceField(
        label=_("Result"), choices=ScreeningResult.choices, widget=forms.RadioSelect
    )


class CaseFieldsForm(forms.Form):
    identified_on = DateField(label=_("Identified on"))
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    exploitation_types = codes_field(_("Exploitation types"), ExploitationType)
    destination_country = country_field(_("Destination country"))
    summary = text_field(_("Summary"), rows=4)


class CaseEditForm(VersionedForm, CaseFieldsForm):
    pass


class VictimForm(forms.Form):
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to the trafficker"), choices=Relationship.choices, initial=Relationship.UNKNOWN
    )


class VictimEditForm(VersionedForm, VictimForm):
    pass


class SuspectForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    nik = forms.CharField(label=_("NIK"), max_length=16, required=False, validators=[validate_nik])
    role = forms.ChoiceField(label=_("Role in the process"), choices=SuspectRole.choices)
    detention_status = forms.ChoiceField(label=_("Detention"), choices=DetentionStatus.choices)
    note = text_field(_("Note"))


class SuspectEditForm(VersionedForm, SuspectForm):
    pass


class ObstacleSetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Obstacle"), choices=ObstacleKind.choices)
    on = DateField(label=_("Since"))
    note = text_field(_("Note"))

    def __init__(self, *args, open_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in ObstacleKind.choices if k not in open_kinds]


class ObstacleClearForm(forms.Form):
    on = DateField(label=_("Cleared on"))
    note = text_field(_("Note"))


def prosecution_agency_field(*, required=True):
    """The active prosecution agencies, named by their codes (as the services and the API name them)."""
    field = Case._meta.get_field("prosecution_agency")
    agencies = field.related_model.objects.complex_filter(field.get_limit_choices_to()).filter(is_active=True)
    return forms.ChoiceField(
        label=capfirst(field.verbose_name),
        required=required,
        choices=lambda: [("", "—")] + [(agency.code, agency.name) for agency in agencies.all()],
    )


def stage_datum_field(datum: Datum) -> forms.Field:
    """The form field of a piece of stage data, made from the case field that keeps it: its label,
    limits and choices (narrowed to the move's); a choice between two is a pair of radio buttons."""
    field = Case._meta.get_field(datum.field)
    label = capfirst(field.verbose_name)
    if field.is_relation:
        return prosecution_agency_field()
    if isinstance(field, models.BooleanField):
        return yes_no_field(label)
    if field.choices:
        choices = [(code, name) for code, name in field.choices if not datum.choices or code in datum.choices]
        widget = forms.RadioSelect if len(choices) == 2 else forms.Select
        return forms.ChoiceField(label=label, choices=choices, widget=widget)
    limits = {}
    if isinstance(field, models.IntegerField):
        limits["max_value"] = min(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
    return field.formfield(required=True, **limits)


class MoveForm(forms.Form):
    """The form of one move: the date of the legal act, a note, and only the stage data it needs."""

    seen_stage = forms.CharField(widget=forms.HiddenInput)
    on = DateField(label=_("Date of the legal act"))
    note = text_field(_("Note"), rows=3)

    def __init__(self, *args, move: Move, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        for datum in move.data:
            self.fields[datum.name] = stage_datum_field(datum)
        self.order_fields(["on", *move.requires, "note"])

    def stage_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.move.requires}


class StepForm(forms.Form):
    on = DateField(label=_("Date of the legal act"))
    note = text_field(_("Note"), rows=3)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == StepKind.SPDP_SENT:
            self.fields["prosecution_agency"] = prosecution_agency_field(required=False)
            self.fields["prosecution_agency"].help_text = _("The prosecutor's office that receives the SPDP.")

    def step_data(self) -> dict:
        return (
            {"prosecution_agency": self.cleaned_data["prosecution_agency"]}
            if "prosecution_agency" in self.fields
            else {}
        )
