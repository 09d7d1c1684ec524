"""Dates as each language writes them: "Monday 3 June 2024", "lunes 3 de junio de 2024".

Django's own formats for Spanish lack the weekday and ours lack the "de": the format
strings are translated, so the Spanish catalogue holds the Spanish order and words.
"""

from datetime import date

from django.utils import formats
from django.utils.translation import pgettext


def _format(value: date | None, fmt: str) -> str:
    return formats.date_format(value, fmt) if value else ""


def long_day(value: date | None) -> str:
    """ "Monday 3 June" / "lunes 3 de junio"."""
    return _format(value, pgettext("date format: weekday, day, month", "l j F"))


def long_day_year(value: date | None) -> str:
    """ "Monday 3 June 2024" / "lunes 3 de junio de 2024"."""
    return _format(value, pgettext("date format: weekday, day, month, year", "l j F Y"))


def day_month(value: date | None) -> str:
    """ "3 June" / "3 de junio"."""
    return _format(value, pgettext("date format: day, month", "j F"))


def day_month_year(value: date | None) -> str:
    """ "3 June 2024" / "3 de junio de 2024"."""
    return _format(value, pgettext("date format: day, month, year", "j F Y"))
