"""Secrets in URLs never reach a log line: calendar, invitation and unsubscribe tokens,
password-reset and email-confirmation keys, and query values that are codes, tokens or
what someone typed into a search (a name at the check-in desk), and `next` (the sign-in
redirect carries the whole first URL, query and all).

`RedactSecretsFilter` is attached to the log handlers in settings (Django's own
`django.request` / `django.server` lines say "Not Found: /calendar/<token>.ics");
`sanjose.gunicorn.RedactingGunicornLogger` does the same for gunicorn's access log.
"""

import logging
import re

REDACTED = "[redacted]"
# The secret part of each URL of the URL map that carries one.
SECRET_PATHS = [
    re.compile(r"(/calendar/)[^/?#\s\"']+?(\.ics)"),
    re.compile(r"(/invitation/)[^/?#\s\"']+()"),
    re.compile(r"(/unsubscribe/)[^/?#\s\"']+()"),
    re.compile(r"(/password/reset/key/)[^/?#\s\"']+()"),
    re.compile(r"(/confirm-email/)[^/?#\s\"']+()"),
    re.compile(r"(/verify/)[^/?#\s\"']+()"),
]
SECRET_QUERY = re.compile(
    r"([?&](?:q|code|token|key|email|name|search|next)=)[^&#\s\"']*", re.IGNORECASE
)


def redact(text: str) -> str:
    """`text` with every secret URL part replaced by [redacted]."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}\g<2>", text)
    return SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)


# At DEBUG these loggers write values, not events: Django's template engine the whole
# context of a missing variable (the person, their confirmation key), the database
# backend every query's parameters. Their debug lines never reach a log.
VALUE_DUMPING_LOGGERS = ("django.template", "django.db.backends")


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message with the secrets of its URLs redacted, and drops the
    debug lines that dump values (VALUE_DUMPING_LOGGERS)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG and record.name.startswith(VALUE_DUMPING_LOGGERS):
            return False
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
