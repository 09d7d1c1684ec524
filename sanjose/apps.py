from django.apps import AppConfig


class SanJoseConfig(AppConfig):
    name = "sanjose"
    verbose_name = "San José Dialogue"

    def ready(self) -> None:
        from sanjose.pagecache import connect_invalidation

        connect_invalidation()
