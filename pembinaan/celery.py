import logging.config
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pembinaan.settings")

app = Celery("sibina")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

DENYUT_TASK = "pembinaan.tasks.denyut_task"


@signals.before_task_publish.connect
def denyut_beat(sender=None, **kwargs):
    """The heartbeat as it is sent (by beat, every DENYUT_DETIK seconds): beat is alive
    (pembinaan.lib.denyut). A write that fails must not keep the task from being sent."""
    if sender != DENYUT_TASK:
        return
    from pembinaan.lib import denyut

    try:
        denyut.stamp("beat")
    except Exception:  # noqa: BLE001 - Redis down: the publish fails on its own, and says so
        logging.getLogger(__name__).warning("heartbeat of beat not written", exc_info=True)


def logging_from_django(**kwargs):
    """With LOG_FORMAT=json the worker and beat log JSON lines as the web processes do
    (settings.LOGGING), rather than Celery replacing the root logger's handlers with its own
    format. Connected, this signal tells Celery to leave logging alone; otherwise Celery's own
    plain format stays."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    signals.setup_logging.connect(logging_from_django)
