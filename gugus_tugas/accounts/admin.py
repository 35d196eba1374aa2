from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import TokenProxy

from gugus_tugas.accounts.admin_site import AdministratorPermissions
from gugus_tugas.accounts.models import AccessLog, Agency, Region, User


@admin.register(Agency)
class AgencyAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        # Agencies are referenced by cases and referrals for years; deactivate instead.
        return False


@admin.register(User)
class AccountAdmin(AdministratorPermissions, UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "role", "is_active", "last_login"]
    list_filter = ["role", "agency", "is_active"]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Agency and role"), {"fields": ["agency", "role", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Agency and role"), {"fields": ["agency", "role", "first_name", "last_name", "email"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        # Accounts are named in timelines and the access log; deactivate instead of deleting.
        return False


@admin.register(Region)
class RegionAdmin(AdministratorPermissions, admin.ModelAdmin):
    read_only = True
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(AccessLog)
class AccessLogAdmin(AdministratorPermissions, admin.ModelAdmin):
    read_only = True
    list_display = ["at", "user", "agency", "action", "record_type", "record_id", "ip_address"]
    list_filter = ["action", "record_type", "agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "record_id"]
    date_hierarchy = "at"


# DRF's token admin lists every account's API token: whoever reads one acts as that officer, in the
# officer's name in the access log. Nobody reads them there, a superuser included; the token endpoint
# issues them and a new password ends them.
admin.site.unregister(TokenProxy)

# Lock-outs from django-axes: the administrator unlocks an officer by deleting the attempt row.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AdministratorPermissions, AccessAttemptAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Background work (gugus_tugas.mail): every attempt at an e-mail is a row here; a failed one shows the
# mail server's error, and the row of the next attempt says when it runs. Read only: the worker writes.
admin.site.unregister(DBTaskResult)
TASK_NAMES = {"gugus_tugas.mail.deliver": _("E-mail")}


@admin.register(DBTaskResult)
class BackgroundTaskAdmin(AdministratorPermissions, DBTaskResultAdmin):
    read_only = True
    list_display = [
        "enqueued_at",
        "task",
        "subject",
        "attempt",
        "status",
        "error",
        "display_run_after",
    ]
    list_filter = ["status", "enqueued_at"]
    search_fields = ["args_kwargs"]
    date_hierarchy = "enqueued_at"

    @admin.display(description=_("Task"))
    def task(self, obj):
        return TASK_NAMES.get(obj.task_path, obj.task_path)

    @admin.display(description=_("Subject"))
    def subject(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("subject", "")

    @admin.display(description=_("Attempt"))
    def attempt(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description=_("Run after"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)

    @admin.display(description=_("Traceback"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("Error"))
    def error(self, obj):
        # The traceback ends with the exception and its message: the line the administrator needs.
        return obj.traceback.strip().splitlines()[-1] if obj.traceback.strip() else ""
