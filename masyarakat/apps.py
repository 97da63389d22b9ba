from django.apps import AppConfig


class MasyarakatConfig(AppConfig):
    name = "masyarakat"
    verbose_name = "Masyarakat"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
