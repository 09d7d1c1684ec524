from django.urls import path

from .views import notifications

app_name = "participants"

urlpatterns = [
    path(
        "me/notifications/",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "me/notifications/unsubscribe/<str:token>/",
        notifications.unsubscribe,
        name="unsubscribe",
    ),
]
