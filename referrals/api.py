"""The referral API (DESIGN §9): a referral names its person by id only; the identity is read from the
cases API, where visibility and the access log apply."""

import re

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.choices import ConsentMethod
from cases.selectors import cases_visible_to, persons_visible_to
from gugus_tugas.accounts.models import Agency
from gugus_tugas.api import VisibleRecordsMixin
from gugus_tugas.converters import ID_PATTERN
from gugus_tugas.limits import TEXT_MAX_LENGTH
from referrals import services
from referrals.filters import ReferralFilter
from referrals.models import Referral
from referrals.selectors import FREE_TEXT, referrals_visible_to, with_identity_shown
from referrals.workflow import CHANGES, Change


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id the database can hold (a huge number would be a database error, not "not found")."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not re.fullmatch(ID_PATTERN, str(data)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class VisiblePersonField(BoundedPrimaryKeyRelatedField):
    """A person this account may see; any other id reads as not found, as on the pages."""

    def get_queryset(self):
        return persons_visible_to(self.context["request"].user)


class VisibleCaseField(BoundedPrimaryKeyRelatedField):
    def get_queryset(self):
        return cases_visible_to(self.context["request"].user)


class ReferralSerializer(serializers.ModelSerializer):
    person = VisiblePersonField()
    case = VisibleCaseField(required=False, allow_null=True)
    from_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices, required=False, allow_blank=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "case",
            "from_agency",
            "to_agency",
            "service",
            "reason",
            "urgent",
            "consent_on",
            "consent_method",
            "consent_override_reason",
            "status",
            "sent_at",
            "due_at",
            "is_overdue",
            "answered_at",
            "accept_note",
            "decline_reason",
            "outcome",
            "cancel_reason",
        ]
        read_only_fields = [
            "id",
            "status",
            "sent_at",
            "due_at",
            "answered_at",
            "accept_note",
            "decline_reason",
            "outcome",
            "cancel_reason",
        ]

    def create(self, validated):
        return services.referral_send(actor=self.context["request"].user, **validated)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        shown = getattr(instance, "identity_shown", None)
        if shown is None:  # a referral just sent or answered, not read through the view's queryset
            user = self.context["request"].user
            shown = with_identity_shown(user, Referral.objects.filter(pk=instance.pk)).get().identity_shown
        if not shown:
            data.update(dict.fromkeys(FREE_TEXT, ""))
        return data


def _payload(change: Change) -> type[serializers.Serializer]:
    """The body of a change: its text under the change's own name (DESIGN §9), one serializer per
    name (Note, Reason, Outcome)."""
    name = f"{change.argument.title()}Serializer"
    if name not in _PAYLOADS:
        optional = {} if change.text_required else {"required": False, "allow_blank": True, "default": ""}
        text = serializers.CharField(max_length=TEXT_MAX_LENGTH, **optional)
        _PAYLOADS[name] = type(name, (serializers.Serializer,), {change.argument: text})
    return _PAYLOADS[name]


_PAYLOADS: dict[str, type[serializers.Serializer]] = {}


def _change_action(change: Change):
    """The POST /referrals/{id}/<action>/ of one change."""

    def act(self, request, pk=None):
        referral = self.get_object()  # a referral this account may not see is 404 before anything else
        payload = _payload(change)(data=request.data)
        payload.is_valid(raise_exception=True)
        referral = services.referral_change(
            referral=referral,
            actor=request.user,
            action=change.action,
            **payload.validated_data,
        )
        return Response(self.get_serializer(referral).data, status=status.HTTP_200_OK)

    act.__name__ = change.action
    act.__doc__ = f"{change.action.capitalize()} the referral; the text goes in `{change.argument}`."
    return extend_schema(request=_payload(change), responses=ReferralSerializer)(
        action(detail=True, methods=["post"])(act)
    )


class ReferralViewSet(
    VisibleRecordsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals to and from the officer's agency (`?direction=incoming|outgoing&status=`)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    queryset = Referral.objects.none()  # for the schema; requests use visible()

    def visible(self, user):
        return with_identity_shown(
            user, referrals_visible_to(user).select_related("from_agency", "to_agency")
        )

    # POST accept/, decline/, complete/ and cancel/: one action per change of referrals.workflow.
    locals().update({change.action: _change_action(change) for change in CHANGES.values()})
