"""The dashboard API (DESIGN §9): the chair's figures as JSON, filtered like the page by ?from, ?to and
?agency. Aggregates only; the chair alone may read them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from gugus_tugas.dashboard import selectors
from gugus_tugas.dashboard.forms import PeriodForm


class IsChair(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_chair)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    reported = serializers.IntegerField()
    resolved_in_year = serializers.IntegerField()
    resolved_of_reported = serializers.IntegerField()
    open_of_reported = serializers.IntegerField()
    clearance_rate = serializers.FloatField(allow_null=True)
    cohort_resolution_rate = serializers.FloatField(allow_null=True)


class YearlySerializer(serializers.Serializer):
    years = YearSerializer(many=True)


PERIOD = [
    OpenApiParameter("from", int, description="First year (default 2020)"),
    OpenApiParameter("to", int, description="Last year (default this year)"),
    OpenApiParameter("agency", str, description="Only this agency's cases, referrals and arrivals (code)"),
]
SECTIONS = ["yearly", "stages", "deadlines", "referrals", "victims", "obstacles", "returnees"]


class DashboardViewSet(viewsets.ViewSet):
    """The chair's dashboard, section by section."""

    permission_classes = [IsChair]

    def _period(self, request):
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return form.cleaned_data["period"]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response({name: reverse(f"dashboard-{name}", request=request) for name in SECTIONS})

    @extend_schema(parameters=PERIOD, responses=YearlySerializer)
    @action(detail=False)
    def yearly(self, request):
        """Per year: reported, resolved in the year, resolved of the year's reports, open, and the rates."""
        return Response({"years": selectors.yearly(self._period(request))})

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def stages(self, request):
        """Open cases per stage with the median days in the stage."""
        return Response({"stages": selectors.open_by_stage(self._period(request))})

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def deadlines(self, request):
        """Investigations past the SPDP (7 days) or P-19 (14 days) deadline."""
        return Response(selectors.past_deadline(self._period(request)))

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def referrals(self, request):
        """Referrals per receiving agency by status, overdue, and the median hours to acceptance."""
        return Response({"agencies": selectors.referrals_by_agency(self._period(request))})

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def victims(self, request):
        """Victims by sex, child or adult, exploitation, destination, origin regency and relationship."""
        found = selectors.victims(self._period(request))
        found["children"] = {
            "children": found["children"].get(True, 0),
            "adults": found["children"].get(False, 0),
        }
        return Response(found)

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def obstacles(self, request):
        """How often each socio-cultural obstacle was recorded, and how many remain open."""
        return Response({"obstacles": selectors.obstacles(self._period(request))})

    @extend_schema(parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def returnees(self, request):
        """Arrivals per month by category, non-procedural and screened-positive shares, cases opened."""
        return Response({"months": selectors.returnees_by_month(self._period(request))})
