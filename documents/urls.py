from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("zaak/<str:reference>/nieuw/", views.document_add, name="add"),
    path("<str:reference>/", views.document_detail, name="detail"),
    path("<str:reference>/nieuwe-versie/", views.version_add, name="version_add"),
    path("<str:reference>/v<int:number>/download/", views.download, name="download"),
    path("<str:reference>/v<int:number>/voorbeeld/", views.preview, name="preview"),
]
