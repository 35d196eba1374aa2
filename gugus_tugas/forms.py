"""Form pieces every app uses: dd/mm/yyyy date fields, versioned edit forms, and running a service
from a valid form."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus_tugas.errors import Conflict, NotPermitted
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

    def show_conflict(self, current) -> None:
        """After a conflict: keep what the officer typed, list the fields whose saved value now differs,
        and accept the current version on the next save, which the officer now makes knowingly."""
        self.conflicts = []
        for name, field in self.fields.items():
            if name == "version" or not hasattr(current, name):
                continue
            saved = getattr(current, name)
            if saved != self.cleaned_data.get(name, saved):
                display = getattr(current, f"get_{name}_display", None)
                self.conflicts.append((field.label, display() if display else saved))
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version


def run_service(request, form, action):
    """Run a service for a valid form (or a bare button, form=None). Its ValidationError becomes
    errors on the form (or a message), a Conflict a message on the page with form.conflict set,
    NotPermitted a 403. Returns the service's result, or None when it refused."""
    try:
        return action()
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
        else:
            add_errors(form, exc)
    except Conflict as exc:
        messages.error(request, str(exc))
        if form is not None:
            form.conflict = True
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    return None


def save_edit(request, form, instance, save):
    """Save a valid VersionedForm through a service called as save(version=..., fields=...). On a
    conflict the form shows what is saved now. Returns the service's result, or None."""
    fields = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    result = run_service(request, form, lambda: save(version=form.cleaned_data["version"], fields=fields))
    if result is None and getattr(form, "conflict", False):
        instance.refresh_from_db()
        form.show_conflict(instance)
    return result


def add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


YES_NO = [(True, _("Yes")), (False, _("No"))]


def yes_no_field(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        **kwargs,
    )
