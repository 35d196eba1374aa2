from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from gugus_tugas.accounts.authentication import token_expired


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
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        return Response({"token": token.key})
