from django.urls import path

from gugus_tugas.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dasbor/", views.index, name="index"),
    path("dasbor/ekspor/<str:key>.<str:fmt>", views.export, name="export"),
    path("log-akses/", views.access_log, name="access_log"),
]
