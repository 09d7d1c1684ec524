"""allauth, customised through its adapter (no signals): account email goes through the
outbox like every other email (written first, sent by a task, never lost or doubled);
signing out, or changing or resetting a password, ends the person's other sessions;
failed logins are counted per client address and account."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from participants.services.privacy import end_sessions
from sanjose.outbox.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message as allauth would, then queue it in the outbox."""
        request = self.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        user = getattr(request, "user", None)
        queue_email(
            recipient=email,
            user=user if getattr(user, "is_authenticated", False) else None,
            kind="account",
            object_key=template_prefix.rsplit("/", 1)[-1][:100],
            # Each allauth message is its own occasion (a resent link is a new email).
            occasion=uuid.uuid4().hex,
            template="account_message",
            language=translation.get_language() or "en",
            context={"subject": message.subject, "body_text": text, "body_html": html},
        )
