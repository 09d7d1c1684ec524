from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from sanjose.eventzone import set_zone_source

        from .selectors import current_time_zone

        # The site shows times in the current event's zone (Event.time_zone).
        set_zone_source(current_time_zone)
