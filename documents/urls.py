from django.urls import path

import gugus_tugas.converters  # noqa: F401 - registers the <id:...> converter
from documents import views

app_name = "documents"

urlpatterns = [
    path("kasus/<id:pk>/dokumen/", views.owner_documents, {"owner_type": "case"}, name="case"),
    path("orang/<id:pk>/dokumen/", views.owner_documents, {"owner_type": "person"}, name="person"),
    path("rujukan/<id:pk>/dokumen/", views.owner_documents, {"owner_type": "referral"}, name="referral"),
    path("rujukan/<id:pk>/surat/", views.referral_letter, name="referral_letter"),
    path("dokumen/<id:pk>/", views.document_detail, name="detail"),
    path("dokumen/<id:pk>/unduh/", views.document_download, name="download"),
    path("dokumen/<id:pk>/lihat/", views.document_view, name="view"),
    path("dokumen/<id:pk>/ganti/", views.document_replace, name="replace"),
    path("dokumen/<id:pk>/tarik/", views.document_withdraw, name="withdraw"),
]
