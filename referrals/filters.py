"""Filters of the inbox, the outbox and the referral API (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.filters import YesNoAll
from referrals.models import Referral, Service, Status


class ReferralFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=[("incoming", _("Incoming")), ("outgoing", _("Outgoing"))],
        method="by_direction",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    service = django_filters.ChoiceFilter(label=_("Service"), choices=Service.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="by_overdue", widget=YesNoAll())

    class Meta:
        model = Referral
        fields = []

    def by_direction(self, queryset, name, value: str):
        agency_id = self.request.user.agency_id
        return (
            queryset.filter(to_agency_id=agency_id)
            if value == "incoming"
            else queryset.filter(from_agency_id=agency_id)
        )

    def by_overdue(self, queryset, name, value: bool):
        late = Q(status=Status.SENT, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class BoxFilter(ReferralFilter):
    """The inbox and the outbox: the direction is the page itself."""

    class Meta(ReferralFilter.Meta):
        exclude = ["direction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("direction")
