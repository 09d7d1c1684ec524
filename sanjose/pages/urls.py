from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/<str:version>/", views.privacy, name="privacy_version"),
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path("code-of-conduct/<str:version>/", views.code_of_conduct, name="conduct_version"),
]
