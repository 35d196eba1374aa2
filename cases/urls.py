from django.urls import path

from cases import import_views, views

app_name = "cases"

urlpatterns = [
    path("kepulangan/", views.returnee_list, name="returnee_list"),
    path("kepulangan/baru/", views.returnee_create, name="returnee_create"),
    path("kepulangan/<int:pk>/", views.returnee_detail, name="returnee_detail"),
    path("kepulangan/<int:pk>/ubah/", views.returnee_edit, name="returnee_edit"),
    path("kepulangan/<int:pk>/penyaringan/", views.returnee_screen, name="returnee_screen"),
    path("kepulangan/<int:pk>/buka-kasus/", views.returnee_open_case, name="returnee_open_case"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/baru/", views.case_create, name="case_create"),
    path("kasus/<int:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<int:pk>/ubah/", views.case_edit, name="case_edit"),
    path("kasus/<int:pk>/tahap/<str:to>/", views.case_move, name="case_move"),
    path("kasus/<int:pk>/langkah/<str:kind>/", views.case_step, name="case_step"),
    path("kasus/<int:pk>/korban/tambah/", views.victim_add, name="victim_add"),
    path("kasus/<int:pk>/korban/<int:victim_pk>/ubah/", views.victim_edit, name="victim_edit"),
    path("kasus/<int:pk>/tersangka/tambah/", views.suspect_add, name="suspect_add"),
    path("kasus/<int:pk>/tersangka/<int:suspect_pk>/ubah/", views.suspect_edit, name="suspect_edit"),
    path("kasus/<int:pk>/hambatan/", views.obstacle_set, name="obstacle_set"),
    path("kasus/<int:pk>/hambatan/<int:obstacle_pk>/selesai/", views.obstacle_clear, name="obstacle_clear"),
    path("kasus/<int:pk>/riwayat/", views.case_history, name="case_history"),
]

# Spreadsheet import (cases/import_views.py)
urlpatterns += [
    path("kepulangan/impor/", import_views.arrival_import_start, name="arrival_import_start"),
    path(
        "kepulangan/impor/templat.xlsx", import_views.arrival_import_template, name="arrival_import_template"
    ),
    path("kepulangan/impor/<int:pk>/", import_views.arrival_import_detail, name="arrival_import_detail"),
    path(
        "kepulangan/impor/<int:pk>/kolom/", import_views.arrival_import_mapping, name="arrival_import_mapping"
    ),
    path(
        "kepulangan/impor/<int:pk>/periksa/", import_views.arrival_import_check, name="arrival_import_check"
    ),
    path(
        "kepulangan/impor/<int:pk>/baris/<int:number>/",
        import_views.arrival_import_row,
        name="arrival_import_row",
    ),
    path(
        "kepulangan/impor/<int:pk>/baris/<int:number>/lewati/",
        import_views.arrival_import_skip,
        name="arrival_import_skip",
    ),
    path(
        "kepulangan/impor/<int:pk>/simpan/", import_views.arrival_import_commit, name="arrival_import_commit"
    ),
    path(
        "kepulangan/impor/<int:pk>/batal/", import_views.arrival_import_cancel, name="arrival_import_cancel"
    ),
    path(
        "kepulangan/impor/<int:pk>/ditolak.<str:fmt>",
        import_views.arrival_import_report,
        name="arrival_import_report",
    ),
]
