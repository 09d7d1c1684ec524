from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sanjose.eventzone import event_zone


def site(request: HttpRequest) -> dict:
    # The current event's zone, looked up only if a template shows it.
    return {
        "SITE_URL": settings.SITE_URL,
        "EVENT_TIME_ZONE": SimpleLazyObject(lambda: event_zone().key),
    }
