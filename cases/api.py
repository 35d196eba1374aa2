"""The API of the arrival log and the cases (DESIGN §9). Serializers translate; the selectors decide
what each account sees, the services make every change; these views only connect them."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import services
from cases.choices import (
    CaseSource,
    ExploitationType,
    LpModel,
    MeansOfControl,
    Relationship,
    Stage,
    StepKind,
    TerminationGround,
    Verdict,
)
from cases.countries import CODES_SORTED as COUNTRY
from cases.filters import CaseFilter, ReturneeFilter
from cases.models import (
    CASE_FIELDS,
    PERSON_FIELDS,
    RETURNEE_FIELDS,
    SCREENING_FIELDS,
    Case,
    CaseHandling,
    CaseObstacle,
    CaseVictim,
    Person,
    Returnee,
    StageEvent,
    Suspect,
)
from cases.selectors import (
    cases_visible_to,
    handling_agency_codes,
    mask_person,
    returnees_listed,
    returnees_visible_to,
    sees_identities,
)
from cases.workflow import STAGE_DATA, Datum
from gugus_tugas.accounts.models import Agency, Region
from gugus_tugas.accounts.services import identity_view_record
from gugus_tugas.api import VisibleRecordsMixin
from gugus_tugas.limits import TEXT_MAX_LENGTH


def codes(choices, **kwargs):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices.choices), **kwargs)


class PersonSerializer(serializers.ModelSerializer):
    """A person in full, or masked when the context says so (the chair: DESIGN §6)."""

    origin_region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    masked = serializers.SerializerMethodField()
    age_band = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS, "version", "masked", "age_band"]
        read_only_fields = ["id", "masked", "age_band"]
        extra_kwargs = {"version": {"required": False}}

    def get_masked(self, person) -> bool:
        return False

    def get_age_band(self, person) -> str | None:
        return None

    def to_representation(self, person):
        if self.context.get("masked"):
            masked = mask_person(person, self.context.get("on"))
            shown = {name: getattr(masked, name, None) for name in PersonSerializer.Meta.fields}
            return {**shown, "origin_region": masked.origin_region_id}
        return super().to_representation(person)


class VictimSerializer(PersonSerializer):
    """A victim as the API shows it: the person's fields (null where the chair's view masks them; the
    name is initials), the relationship to the trafficker and whether a child at identification."""

    origin_region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    relationship_to_trafficker = serializers.ChoiceField(choices=Relationship.choices, read_only=True)
    is_child = serializers.BooleanField(read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "relationship_to_trafficker", "is_child"]
        read_only_fields = fields
        extra_kwargs = {
            "full_name": {"help_text": "Initials when masked."},
            **{
                name: {"allow_null": True}
                for name in PersonSerializer.Meta.fields
                if name not in ("id", "full_name", "sex", "masked", "age_band")
            },
        }

    def to_representation(self, victim):
        return {
            **super().to_representation(victim.person),
            "relationship_to_trafficker": victim.relationship_to_trafficker,
            "is_child": victim.is_child,
        }


class VictimInputSerializer(PersonSerializer):
    relationship_to_trafficker = serializers.ChoiceField(
        choices=Relationship.choices, default=Relationship.UNKNOWN
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "relationship_to_trafficker"]


class SuspectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspect
        fields = ["id", "full_name", "nik", "role", "detention_status"]

    def to_representation(self, suspect):
        data = super().to_representation(suspect)
        if self.context.get("masked"):
            data["nik"] = None
        return data


class ObstacleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseObstacle
        fields = ["id", "kind", "set_on", "cleared_on"]


class ReturneeSerializer(serializers.ModelSerializer):
    person = PersonSerializer()
    country = serializers.ChoiceField(choices=COUNTRY, required=False, allow_blank=True)
    indicators = codes(MeansOfControl, required=False)
    exploitation_types = codes(ExploitationType, required=False)
    case = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Returnee
        fields = ["id", "person", *RETURNEE_FIELDS, *SCREENING_FIELDS, "case", "version"]
        read_only_fields = ["id", "case"]
        extra_kwargs = {"version": {"required": False}}

    def create(self, validated):
        person = validated.pop("person")
        person.pop("version", None)
        return services.returnee_log(actor=self.context["request"].user, person=person, fields=validated)

    def update(self, returnee, validated):
        person = validated.pop("person", None)
        version = validated.pop("version", None)
        person_version = person.pop("version", None) if person else None
        if person and person_version is None:
            raise serializers.ValidationError(
                {"person": {"version": [_("The version you loaded is required to save changes.")]}}
            )
        return services.returnee_update(
            returnee=returnee,
            actor=self.context["request"].user,
            version=version,
            fields=validated,
            person=person,
            person_version=person_version,
        )


class CaseSerializer(serializers.ModelSerializer):
    victims = serializers.SerializerMethodField()
    suspects = serializers.SerializerMethodField()
    obstacles = ObstacleSerializer(many=True, read_only=True)
    handling_agencies = serializers.SerializerMethodField()
    exploitation_types = codes(ExploitationType, required=False)
    destination_country = serializers.ChoiceField(choices=COUNTRY, required=False, allow_blank=True)
    prosecution_agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    ground = serializers.ChoiceField(
        source="termination_ground", choices=TerminationGround.choices, allow_blank=True, read_only=True
    )
    # Empty until the move that sets them: declared so that the schema admits the blank value.
    lp_model = serializers.ChoiceField(choices=LpModel.choices, allow_blank=True, read_only=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True, read_only=True)
    # Null in the chair's masked view (free text may name the victim); null sent in means empty.
    summary = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=TEXT_MAX_LENGTH
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "stage",
            "version",
            "identified_on",
            "source",
            "summary",
            "exploitation_types",
            "destination_country",
            "victims",
            "suspects",
            "obstacles",
            "reported_on",
            "resolution_on",
            "handling_agencies",
            "lp_number",
            "lp_model",
            "spdp_on",
            "p21_on",
            "prosecution_agency",
            "ground",
            "court_case_number",
            "verdict",
            "sentence_months",
            "fine_idr",
            "restitution_idr",
            "restitution_paid",
            "receiving_unit",
            "stage_entered_on",
        ]
        read_only_fields = [name for name in fields if name not in (*CASE_FIELDS, "version")]
        extra_kwargs = {"version": {"required": False}}

    @extend_schema_field(VictimSerializer(many=True))
    def get_victims(self, case):
        context = {**self.context, "on": case.identified_on}
        return [VictimSerializer(victim, context=context).data for victim in case.victims.all()]

    @extend_schema_field(SuspectSerializer(many=True))
    def get_suspects(self, case):
        return SuspectSerializer(case.suspects.all(), many=True, context=self.context).data

    def validate_summary(self, value):
        return value or ""

    def get_handling_agencies(self, case) -> list[str]:
        return handling_agency_codes(case)

    def to_representation(self, case):
        data = super().to_representation(case)
        if self.context.get("masked"):
            data["summary"] = None  # free text may name the victim
        return data


class CaseCreateSerializer(serializers.Serializer):
    identified_on = serializers.DateField()
    source = serializers.ChoiceField(choices=CaseSource.choices)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    exploitation_types = codes(ExploitationType, required=False, default=list)
    destination_country = serializers.ChoiceField(
        choices=COUNTRY, required=False, allow_blank=True, default=""
    )
    victims = VictimInputSerializer(many=True)

    def validate_victims(self, victims):
        if not victims:
            raise serializers.ValidationError(_("A case needs at least one victim."))
        return victims


def stage_datum_field(datum: Datum) -> serializers.Field:
    """The API field of a piece of stage data, built from the case field that keeps it as a model
    serializer would; optional here, since each move asks for its own (cases.services.case_move)."""
    field = Case._meta.get_field(datum.field)
    if field.is_relation:  # named by its code
        return serializers.CharField(required=False, max_length=Agency._meta.get_field("code").max_length)
    field_class, kwargs = serializers.ModelSerializer().build_standard_field(datum.field, field)
    for option in ("allow_blank", "allow_null", "model_field", "label"):
        kwargs.pop(option, None)
    return field_class(**{**kwargs, "required": False})


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    locals()["from"] = serializers.ChoiceField(choices=Stage.choices, required=False)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)

    def get_fields(self):
        return {**super().get_fields(), **{name: stage_datum_field(d) for name, d in STAGE_DATA.items()}}


class EventSerializer(serializers.Serializer):
    """A timeline row (DESIGN §9): `kind` is "move" or a step; `from` equals `to` for a step."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=StageEvent.KIND_CHOICES, read_only=True)
    locals()["from"] = serializers.ChoiceField(choices=Stage.choices, source="from_stage", read_only=True)
    to = serializers.ChoiceField(choices=Stage.choices, source="to_stage", read_only=True)
    on = serializers.DateField(read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    note = serializers.SerializerMethodField()
    data = serializers.JSONField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_note(self, event) -> str | None:
        return None if self.context.get("masked") else event.note


class StepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    prosecution_agency = serializers.CharField(required=False, max_length=32)


class IdentityLoggingMixin:
    """Every response that shows persons in full writes one access-log row naming them."""

    record_type = ""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "masked": not sees_identities(self.request.user)}

    def log_identities(self, record_id, person_ids):
        if sees_identities(self.request.user):
            identity_view_record(
                request=self.request, record_type=self.record_type, record_id=record_id, person_ids=person_ids
            )


class RecordViewSet(
    VisibleRecordsMixin,
    IdentityLoggingMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and PATCH (no PUT: edits name the fields they change, and the version)."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class ReturneeViewSet(RecordViewSet):
    """BP3MI's arrival log with each person and screening."""

    serializer_class = ReturneeSerializer
    filterset_class = ReturneeFilter
    record_type = "returnee"
    queryset = Returnee.objects.none()  # for the schema; requests use visible()

    def visible(self, user):
        return (
            returnees_visible_to(user)
            .select_related("person", "person__origin_region")
            .order_by("-arrived_on", "-id")
        )

    def list(self, request, *args, **kwargs):
        # The filters narrow all arrivals; returnees_listed then keeps what this account may see.
        listed = returnees_listed(
            request.user,
            self.filter_queryset(Returnee.objects.all()),
            related=("person", "person__origin_region"),
        )
        page = self.paginate_queryset(listed)
        self.log_identities("", (returnee.person_id for returnee in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        returnee = self.get_object()
        self.log_identities(returnee.pk, [returnee.person_id])
        return Response(self.get_serializer(returnee).data)

    # Creating and correcting answer with the person in full: logged like a read.
    def perform_create(self, serializer):
        returnee = serializer.save()
        self.log_identities(returnee.pk, [returnee.person_id])

    def perform_update(self, serializer):
        returnee = serializer.save()
        self.log_identities(returnee.pk, [returnee.person_id])

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        """Turn a possible victim into a case (201, the case)."""
        case = services.returnee_open_case(returnee=self.get_object(), actor=request.user)
        case = _case_queryset(Case.objects).get(pk=case.pk)
        identity_view_record(
            request=request,
            record_type="case",
            record_id=case.pk,
            person_ids=[victim.person_id for victim in case.victims.all()],
        )
        return Response(
            CaseSerializer(case, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


def _case_queryset(queryset):
    return queryset.select_related("prosecution_agency").prefetch_related(
        Prefetch("victims", queryset=CaseVictim.objects.select_related("person").order_by("id")),
        Prefetch("handlings", queryset=CaseHandling.objects.select_related("agency")),
        "suspects",
        "obstacles",
    )


class CaseViewSet(RecordViewSet):
    """Cases: officers see the cases their agency handles, the chair every case masked."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    record_type = "case"
    queryset = Case.objects.none()  # for the schema; requests use visible()

    def visible(self, user):
        return _case_queryset(cases_visible_to(user))

    def _respond(self, case, status_code=status.HTTP_200_OK):
        case = self.get_queryset().get(pk=case.pk) if self.request.user.is_officer else case
        self.log_identities(case.pk, (victim.person_id for victim in case.victims.all()))
        return Response(self.get_serializer(case).data, status=status_code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.log_identities("", (victim.person_id for case in page for victim in case.victims.all()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        """Open a case at "identified" with its victims."""
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        victims = []
        for victim in data.pop("victims"):
            victim = dict(victim)
            relationship = victim.pop("relationship_to_trafficker")
            victim.pop("version", None)
            victims.append({"person_fields": victim, "relationship_to_trafficker": relationship})
        case = services.case_open(actor=request.user, victims=victims, **data)
        return self._respond(case, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """Edit the case's own fields; `version` (the one loaded) is required, a stale one is 409."""
        case = self.get_object()
        serializer = self.get_serializer(case, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version", None)
        case = services.case_update(case=case, actor=request.user, version=version, fields=fields)
        return self._respond(case)

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Move the case: 409 when it is no longer at `from` or the move is not in the stage graph, 403
        when this officer's agency may not make it, 400 for a bad date or missing stage data."""
        case = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        stage_data = {name: data[name] for name in STAGE_DATA if data.get(name) is not None}
        case = services.case_move(
            case=case,
            to=data["to"],
            on=data["on"],
            actor=request.user,
            note=data["note"],
            data=stage_data,
            seen_stage=data.get("from"),
        )
        return self._respond(case)

    @extend_schema(methods=["get"], responses={200: EventSerializer(many=True)})
    @extend_schema(methods=["post"], request=StepSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["get", "post"])
    def events(self, request, pk=None):
        """The timeline, oldest first; POST records a step inside the current stage."""
        case = self.get_object()
        if request.method == "POST":
            serializer = StepSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            event = services.case_step(
                case=case,
                kind=data.pop("kind"),
                on=data.pop("on"),
                actor=request.user,
                note=data.pop("note"),
                data=data,
            )
            return Response(
                EventSerializer(event, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )
        events = case.events.select_related("actor", "agency").order_by("on", "id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(
            EventSerializer(page, many=True, context=self.get_serializer_context()).data
        )
