from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("agenda/speakers/", views.speaker_list, name="speaker_list"),
    path("agenda/speakers/<int:pk>/", views.speaker_detail, name="speaker_detail"),
    path("agenda/speakers/<int:pk>/photo/", views.speaker_photo, name="speaker_photo"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("open-day/", views.open_day, name="open_day"),
]
