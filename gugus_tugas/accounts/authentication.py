"""The API's authentication: DRF tokens that expire. Kept apart from the views: DRF imports the
authentication classes while it loads its own views."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def tokens_issued_before():
    """Tokens issued before this moment have expired."""
    return timezone.now() - settings.API_TOKEN_LIFETIME


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, good for API_TOKEN_HOURS after it was issued: a token copied off a shared phone or
    out of a script's configuration stops opening victims' records by itself."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < tokens_issued_before():
            # Not deleted here: the request's transaction is rolled back with the 401. The token
            # endpoint replaces it.
            raise exceptions.AuthenticationFailed(_("The token has expired; ask for a new one."))
        return user, token
