"""Forms of the documents' pages. The file itself is checked by the service (documents.files), so that
the page and the API refuse the same files with the same words."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.files import ACCEPT_ATTRIBUTE, IMAGE_MIMES
from documents.models import Document, DocumentKind
from gugus_tugas.forms import DateField, add_errors, text_field


class FileChoiceForm(forms.Form):
    """One file, from the phone's camera (`photo`, which opens the camera at once) or from the device's
    files (`file`). Whichever was chosen is `upload`."""

    photo = forms.FileField(
        label=_("Take a photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(IMAGE_MIMES), "capture": "environment"}),
        help_text=_("Opens the camera on a phone."),
    )
    file = forms.FileField(
        label=_("Or choose a file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF, JPEG, PNG, WebP, DOCX or XLSX."),
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in ("photo", "file") if cleaned.get(name)]
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Take a photo or choose a file."), code="required")
        if len(chosen) > 1:
            raise forms.ValidationError(_("Take a photo or choose a file, not both."), code="both")
        cleaned["upload"] = chosen[0] if chosen else None
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's refusal on the form, the file's at the input the file came from."""
        if hasattr(error, "error_dict") and self.cleaned_data.get("photo"):
            error = ValidationError(
                {("photo" if name == "file" else name): errors for name, errors in error.error_dict.items()}
            )
        add_errors(self, error)


def _model_field(name: str, **kwargs):
    return Document._meta.get_field(name).formfield(**kwargs)


class UploadForm(FileChoiceForm):
    kind = _model_field("kind")
    title = _model_field("title", required=False, help_text=_("Left empty: the file's name."))
    dated_on = DateField(label=_("Date of the document"), initial=timezone.localdate)


class ReplaceForm(FileChoiceForm):
    title = _model_field("title", required=False, help_text=_("Left empty: the title stays."))
    dated_on = DateField(label=_("Date of the document"))


class WithdrawForm(forms.Form):
    reason = text_field(_("Reason for withdrawing"), required=True, rows=3)


def kind_initial(value: str | None) -> str | None:
    """A kind asked for in the query string (the referral letter asks for consent_form), if it is one."""
    return value if value in DocumentKind.values else None
