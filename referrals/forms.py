from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import ConsentMethod
from gugus_tugas.accounts.models import Agency
from gugus_tugas.forms import DateField, text_field
from referrals.models import Service


class ReferralForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    to_agency = forms.ModelChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    urgent = forms.BooleanField(label=_("Urgent (answer within one day)"), required=False)
    reason = text_field(_("What the person needs"), required=True, rows=3)
    consent_on = DateField(label=_("Consent given on"), required=False)
    consent_method = forms.ChoiceField(
        label=_("Consent"), choices=ConsentMethod.choices, required=False, widget=forms.RadioSelect
    )
    consent_override_reason = text_field(
        _("No consent: why the referral cannot wait"),
        help_text=_("Only when consent cannot be obtained, e.g. a child at risk. This is logged and shown."),
    )

    def __init__(self, *args, persons, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(person.pk, person.full_name) for person in persons]
        if len(persons) == 1:
            self.fields["person"].initial = persons[0].pk
            self.fields["person"].widget = forms.HiddenInput()
        self.fields["to_agency"].queryset = Agency.objects.filter(is_active=True).exclude(pk=agency.pk)


class ActionForm(forms.Form):
    """The text an action records: a note on acceptance, a reason to decline or cancel, an outcome."""

    text = text_field("")

    def __init__(self, *args, change, **kwargs):
        super().__init__(*args, prefix=change.action, **kwargs)
        self.change = change
        self.fields["text"].label = change.text_label
        self.fields["text"].required = change.text_required
