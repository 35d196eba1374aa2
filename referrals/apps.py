from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from gugus_tugas.accounts.selectors import register_nav_badges
        from referrals.selectors import waiting_badges

        register_nav_badges("referrals", waiting_badges)
