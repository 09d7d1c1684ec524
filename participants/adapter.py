"""allauth, customised through its adapter (no signals): account email goes through the
outbox like every other email (written first, sent by a task, never lost or doubled)."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from sanjose.outbox.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message as allauth would, then queue it in the outbox."""
        request = self.request
        ctx = {"request": request, "email": email, **context}
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
            # Confirmation, password-reset, email-change and sign-in-code messages carry
            # one-time links or codes: sealed, never shown to staff, dropped once sent.
            secret=True,
            language=translation.get_language() or "en",
            context={"subject": message.subject, "body_text": text, "body_html": html},
        )
