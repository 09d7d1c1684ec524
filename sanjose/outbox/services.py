"""The one way any app sends email: `queue_email` writes an outbox row; a task sends it.

The row is written in the transaction of the change that causes it, and the task is
queued on commit, so a rolled-back change sends nothing. The unique key (recipient,
kind, object, occasion) means a repeated call never doubles an email. A worker claims
a row with a conditional UPDATE before sending, so a duplicated or re-delivered task
finds it taken and does nothing; `sweep_outbox` re-queues what no task took and settles
rows whose worker died, bounded by the attempt counter.

A message that carries a one-time link or code (`secret=True`) is stored sealed, opened
only by the worker that sends it, and its body dropped once it is sent; the bodies of
the others are dropped OUTBOX_BODY_RETENTION_DAYS after they went out
(`purge_message_bodies`). Rows and their keys stay, so nothing is ever sent twice.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sanjose import clock, sealing
from sanjose.queueing import enqueue_after_commit
from sanjose.templatetags.sanjose_tags import event_zone_label

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A pending row nobody claimed for this long lost its broker message: queue it again.
PENDING_STALE_AFTER = timedelta(minutes=5)
# A row "sending" for longer than the longest task (its time limit) lost its worker.
SENDING_STALE_AFTER = timedelta(minutes=5)
BULK_BATCH = 500
# Mass mailings (an import's invitations, a publication's notices, digests) are sent after
# whatever single email is waiting: on Redis, priority 0 (the default) is taken first and
# BULK_PRIORITY is a list of its own behind it, so a confirmation never queues behind
# 2,000 invitations.
BULK_PRIORITY = 9


@dataclass
class PreparedEmail:
    """One rendered email, ready to become an outbox row (see `queue_prepared_emails`)."""

    recipient: str
    kind: str
    object_key: str
    subject: str
    body_text: str
    body_html: str
    language: str = "en"
    occasion: str = ""
    user_id: int | None = None
    unsubscribe_url: str = ""
    secret: bool = False


def render_email(
    *, template: str, context: dict, language: str, unsubscribe_url: str = ""
) -> tuple[str, str, str]:
    """Subject, text and HTML of `emails/<template>_…` in `language`, with the footer
    (manage preferences, and unsubscribe for the optional kinds) that every email has."""
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("participants:notification_preferences"),
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(language):
        context.setdefault("zone_label", event_zone_label())
        subject = " ".join(render_text(f"emails/{template}_subject.txt", context).split())
        body_text = render_text(f"emails/{template}_body.txt", context).strip()
        body_text += "\n\n" + render_text("emails/_footer.txt", context).strip() + "\n"
        # Template tags leave blank lines behind: at most one blank line in a row.
        body_text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", body_text)
        body_html = render_to_string(f"emails/{template}_body.html", context)
        footer_html = render_to_string("emails/_footer.html", context)
    if "</body>" in body_html:
        body_html = body_html.replace("</body>", footer_html + "</body>", 1)
    else:
        body_html += footer_html
    return subject, body_text, body_html


URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
LINK_STYLE = "color:#0b5394;word-break:break-all"
BUTTON_STYLE = (
    "display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 16px;"
    "border-radius:6px;text-decoration:none;font-weight:bold"
)


def text_to_html(text: str) -> SafeString:
    """The HTML twin of a plain-text email: the same paragraphs, lines and words, every
    address a working link, and a paragraph that is only a link also made a button."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if URL.fullmatch(block.strip()):
            url = block.strip()
            paragraphs.append(
                format_html(
                    '<p><a href="{}" style="{}">{}</a></p><p><a href="{}" style="{}">{}</a></p>',
                    url,
                    BUTTON_STYLE,
                    gettext("Open the link"),
                    url,
                    LINK_STYLE,
                    url,
                )
            )
            continue
        lines = [_linkify(line) for line in block.strip().splitlines()]
        paragraphs.append(mark_safe("<p>" + "<br>".join(lines) + "</p>"))  # noqa: S308
    return mark_safe("\n".join(paragraphs))  # noqa: S308


def _linkify(line: str) -> str:
    """One line of text, escaped, with its addresses as links."""
    out, last = [], 0
    for match in URL.finditer(line):
        out.append(escape(line[last : match.start()]))
        out.append(format_html('<a href="{}" style="{}">{}</a>', match[0], LINK_STYLE, match[0]))
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template, without HTML escaping ("Q&A" stays "Q&A" in a text part)."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def queue_email(
    *,
    recipient: str,
    kind: str,
    object_key: str,
    template: str,
    context: dict,
    language: str = "en",
    occasion: str = "",
    user=None,
    unsubscribe_url: str = "",
    secret: bool = False,
    bulk: bool = False,
) -> OutboxMessage | None:
    """Write one outbox row (rendered now, in `language`) and send it after commit.

    `template` names `emails/<template>_subject.txt`, `_body.txt` and `_body.html`.
    Returns None when the same (recipient, kind, object, occasion) is already queued,
    so a repeated call never doubles an email. Call it inside the transaction of the
    change that causes the email. Optional kinds pass their signed `unsubscribe_url`;
    a message carrying a one-time link or code passes `secret=True` (sealed body); one of
    many emails of a mass mailing passes `bulk` (sent after single emails).
    """
    subject, body_text, body_html = render_email(
        template=template, context=context, language=language, unsubscribe_url=unsubscribe_url
    )
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient,
                user=user,
                kind=kind,
                object_key=object_key,
                occasion=occasion,
                language=language,
                subject=subject[:250],
                is_secret=secret,
                body_text=sealing.seal(body_text) if secret else body_text,
                body_html=sealing.seal(body_html) if secret else body_html,
                unsubscribe_url=unsubscribe_url,
            )
    except IntegrityError:
        return None
    send_after_commit(message_ids=[message.pk], bulk=bulk)
    return message


@transaction.atomic
def queue_prepared_emails(*, emails: list[PreparedEmail], bulk: bool = False) -> int:
    """Write many rendered emails as outbox rows in a few statements and send them after
    commit (after single emails when `bulk`); rows whose key already exists are left
    alone. Returns how many were queued."""
    if not emails:
        return 0
    rows = [
        OutboxMessage(
            recipient=email.recipient,
            user_id=email.user_id,
            kind=email.kind,
            object_key=email.object_key,
            occasion=email.occasion,
            language=email.language,
            subject=email.subject[:250],
            is_secret=email.secret,
            body_text=sealing.seal(email.body_text) if email.secret else email.body_text,
            body_html=sealing.seal(email.body_html) if email.secret else email.body_html,
            unsubscribe_url=email.unsubscribe_url,
        )
        for email in emails
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=BULK_BATCH, ignore_conflicts=True)
    # ignore_conflicts gives no primary keys back: read the unclaimed rows of these keys
    # (a row queued earlier and still waiting is queued again: the claim sends it once).
    waiting_ids = list(
        OutboxMessage.objects.filter(
            kind__in={email.kind for email in emails},
            object_key__in={email.object_key for email in emails},
            recipient__in={email.recipient for email in emails},
            status=OutboxMessage.Status.PENDING,
            claimed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    send_after_commit(message_ids=waiting_ids, bulk=bulk)
    return len(waiting_ids)


def send_after_commit(*, message_ids: list[int], bulk: bool = False) -> None:
    """Queue one sending task per row once the current transaction commits (at
    BULK_PRIORITY when `bulk`); a broker that does not answer leaves the rows pending
    for the sweep."""
    from .tasks import task_send_message

    # A broker fault after commit is logged, not raised: the rows are written and stay
    # pending, and the sweep queues them again once the broker answers (sent once: the
    # claim makes a late duplicate harmless).
    enqueue_after_commit(
        task_send_message,
        [(message_id,) for message_id in message_ids],
        what="the outbox sweep will queue the pending rows again",
        options={"priority": BULK_PRIORITY} if bulk else None,
    )


def claim_message(*, message_id: int) -> OutboxMessage | None:
    """Take a pending message for sending and count the attempt; None if another worker
    has it, it is final, or it has used up its attempts."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=OutboxMessage.Status.SENDING, claimed_at=clock.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def build_email(*, message: OutboxMessage) -> EmailMultiAlternatives:
    headers = {"Message-ID": message.message_id}
    if message.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    body_text, body_html = sealing.unseal(message.body_text), sealing.unseal(message.body_html)
    email = EmailMultiAlternatives(
        subject=message.subject, body=body_text, to=[message.recipient], headers=headers
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    return email


def deliver_message(*, message: OutboxMessage) -> None:
    """Send a claimed message over the configured backend and record the outcome: sent,
    or back to pending for a retry, or failed with the error once attempts run out.
    Re-raises the sending error while attempts remain, so the task retries with backoff."""
    try:
        build_email(message=message).send()
    except Exception as error:
        if not record_failure(message=message, error=error):
            raise
        return
    now = clock.now()
    # A sent secret keeps nothing: the link or code is for its recipient only.
    dropped = (
        {"body_text": "", "body_html": "", "unsubscribe_url": "", "body_purged_at": now}
        if message.is_secret
        else {}
    )
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=now, last_error="", **dropped
    )


def record_failure(*, message: OutboxMessage, error: BaseException) -> bool:
    """Back to pending, or failed when the attempts are used up (returns True then)."""
    final = message.attempts >= MAX_ATTEMPTS
    status = OutboxMessage.Status.FAILED if final else OutboxMessage.Status.PENDING
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=status, last_error=f"{type(error).__name__}: {error}"[:2000]
    )
    # The recipient's address is personal data: log the row, not the address.
    logger.warning(
        "outbox message %s not sent (attempt %s, %s)", message.pk, message.attempts, status
    )
    return final


@transaction.atomic
def sweep_outbox() -> dict[str, int]:
    """Repair what a lost broker message or a killed worker left behind.

    Rows stuck in "sending" past the timeout go back to pending (or to failed when
    their attempts are used up); pending rows no task took for a while are queued
    again. Sending tasks claim rows, so a row queued twice is still sent once.
    """
    now = clock.now()
    stuck = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    gave_up = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=OutboxMessage.Status.FAILED,
        last_error="Gave up: the worker stopped while sending, attempts used up.",
    )
    settled = stuck.update(status=OutboxMessage.Status.PENDING)
    OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, attempts__gte=MAX_ATTEMPTS
    ).update(status=OutboxMessage.Status.FAILED)
    forgotten = (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .annotate(last_touched=Coalesce("claimed_at", "created_at"))
        .filter(last_touched__lt=now - PENDING_STALE_AFTER)
    )
    requeue_ids = list(forgotten.values_list("pk", flat=True)[:10_000])
    if requeue_ids:
        # Restart the clock so the next sweep does not queue them again at once.
        OutboxMessage.objects.filter(pk__in=requeue_ids).update(claimed_at=now)
    send_after_commit(message_ids=requeue_ids)
    if gave_up or settled or requeue_ids:
        logger.info(
            "outbox sweep: %s gave up, %s settled, %s re-queued",
            gave_up,
            settled,
            len(requeue_ids),
        )
    return {"failed": gave_up, "settled": settled, "requeued": len(requeue_ids)}


@transaction.atomic
def resend_message(*, message: OutboxMessage) -> bool:
    """Give a failed message a fresh set of attempts and send it again (admin action).
    Returns False, changing nothing, when the message is not failed or its body is gone."""
    changed = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.FAILED, body_purged_at__isnull=True
    ).update(status=OutboxMessage.Status.PENDING, attempts=0, claimed_at=None)
    if changed:
        send_after_commit(message_ids=[message.pk])
    return bool(changed)


@transaction.atomic
def purge_message_bodies() -> int:
    """Drop the bodies (and unsubscribe links) of messages sent or failed more than
    OUTBOX_BODY_RETENTION_DAYS ago; rows stay, with their key and status, so nothing is
    sent again. Messages not yet delivered keep theirs. Returns how many were purged."""
    cutoff = clock.now() - timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS)
    finished = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED],
        body_purged_at__isnull=True,
    ).annotate(finished_at=Coalesce("sent_at", "claimed_at", "created_at"))
    purged = finished.filter(finished_at__lt=cutoff).update(
        body_text="", body_html="", unsubscribe_url="", body_purged_at=clock.now()
    )
    if purged:
        logger.info("outbox: %s message bodies removed after the retention period", purged)
    return purged
