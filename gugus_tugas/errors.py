"""Domain errors every app's services raise, and every view turns into a message or a status code.

Invalid input is django.core.exceptions.ValidationError (400, or errors on the form). Views catch
ValidationError and Conflict where they call a service (as pretix's views catch OrderError)."""

from django.core.exceptions import PermissionDenied


class Conflict(Exception):
    """The record is no longer as the officer saw it: a lost race or a stale version (409)."""


class NotPermitted(PermissionDenied):
    """This account's agency may not do this to a record it can see (403). A PermissionDenied, so that
    a page that lets it pass answers 403 with its message, as the API does."""
