"""Form pieces every app uses: dd/mm/yyyy date fields, versioned edit forms, and showing a service's
refusal on a form or as a message."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus_tugas.errors import Conflict
from gugus_tugas.limits import TEXT_MAX_LENGTH


class DateInput(forms.DateInput):
    """A text field for dd/mm/yyyy: a browser's date picker would show the phone's locale instead."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A day that has come: every date typed on the pages records something done (an arrival, a birth,
    a legal act, a consent), never something planned. Checked here as well as in the services, so that
    the error stands at its field and comes with the form's other errors."""

    widget = DateInput

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="future")


def text_field(label, *, required: bool = False, rows: int = 2, **kwargs) -> forms.CharField:
    """A free-text field, bounded like every other (gugus_tugas.limits)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class VersionedForm(forms.Form):
    """An edit form that carries the version the officer loaded, so that a stale save is a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def fields_to_save(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def show_conflict(self, current) -> None:
        """After a conflict: keep what the officer typed, list the fields whose saved value now differs,
        and accept the current version on the next save, which the officer now makes knowingly."""
        self.conflicts = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            saved = getattr(current, name)
            # A related record compares by its key, as the form holds it (a region's code).
            stored = current.serializable_value(name)
            typed = self.cleaned_data.get(name, stored)
            if stored != typed and not (stored in ("", None) and typed in ("", None)):
                display = getattr(current, f"get_{name}_display", None)
                self.conflicts.append((field.label, display() if display else saved))
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version


def save_edit(request, form: VersionedForm, instance, save) -> bool:
    """Save a valid VersionedForm through a service called as save(version=..., fields=...). Its
    ValidationError becomes the form's errors; a Conflict a message, with the form showing what is
    saved now. True when saved."""
    try:
        save(version=form.cleaned_data["version"], fields=form.fields_to_save())
    except ValidationError as error:
        add_errors(form, error)
    except Conflict as conflict:
        messages.error(request, str(conflict))
        instance.refresh_from_db()
        form.show_conflict(instance)
    else:
        return True
    return False


def say_errors(request, error: ValidationError | Conflict) -> None:
    """A service's refusal of a bare button (no form to show it on), as messages on the next page."""
    for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, message)


def add_errors(form, exc: ValidationError, *more_forms) -> None:
    """A service's ValidationError on the form (of those given) that has the field; what no form has
    goes to the first form's own errors."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        owner = next((each for each in (form, *more_forms) if name in each.fields), None)
        (owner or form).add_error(name if owner else None, errors)


YES_NO = [(True, _("Yes")), (False, _("No"))]


def yes_no_field(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        **kwargs,
    )
