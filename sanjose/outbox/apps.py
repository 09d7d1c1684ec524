from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "sanjose.outbox"
    label = "outbox"
    verbose_name = "Outbox"
