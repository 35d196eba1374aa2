from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus_tugas.accounts.models import Agency
from gugus_tugas.dashboard.selectors import START_YEAR, Period

FIRST_YEAR = 2000


class PeriodForm(forms.Form):
    """The dashboard's filters, ?from=YYYY&to=YYYY&agency=CODE, read alike by the page, the exports and the
    API. Left out, the period runs from 2020 to this year, for every agency."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All agencies"),
    )

    def __init__(self, query, *args, **kwargs):
        super().__init__(query, *args, **kwargs)
        # "from" is a Python keyword, hence fields added by name rather than declared.
        this_year = timezone.localdate().year
        self.fields["from"] = forms.IntegerField(
            label=_("From year"), required=False, widget=forms.NumberInput(attrs={"placeholder": START_YEAR})
        )
        self.fields["to"] = forms.IntegerField(
            label=_("To year"), required=False, widget=forms.NumberInput(attrs={"placeholder": this_year})
        )
        self.order_fields(["from", "to", "agency"])

    def clean(self):
        data = super().clean()
        this_year = timezone.localdate().year
        year_from = data.get("from") or START_YEAR
        year_to = data.get("to") or this_year
        for name, year in (("from", year_from), ("to", year_to)):
            if not FIRST_YEAR <= year <= this_year and name not in self.errors:
                self.add_error(
                    name,
                    _("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": this_year},
                )
        if year_from > year_to and not self.errors:
            self.add_error("to", _("The end year comes before the start year."))
        data["period"] = Period(year_from, year_to, data.get("agency"))
        return data
