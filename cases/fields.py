"""A list of codes stored as one delimited text column.

Exploitation types and indicators are short lists of fixed codes. Stored as ",forced_labour,threats,"
they filter and count with plain LIKE on SQLite (the demo) and PostgreSQL alike, with no join table:
`Case.objects.filter(exploitation_types__has="forced_labour")`.
"""

from django import forms
from django.core import exceptions
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeListField(models.CharField):
    description = _("List of codes")

    def __init__(self, *args, codes: type[models.TextChoices] | None = None, **kwargs):
        self.codes = codes
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        if self.codes is not None:
            kwargs["codes"] = self.codes
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        codes = self.codes

        def labels(instance) -> list[str]:
            values = getattr(instance, name)
            return [
                codes(code).label if codes is not None and code in codes.values else code for code in values
            ]

        # e.g. returnee.get_indicators_labels(), like Django's get_FOO_display for one choice.
        setattr(cls, f"get_{name}_labels", labels)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return list(value)
        return [code for code in value.split(",") if code]

    def get_prep_value(self, value):
        codes = self.to_python(value)
        if not codes:
            return ""
        # Keep the order of the code list so equal sets store equal strings.
        if self.codes is not None:
            order = {code: index for index, code in enumerate(self.codes.values)}
            codes = sorted(set(codes), key=lambda code: order.get(code, len(order)))
        return "," + ",".join(codes) + ","

    def validate(self, value, model_instance):
        if self.codes is not None:
            unknown = [code for code in value if code not in self.codes.values]
            if unknown:
                raise exceptions.ValidationError(
                    _("Unknown code: %(codes)s."), code="invalid_choice", params={"codes": ", ".join(unknown)}
                )
        if not self.blank and not value:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # The stored string's length is what max_length protects; checked in get_prep_value's output.
        super().run_validators(self.get_prep_value(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.codes.choices if self.codes is not None else [],
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        # CharField.formfield would add max_length, which a multiple choice field does not take.
        return models.Field.formfield(self, **defaults)


@CodeListField.register_lookup
class HasCode(models.Lookup):
    """`field__has="code"`: the list contains this code."""

    lookup_name = "has"
    prepare_rhs = False  # the right-hand side is one code, not a list to delimit

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = f"%,{connection.ops.prep_for_like_query(self.rhs)},%"
        return f"{lhs} {connection.operators['contains'] % '%s'}", [*lhs_params, pattern]
