"""allauth, customised through its adapter (no signals).

Account email goes through the outbox like every other email (written first, sent by a
task, never lost or doubled), in the recipient's language, with the event's name where
allauth speaks of "the site", links on `SITE_URL`, and an HTML part made from the same
text as the plain one (allauth ships text templates only). Signing in switches the site
to the language of the account's profile. Signing out, or changing or resetting a
password, ends the person's other sessions; failed logins are counted per client address
and account.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from participants.models import Participant
from participants.notifications.emails import (
    absolute_on_site,
    recipient_language,
    supported_language,
)
from participants.privacy.services import end_sessions
from sanjose.i18n import remember_language
from sanjose.outbox.services import queue_email, text_to_html


@dataclass(frozen=True)
class EventSite:
    """What allauth's templates read as `current_site`: the event's name and our host."""

    name: str
    domain: str


def event_site() -> EventSite:
    """The current event's name in the active language (the site's name without one)."""
    from events.models import Event

    event = Event.objects.current()
    name = event.name if event else gettext("San José Dialogue")
    return EventSite(name=name, domain=urlsplit(settings.SITE_URL).netloc)


def user_display(user) -> str:
    """How allauth names a person on its pages and messages: by their email address."""
    return user.email


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{event_site().name}] {subject}"

    def logout(self, request) -> None:
        """Signing out signs out everywhere: every session of the person ends."""
        user = request.user
        super().logout(request)
        if user.is_authenticated:
            end_sessions(user=user)

    def set_password(self, user, password: str) -> None:
        """A new password (changed while signed in, or reset from an emailed link) ends
        every other session; allauth then re-keys the current one, if any."""
        super().set_password(user, password)
        session = getattr(self.request, "session", None)
        end_sessions(user=user, keep_session_key=getattr(session, "session_key", None))

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys its per-account limit on the login alone, so anyone could lock an
        # account by failing five times; with the client address in the key, a lockout
        # stays with the address that earned it (the per-address limit still applies).
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}:{account}"

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """A security notice reads in the account's language, even when it goes to an
        address the account has just left (an email change tells the old address)."""
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message in the recipient's language and queue it in the outbox,
        text and HTML with the same words and the same absolute links."""
        request = self.request
        language = recipient_language(
            email=email, fallback=translation.get_language(), user=context.get("user")
        )
        with translation.override(language):
            ctx = {
                "request": request,
                "email": email,
                **{key: absolute_on_site(value) for key, value in context.items()},
                "current_site": event_site(),
                "site_url": settings.SITE_URL,
            }
            message = self.render_mail(template_prefix, email, ctx)
            text = message.body
            if message.content_subtype == "html":
                # An HTML-only template (none of allauth's today): keep it as it is.
                html, text = message.body, ""
            else:
                html = text_to_html(text)
        user = getattr(request, "user", None)
        queue_email(
            recipient=email,
            user=user if getattr(user, "is_authenticated", False) else None,
            kind="account",
            object_key=template_prefix.rsplit("/", 1)[-1][:100],
            # Each allauth message is its own occasion (a resent link is a new email).
            occasion=uuid.uuid4().hex,
            template="account_message",
            # Confirmation, password-reset, email-change and sign-in-code messages carry
            # one-time links or codes: sealed, never shown to staff, dropped once sent.
            secret=True,
            language=language,
            context={"subject": message.subject, "body_text": text, "body_html": html},
        )

    def post_login(self, request, user, **kwargs):
        """After signing in, the site speaks the language of the account's profile."""
        response = super().post_login(request, user, **kwargs)
        language = supported_language(
            Participant.objects.filter(user=user)
            .values_list("preferred_language", flat=True)
            .first()
        )
        if language and response is not None:
            remember_language(response, language)
        return response
