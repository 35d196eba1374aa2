from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class TaskForceAdminSite(admin.AdminSite):
    site_header = _("Gugus Tugas TPPO administration")
    site_title = _("Gugus Tugas TPPO")
    index_title = _("Agencies and accounts")

    def has_permission(self, request):
        # Administrators manage agencies and accounts; officers and the chair never enter.
        return is_administrator(request)


def is_administrator(request) -> bool:
    # The anonymous user has no role at all.
    return request.user.is_authenticated and request.user.is_administrator


class AdministratorPermissions:
    """ModelAdmin permissions granted by the administrator role rather than per-model permissions."""

    read_only = False

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request) and not self.read_only

    def has_change_permission(self, request, obj=None):
        return is_administrator(request) and not self.read_only

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request) and not self.read_only
