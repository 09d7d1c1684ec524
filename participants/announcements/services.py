"""Publishing staff announcements, and their optional email (through the outbox)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from participants.announcements.selectors import announcement_audience
from participants.models import Announcement
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from sanjose.outbox.services import PreparedEmail, queue_prepared_emails, render_email

EMAIL_KIND = "announcement"


@transaction.atomic
def publish_announcement(*, announcement: Announcement) -> int:
    """Publish the announcement (it shows at once on /me/ and the home page for its
    audience) and, if `send_email` is set, queue one email per person of the audience,
    in their language. The outbox key (person, announcement) makes publishing again, or
    a retried call, queue nothing twice. Returns how many emails were queued now."""
    Announcement.objects.filter(pk=announcement.pk, published_at__isnull=True).update(
        published_at=clock.now()
    )
    announcement.refresh_from_db()
    if not announcement.send_email:
        return 0
    emails = _emails(announcement)
    queue_prepared_emails(emails=emails)
    Announcement.objects.filter(pk=announcement.pk).update(
        emailed_count=OutboxMessage.objects.filter(
            kind=EMAIL_KIND, object_key=_key(announcement)
        ).count()
    )
    return len(emails)


def _key(announcement: Announcement) -> str:
    return f"announcement:{announcement.pk}"


@transaction.atomic
def withdraw_announcement(*, announcement: Announcement) -> None:
    """Take the announcement off the pages (emails already sent stay sent)."""
    Announcement.objects.filter(pk=announcement.pk).update(published_at=None)


def _emails(announcement: Announcement) -> list[PreparedEmail]:
    me_url = settings.SITE_URL + reverse("participants:me")
    done = set(
        OutboxMessage.objects.filter(kind=EMAIL_KIND, object_key=_key(announcement)).values_list(
            "recipient", flat=True
        )
    )
    emails = []
    for participant in announcement_audience(announcement=announcement):
        if participant.user.email in done:
            continue  # once per person, however often it is published
        language = participant.preferred_language or settings.LANGUAGE_CODE
        subject, body_text, body_html = render_email(
            template="announcement",
            context={
                "participant": participant,
                "announcement": announcement,
                "event": announcement.event,
                "me_url": me_url,
            },
            language=language,
        )
        emails.append(
            PreparedEmail(
                recipient=participant.user.email,
                kind=EMAIL_KIND,
                object_key=_key(announcement),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                language=language,
                user_id=participant.user_id,
            )
        )
    return emails
