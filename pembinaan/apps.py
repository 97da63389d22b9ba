from django.apps import AppConfig


class PembinaanConfig(AppConfig):
    name = "pembinaan"
    verbose_name = "Pembinaan"

    def ready(self):
        # checks registers the deployment checks. celery makes the Celery app the current one in
        # every Django process (web, shell, commands, tests), so that the apps' @shared_task
        # functions send through it with our settings. It is loaded here rather than in
        # pembinaan/__init__.py, so that importing pembinaan or its helpers (pembinaan.lib)
        # starts nothing; workers name it: celery -A pembinaan.celery worker. signals listens
        # for the writes that change the dashboards' figures.
        from . import celery, checks, signals  # noqa: F401
        from .lib import panjang

        panjang.pasang()  # length limits with Indonesian thousands separators
