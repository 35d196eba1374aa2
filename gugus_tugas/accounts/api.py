from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from gugus_tugas.accounts.authentication import tokens_issued_before


class TokenView(ObtainAuthToken):
    """POST username and password, receive {"token": ...} (DESIGN §9); throttled by django-axes. The
    same token comes back until it expires, then a new one."""

    def get_serializer_context(self):
        # django-axes marks a lock-out on the request it is given; handing it Django's own request
        # (not DRF's wrapper) lets its middleware turn a locked attempt into 429 as on the login page.
        return {**super().get_serializer_context(), "request": self.request._request}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # Idempotent under two requests at once: get_or_create takes the other's token on a clash.
        Token.objects.filter(user=user, created__lt=tokens_issued_before()).delete()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
