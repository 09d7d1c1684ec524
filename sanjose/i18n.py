"""Content in English and Spanish: `title_en`/`title_es` fields read as one `title`."""

from django.conf import settings
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
