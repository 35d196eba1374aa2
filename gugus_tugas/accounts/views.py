from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gugus_tugas.accounts.selectors import navigation_for


@login_required
def home(request):
    """Each account starts on the first page of its navigation."""
    items = navigation_for(request.user, badges=False)
    if items:
        return redirect(items[0]["url"])
    return render(request, "home.html")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account or address is locked: JSON for the API, a page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed logins. This account or address is locked for %(minutes)d minutes; "
        "ask your administrator if you need access sooner."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
