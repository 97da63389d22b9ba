import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pembinaan.settings")

app = Celery("sibina")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
