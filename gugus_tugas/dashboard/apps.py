from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _watch_writes(sender, connection, **kwargs):
    from gugus_tugas.dashboard.caching import watch_writes

    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


class DashboardConfig(AppConfig):
    name = "gugus_tugas.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        # Every write to a table that a cached answer reads forgets that answer (caching.py).
        connection_created.connect(_watch_writes, dispatch_uid="dashboard-watch-writes")
