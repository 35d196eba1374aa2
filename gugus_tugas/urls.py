from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from gugus_tugas.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("akun/", include("gugus_tugas.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cases.urls")),
    # Before the referrals: their "rujukan/<id>/<action>/" would take "rujukan/<id>/dokumen/".
    path("", include("documents.urls")),
    path("", include("referrals.urls")),
    path("", include("gugus_tugas.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("gugus_tugas.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
