from django.apps import AppConfig


class MasyarakatConfig(AppConfig):
    name = "masyarakat"
    verbose_name = "Masyarakat"
