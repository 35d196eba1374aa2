"""The API's root: one router for every app's endpoints, and the token endpoint (DESIGN §9)."""

from django.db import transaction
from django.urls import include, path
from rest_framework.routers import DefaultRouter

import gugus_tugas.converters  # noqa: F401 - registers the <id:...> converter
from cases.api import CaseViewSet, ReturneeViewSet
from documents.api import CaseDocuments, DocumentDetail, DocumentFile
from gugus_tugas.accounts.api import TokenView
from gugus_tugas.dashboard.api import DashboardViewSet
from referrals.api import ReferralViewSet


class Router(DefaultRouter):
    # No ".json" format suffixes: JSON is the only format, and every pattern is one more door.
    include_format_suffixes = False


router = Router()
router.register("returnees", ReturneeViewSet, basename="returnee")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("dashboard", DashboardViewSet, basename="dashboard")

urlpatterns = [
    # Outside the request transaction: DRF rolls a failed request back, and with it django-axes'
    # record of the failed attempt, which must stay to lock out a password guesser.
    path("auth/token/", transaction.non_atomic_requests(TokenView.as_view()), name="api-token"),
    # Outside the request's transaction: an upload's own is the outermost (documents.services).
    path(
        "cases/<id:pk>/documents/",
        transaction.non_atomic_requests(CaseDocuments.as_view()),
        name="case-documents",
    ),
    path("documents/<id:pk>/", DocumentDetail.as_view(), name="document-detail"),
    path("documents/<id:pk>/file/", DocumentFile.as_view(), name="document-file"),
    path("", include(router.urls)),
]
