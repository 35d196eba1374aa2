from django.urls import include, path

import gugus_tugas.converters  # noqa: F401 - registers the <id:...> converter
from cases import views

app_name = "cases"

urlpatterns = [
    path("kepulangan/", views.returnee_list, name="returnee_list"),
    path("kepulangan/baru/", views.returnee_create, name="returnee_create"),
    path("kepulangan/<id:pk>/", views.returnee_detail, name="returnee_detail"),
    path("kepulangan/<id:pk>/ubah/", views.returnee_edit, name="returnee_edit"),
    path("kepulangan/<id:pk>/penyaringan/", views.returnee_screen, name="returnee_screen"),
    path("kepulangan/<id:pk>/buka-kasus/", views.returnee_open_case, name="returnee_open_case"),
    path("kasus/", views.case_list, name="case_list"),
    path("kasus/baru/", views.case_create, name="case_create"),
    path("kasus/<id:pk>/", views.case_detail, name="case_detail"),
    path("kasus/<id:pk>/ubah/", views.case_edit, name="case_edit"),
    path("kasus/<id:pk>/tahap/<str:to>/", views.case_move, name="case_move"),
    path("kasus/<id:pk>/langkah/<str:kind>/", views.case_step, name="case_step"),
    path("kasus/<id:pk>/korban/tambah/", views.victim_add, name="victim_add"),
    path("kasus/<id:pk>/korban/<id:victim_pk>/ubah/", views.victim_edit, name="victim_edit"),
    path("kasus/<id:pk>/tersangka/tambah/", views.suspect_add, name="suspect_add"),
    path("kasus/<id:pk>/tersangka/<id:suspect_pk>/ubah/", views.suspect_edit, name="suspect_edit"),
    path("kasus/<id:pk>/hambatan/", views.obstacle_set, name="obstacle_set"),
    path("kasus/<id:pk>/hambatan/<id:obstacle_pk>/selesai/", views.obstacle_clear, name="obstacle_clear"),
    path("kasus/<id:pk>/riwayat/", views.case_history, name="case_history"),
    path("kepulangan/impor/", include("cases.importer.urls")),
]
