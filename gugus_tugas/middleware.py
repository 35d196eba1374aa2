from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class PageLocaleMiddleware(LocaleMiddleware):
    """Pages speak Indonesian unless the officer picked English with the switch (a cookie); a phone set
    to English does not change them. The API follows Accept-Language, as DESIGN §9 asks."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


class RejectNulBytesMiddleware:
    """A NUL byte in the path or query string is refused with 400 before any view sees it: PostgreSQL
    cannot store it, and no legitimate client sends it. Form and JSON fields are checked by their
    fields (Django's and DRF's CharField refuse NUL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "\x00" in query or "%00" in query:
            return HttpResponseBadRequest(
                _("The request contains a NUL character."), content_type="text/plain"
            )
        return self.get_response(request)
