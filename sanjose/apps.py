from django.apps import AppConfig


class SanJoseConfig(AppConfig):
    name = "sanjose"
    verbose_name = "San José Dialogue"
