"""Content in English and Spanish: `title_en`/`title_es` fields read as one `title`."""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

CONTENT_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def active_content_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in CONTENT_LANGUAGES else settings.LANGUAGE_CODE


class Translated:
    """`title = Translated("title")` gives `title_es` to a Spanish reader, else `title_en`.

    An empty translation falls back to English, so a half-translated agenda never shows
    a blank title.
    """

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, f"{self.base}_{active_content_language()}", "")
        return value or getattr(obj, f"{self.base}_{settings.LANGUAGE_CODE}", "")


def translated_property(base: str) -> property:
    """Like `Translated`, readable as `base`; assigning to it sets the English field, so
    `Event(name=…)` and `Event.objects.create(name=…)` keep working."""

    def get(obj):
        value = getattr(obj, f"{base}_{active_content_language()}", "")
        return value or getattr(obj, f"{base}_{settings.LANGUAGE_CODE}", "")

    def set_(obj, value):
        setattr(obj, f"{base}_{settings.LANGUAGE_CODE}", value)

    return property(get, set_, doc=f"`{base}` in the reader's language (English if empty).")


def remember_language(response, language: str):
    """Make `language` the site's language for this browser (the cookie Django's
    LocaleMiddleware reads), as the language switcher does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def translated_value(base: str):
    """The SQL twin of `Translated`: `<base>_es` for a Spanish reader (English when it is
    empty), else `<base>_en`; for exports and lists read with values_list."""
    english = F(f"{base}_{settings.LANGUAGE_CODE}")
    language = active_content_language()
    if language == settings.LANGUAGE_CODE:
        return english
    return Coalesce(NullIf(F(f"{base}_{language}"), Value("")), english)
