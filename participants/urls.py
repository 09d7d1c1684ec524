from django.urls import path, re_path

from .views import badge, staff

app_name = "participants"

urlpatterns: list = [
    path("me/badge/", badge.badge, name="badge"),
    path("me/badge/sw.js", badge.badge_worker, name="badge_worker"),
    path("staff/", staff.dashboard, name="staff_dashboard"),
    path("staff/exports/", staff.exports, name="exports"),
    re_path(r"^staff/exports/(?P<kind>[a-z-]+)\.(?P<fmt>csv|xlsx)$", staff.export, name="export"),
    path("staff/checkin/", staff.checkin, name="checkin"),
]
