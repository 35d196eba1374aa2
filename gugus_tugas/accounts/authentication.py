"""Who may sign in: the pages' password backend and the API's tokens that expire. Kept apart from the
views: DRF imports the authentication classes while it loads its own views."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def tokens_issued_before():
    """Tokens issued before this moment have expired."""
    return timezone.now() - settings.API_TOKEN_LIFETIME


class TaskForceBackend(ModelBackend):
    """Django's password backend, refusing an account whose agency was deactivated as it refuses a
    deactivated account: at login and on every request of a session already open."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.agency_in_service

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is None or user.agency_in_service else None


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, good for API_TOKEN_HOURS after it was issued: a token copied off a shared phone or
    out of a script's configuration stops opening victims' records by itself."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not user.agency_in_service:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.created < tokens_issued_before():
            # Not deleted here: the request's transaction is rolled back with the 401. The token
            # endpoint replaces it.
            raise exceptions.AuthenticationFailed(_("The token has expired; ask for a new one."))
        return user, token
