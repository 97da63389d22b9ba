from django.apps import AppConfig


class PembinaanConfig(AppConfig):
    name = "pembinaan"
    verbose_name = "Pembinaan"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
