"""Gunicorn's settings for what operators read (README: Operations):
`gunicorn -c python:pembinaan.gunicorn_conf pembinaan.wsgi:application --bind ... --workers 3`.

- LOG_FORMAT=json: gunicorn's own lines and its access log as JSON lines (time, level, logger,
  message; an access line also remote, method, path without the query, status, bytes,
  duration_ms), as the application's (settings.LOGGING).
- PROMETHEUS_MULTIPROC_DIR set: the counters of every worker process in /metrics, kept in files
  in that directory (prometheus_client's multiprocess mode). The directory is emptied when the
  server starts and a dead worker's gauges are let go. Without it, each scrape reads the one
  worker that answered it: fine with --workers 1, misleading counters with more.

Importing it starts nothing; it imports no Django.
"""

import os
from pathlib import Path

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    accesslog = "-"
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "pembinaan.lib.telemetri.JsonLines"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Files of a previous run would add its counts to this one's; only those are removed.
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.db"):
            old.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
