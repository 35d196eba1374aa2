"""Domain errors every app's services raise, and every view turns into a message or a status code.

Invalid input is django.core.exceptions.ValidationError (400, or errors on the form)."""


class Conflict(Exception):
    """The record is no longer as the officer saw it: a lost race or a stale version (409)."""


class NotPermitted(Exception):
    """This account's agency may not do this to a record it can see (403)."""
