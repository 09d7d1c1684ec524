from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from sanjose.access import set_viewer_builder

        from .viewers import build_viewer

        # Who a signed-in user is to the access rule, from their registrations and groups.
        set_viewer_builder(build_viewer)
