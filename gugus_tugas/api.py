"""What every API view shares: errors as DESIGN §9 spells them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gugus_tugas import errors
from gugus_tugas.converters import ID_PATTERN


class VisibleRecordsMixin:
    """A viewset whose records come from its app's visibility selector (`visible`), so that a record
    this account may not see is simply not found (404). Ids are bounded like the pages'."""

    lookup_value_regex = ID_PATTERN

    def visible(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no account
            return self.queryset
        return self.visible(self.request.user)


class Conflict(exceptions.APIException):
    """The record changed under the client (a lost race or a stale version): 409."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    # Services raise domain errors; every API view answers them the same way (DESIGN §9).
    if isinstance(exc, errors.Conflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, errors.NotPermitted):
        exc = exceptions.PermissionDenied(str(exc))
    # A model-level check that escaped a serializer still answers 400 {field: [messages]}, never 500.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
