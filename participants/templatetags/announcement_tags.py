"""Announcements for whoever is looking, on /me/ and the home page (events' template
loads this tag, so that events need not import participants)."""

from django import template

from events.models import Event
from participants.announcements.selectors import announcements_for
from sanjose.access import viewer_for

register = template.Library()


@register.inclusion_tag("participants/_announcements.html", takes_context=True)
def announcements(context, event: Event | None = None):
    """The newest announcements of the event for the viewer (the rule of
    `announcements_for`); nothing when there are none."""
    if event is None:
        return {"announcements": []}
    viewer = viewer_for(context["request"].user)
    return {"announcements": announcements_for(viewer=viewer, event_id=event.pk)}
