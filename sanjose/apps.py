from django.apps import AppConfig


class SanJoseConfig(AppConfig):
    name = "sanjose"
    verbose_name = "San José Dialogue"

    def ready(self) -> None:
        from . import admin_filters, pagecache

        admin_filters.install()
        pagecache.connect_invalidation()
