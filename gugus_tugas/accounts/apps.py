from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class AccountsConfig(AppConfig):
    name = "gugus_tugas.accounts"
    label = "accounts"
    verbose_name = _("Agencies and accounts")


class TaskForceAdminConfig(admin_apps.AdminConfig):
    """The admin site, open to the administrator role instead of Django's is_staff flag."""

    default = False  # named explicitly in INSTALLED_APPS; AccountsConfig stays this module's default

    default_site = "gugus_tugas.accounts.admin_site.TaskForceAdminSite"


class BackgroundWorkConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks-db's task queue under a name the administrator reads in the admin site."""

    default = False
    verbose_name = _("Background work")
