from django.urls import path

from .views import registration

app_name = "participants"

urlpatterns = [
    path("register/", registration.register, name="register"),
    path("me/", registration.me, name="me"),
    path("me/profile/", registration.profile, name="profile"),
    path("me/cancel/", registration.cancel_registration, name="cancel_registration"),
    path("invitation/<str:token>/", registration.accept_invitation, name="accept_invitation"),
    path("photos/<int:participant_id>/", registration.photo, name="photo"),
]
