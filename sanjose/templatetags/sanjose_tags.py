"""Formatting for templates: event-local times with their label, date ranges."""

from datetime import date, datetime

from django import template
from django.utils.translation import gettext as _

from sanjose.dates import day_month, day_month_year, long_day, long_day_year
from sanjose.eventzone import event_zone

register = template.Library()


@register.filter
def event_local(value: datetime | None) -> datetime | None:
    """The moment in the event's time zone, whatever the viewer's own zone."""
    if value is None:
        return None
    return value.astimezone(event_zone())


@register.filter
def event_time(value: datetime | None) -> str:
    """'09:00' in event time."""
    local = event_local(value)
    return local.strftime("%H:%M") if local else ""


@register.simple_tag
def event_zone_label() -> str:
    """'Costa Rica time (UTC−6)', 'Madrid time (UTC+2)': the label shown beside every time
    on the site, named after the event's zone (the place of its IANA name)."""
    zone = event_zone()
    offset = datetime.now(zone).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    sign = "−" if hours < 0 else "+"
    place = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(place)s time (UTC%(sign)s%(hours)d)") % {
        "place": place,
        "sign": sign,
        "hours": abs(hours),
    }


@register.filter
def date_range(start: date, end: date) -> str:
    """'3–7 June 2024', '30 May – 2 June 2024', or one date."""
    if start == end:
        return day_month_year(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_month_year(end)}"
    if start.year == end.year:
        return f"{day_month(start)} – {day_month_year(end)}"
    return f"{day_month_year(start)} – {day_month_year(end)}"


# Dates in the reader's language: "Monday 3 June" / "lunes 3 de junio".
register.filter("long_day", long_day)
register.filter("long_day_year", long_day_year)
register.filter("day_month_year", day_month_year)


@register.simple_tag
def viewer_mark_for(user) -> str:
    """The opaque mark of whom this page is for (sanjose.pwa.viewer_mark)."""
    from sanjose.pwa import viewer_mark

    return viewer_mark(user)


@register.simple_tag
def page_time() -> str:
    """'14:05': when this page was made, in event time (the offline note shows it)."""
    from sanjose import clock

    return clock.now().astimezone(event_zone()).strftime("%H:%M")
