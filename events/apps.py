from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sanjose.eventzone import set_zone_source

        from .models import Event
        from .selectors import current_time_zone, remember_current_zone

        # The site shows times in the current event's zone (Event.time_zone).
        set_zone_source(current_time_zone)
        post_save.connect(
            lambda sender, instance, **kwargs: remember_current_zone(event=instance),
            sender=Event,
            weak=False,
            dispatch_uid="events-current-zone-saved",
        )
        post_delete.connect(
            lambda sender, instance, **kwargs: remember_current_zone(event=instance, deleted=True),
            sender=Event,
            weak=False,
            dispatch_uid="events-current-zone-deleted",
        )
