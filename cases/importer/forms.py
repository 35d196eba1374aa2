"""Forms of the spreadsheet import's pages: the upload, the column matching, a row's correction and
the import itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.importer.columns import COLUMNS, column_letter, mapping_errors
from cases.importer.reading import MAX_CELL_CHARS, MAX_FILE_BYTES, too_large


class ArrivalUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx) or CSV (separated by semicolons or commas), at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise too_large()  # before the whole file is read into memory
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per field: which of the file's columns holds it."""

    def __init__(
        self, *args, headers: list[str], mapping: dict[str, int], samples: list[list[str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.width = len(headers)
        choices = [("", _("— not in this file —"))]
        for index, header in enumerate(headers):
            example = next((row[index] for row in samples if index < len(row) and row[index]), "")
            label = f"{column_letter(index)}: {header or '—'}"
            if example:
                label += " (" + str(_("e.g. %(example)s") % {"example": example[:40]}) + ")"
            choices.append((str(index), label))
        for column in COLUMNS:
            self.fields[column.field] = forms.TypedChoiceField(
                label=column.label,
                choices=choices,
                coerce=int,
                required=column.required,
                empty_value=None,
                initial=mapping.get(column.field),
            )

    def clean(self):
        data = super().clean()
        chosen = {name: index for name, index in data.items() if index is not None}
        # Only the columns used twice: the required fields are the fields' own business.
        for name, message in mapping_errors(chosen, self.width).items():
            if name in chosen and name not in self.errors:
                self.add_error(name, message)
        return data

    def mapping(self) -> dict[str, int]:
        return {name: index for name, index in self.cleaned_data.items() if index is not None}


class ImportRowForm(forms.Form):
    """A row of the sheet as text, for correcting it in the preview; the import checks the values."""

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            if fields is None or column.field in fields:
                self.fields[column.field] = forms.CharField(
                    label=column.label, required=False, max_length=MAX_CELL_CHARS, strip=True
                )


class ImportCommitForm(forms.Form):
    """Rows whose NIK disagrees with the sex or birth date are imported only once the officer says
    they checked them, as on the entry form."""

    accept_warnings = forms.BooleanField(
        label=_("I have checked the NIK warnings; import those rows as written."), required=False
    )

    def __init__(self, *args, warnings: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = warnings

    def clean(self):
        data = super().clean()
        if self.warnings and not data.get("accept_warnings"):
            self.add_error(
                "accept_warnings",
                _("Check the NIK warnings, then tick this box to import those rows as written."),
            )
        return data
