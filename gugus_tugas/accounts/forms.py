from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's wording repeats the field name ("nama pengguna nama pengguna") in Indonesian.
        "invalid_login": _("Wrong username or password. Capital and small letters count."),
    }
