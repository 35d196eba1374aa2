import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gugus_tugas.accounts.models import Role
from gugus_tugas.accounts.services import officer_create


class Command(BaseCommand):
    help = "Create an account of one agency with one role (officer, chair or admin)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--agency", required=True, help="agency code, e.g. BP3MI-NTT")
        parser.add_argument("--role", required=True, help=" | ".join(Role.values))
        parser.add_argument("--password", help="prompted for when left out")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, **options):
        password = options["password"]
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(_("No --password given and no terminal to ask for one."))
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ."))
        try:
            user = officer_create(
                username=options["username"],
                agency_code=options["agency"],
                role=options["role"],
                password=password,
                email=options["email"],
                full_name=options["full_name"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Account %(username)s created: %(role)s of %(agency)s.")
                % {"username": user.username, "role": user.get_role_display(), "agency": user.agency.code}
            )
        )
