"""The spreadsheet import's pages, under /kepulangan/impor/ in the cases namespace."""

from django.urls import path

import gugus_tugas.converters  # noqa: F401 - registers the <id:...> converter
from cases.importer import views

urlpatterns = [
    path("", views.arrival_import_start, name="arrival_import_start"),
    path("templat.xlsx", views.arrival_import_template, name="arrival_import_template"),
    path("<id:pk>/", views.arrival_import_detail, name="arrival_import_detail"),
    path("<id:pk>/kolom/", views.arrival_import_mapping, name="arrival_import_mapping"),
    path("<id:pk>/periksa/", views.arrival_import_check, name="arrival_import_check"),
    path("<id:pk>/baris/<id:number>/", views.arrival_import_row, name="arrival_import_row"),
    path("<id:pk>/baris/<id:number>/lewati/", views.arrival_import_skip, name="arrival_import_skip"),
    path("<id:pk>/simpan/", views.arrival_import_commit, name="arrival_import_commit"),
    path("<id:pk>/batal/", views.arrival_import_cancel, name="arrival_import_cancel"),
    path("<id:pk>/ditolak.<str:fmt>", views.arrival_import_report, name="arrival_import_report"),
]
