from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.library, name="library"),
    path("<int:document_id>/", views.detail, name="detail"),
    path("<int:document_id>/download/<str:language>/", views.download, name="download"),
    path("<int:document_id>/thumbnail/<str:language>/", views.thumbnail, name="thumbnail"),
]
