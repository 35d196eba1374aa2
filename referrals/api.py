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


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=TEXT_MAX_LENGTH)


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

    def _act(self, request, service, payload_class, argument):
        referral = self.get_object()  # a referral this account may not see is 404 before anything else
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        text = payload.validated_data[argument]
        referral = service(referral=referral, actor=request.user, **{argument: text})
        return Response(self.get_serializer(referral).data, status=status.HTTP_200_OK)

    @extend_schema(request=NoteSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, services.referral_accept, NoteSerializer, "note")

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(request, services.referral_decline, ReasonSerializer, "reason")

    @extend_schema(request=OutcomeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, services.referral_complete, OutcomeSerializer, "outcome")

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, services.referral_cancel, ReasonSerializer, "reason")
