from django.urls import path

from participants.views import schedule

app_name = "participants"

urlpatterns: list = [
    path("me/schedule/", schedule.schedule, name="schedule"),
    path("me/schedule/reset-calendar/", schedule.reset_token, name="reset_calendar_token"),
    path("calendar/<str:token>.ics", schedule.calendar_feed, name="calendar_feed"),
]
