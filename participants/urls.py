from django.urls import path, re_path

from participants.certificates import views as certificates
from participants.desk import views as desk
from participants.directory import views as directory
from participants.feedback import views as feedback
from participants.notifications import views as notifications
from participants.privacy import views as privacy
from participants.registration import views as registration
from participants.schedule import views as schedule
from participants.signups import views as signups

app_name = "participants"

urlpatterns = [
    path("register/", registration.register, name="register"),
    path("me/", registration.me, name="me"),
    path("me/profile/", registration.profile, name="profile"),
    path("me/cancel/", registration.cancel_registration, name="cancel_registration"),
    path("me/data.json", privacy.my_data, name="my_data"),
    path("me/delete/", privacy.delete_account, name="delete_account"),
    path("invitation/<str:token>/", registration.accept_invitation, name="accept_invitation"),
    path("photos/<int:participant_id>/", registration.photo, name="photo"),
    path("me/schedule/", schedule.schedule, name="schedule"),
    path("me/schedule/reset-calendar/", schedule.reset_token, name="reset_calendar_token"),
    path("calendar/<str:token>.ics", schedule.calendar_feed, name="calendar_feed"),
    path("me/signups/<int:pk>/", signups.sign_up, name="session_signup"),
    path("me/signups/<int:pk>/cancel/", signups.cancel, name="session_signup_cancel"),
    path("directory/", directory.directory, name="directory"),
    path("me/directory/", directory.my_listing, name="my_directory_listing"),
    path("me/feedback/", feedback.my_feedback, name="my_feedback"),
    path("me/feedback/event/", feedback.event_feedback, name="event_feedback"),
    path("me/feedback/sessions/<int:pk>/", feedback.session_feedback, name="session_feedback"),
    path("me/badge/", desk.badge, name="badge"),
    path(
        "me/certificates/<int:pk>/<str:language>/",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path("me/letter/", certificates.letter, name="letter"),
    path("me/letter/delete/", certificates.letter_delete, name="letter_delete"),
    path("me/letter/<str:language>/", certificates.letter_pdf, name="letter_pdf"),
    path("verify/", certificates.verify, name="verify"),
    path("verify/<str:code>/", certificates.verify_code, name="verify_code"),
    path("staff/", desk.dashboard, name="staff_dashboard"),
    path("staff/exports/", desk.exports, name="exports"),
    re_path(r"^staff/exports/(?P<kind>[a-z-]+)\.(?P<fmt>csv|xlsx)$", desk.export, name="export"),
    path("staff/feedback/", feedback.feedback_results_page, name="feedback_results"),
    path("staff/checkin/", desk.checkin, name="checkin"),
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
