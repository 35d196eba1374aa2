from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("rujukan/", views.inbox, name="inbox"),
    path("rujukan/keluar/", views.outbox, name="outbox"),
    path("rujukan/baru/", views.referral_create, name="create"),
    path("rujukan/<int:pk>/", views.referral_detail, name="detail"),
    path("rujukan/<int:pk>/<str:action>/", views.referral_act, name="act"),
]
