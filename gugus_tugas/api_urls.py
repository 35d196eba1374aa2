"""The API's root: one router for every app's endpoints, and the token endpoint (DESIGN §9)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, ReturneeViewSet
from gugus_tugas.accounts.api import TokenView
from gugus_tugas.dashboard.api import DashboardViewSet
from referrals.api import ReferralViewSet

router = DefaultRouter()
router.register("returnees", ReturneeViewSet, basename="returnee")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("dashboard", DashboardViewSet, basename="dashboard")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
