from rest_framework.authtoken.views import ObtainAuthToken


class TokenView(ObtainAuthToken):
    """POST username and password, receive {"token": ...} (DESIGN §9); throttled by django-axes."""

    def get_serializer_context(self):
        # django-axes marks a lock-out on the request it is given; handing it Django's own request
        # (not DRF's wrapper) lets its middleware turn a locked attempt into 429 as on the login page.
        return {**super().get_serializer_context(), "request": self.request._request}
