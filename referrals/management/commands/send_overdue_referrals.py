from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from referrals import notifications
from referrals.selectors import overdue


class Command(BaseCommand):
    help = (
        "Queue an e-mail to each agency listing its incoming referrals past their due date (run daily, "
        "e.g. from a timer; the task worker sends them)."
    )

    def handle(self, *args, **options):
        by_agency = {}
        for referral in overdue().select_related("to_agency", "from_agency").order_by("due_at"):
            by_agency.setdefault(referral.to_agency, []).append(referral)
        queued = sum(
            1 for agency, referrals in by_agency.items() if notifications.overdue_digest(agency, referrals)
        )
        count = sum(len(referrals) for referrals in by_agency.values())
        self.stdout.write(
            _("%(count)d overdue referrals at %(agencies)d agencies; %(queued)d e-mails queued.")
            % {"count": count, "agencies": len(by_agency), "queued": queued}
        )
