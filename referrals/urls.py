from django.urls import path

import gugus_tugas.converters  # noqa: F401 - registers the <id:...> converter
from referrals import views

app_name = "referrals"

urlpatterns = [
    path("rujukan/", views.inbox, name="inbox"),
    path("rujukan/keluar/", views.outbox, name="outbox"),
    path("rujukan/baru/", views.referral_create, name="create"),
    path("rujukan/<id:pk>/", views.referral_detail, name="detail"),
    path("rujukan/<id:pk>/<str:action>/", views.referral_act, name="act"),
]
