"""Record ids in URLs: at most 18 digits, so that an absurd id is a 404 rather than a number the
database cannot hold (a 500)."""

from django.urls import register_converter

ID_PATTERN = "[0-9]{1,18}"


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
