"""Who reads an email in which language, and links that point at the site itself."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from participants.models import Participant

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def supported_language(code: str | None) -> str | None:
    """`code` cut to a language the site speaks ("es-CR" → "es"), or None."""
    short = (code or "")[:2].lower()
    return short if short in SUPPORTED else None


def recipient_language(*, email: str, fallback: str | None, user=None) -> str | None:
    """The preferred language of the profile of `user` (when the message is about an
    account: a notice to an address the account just left), else of the profile behind
    `email`, else `fallback` (the language the person is browsing in), cut to one the site
    speaks; None when neither is known."""
    preferred = None
    if getattr(user, "pk", None) is not None:
        preferred = (
            Participant.objects.filter(user_id=user.pk)
            .values_list("preferred_language", flat=True)
            .first()
        )
    if preferred is None:
        preferred = (
            Participant.objects.filter(user__email__iexact=email)
            .values_list("preferred_language", flat=True)
            .first()
        )
    if preferred is None:
        from allauth.account.models import EmailAddress

        preferred = (
            Participant.objects.filter(
                user__in=EmailAddress.objects.filter(email__iexact=email).values("user")
            )
            .values_list("preferred_language", flat=True)
            .first()
        )
    language = supported_language(preferred) or supported_language(fallback)
    if language is None and fallback is not None:
        return settings.LANGUAGE_CODE
    return language


def absolute_on_site(value):
    """An absolute http(s) link moved onto `SITE_URL` (the address people reach us at),
    whatever host the request came through; anything else unchanged."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    parts = urlsplit(value)
    site = urlsplit(settings.SITE_URL)
    path = site.path.rstrip("/") + parts.path
    return urlunsplit((site.scheme, site.netloc, path, parts.query, parts.fragment))
