"""What the operators read from outside: JSON log lines (LOG_FORMAT=json) and Sentry (SENTRY_DSN).
Knows no models; importing it starts nothing (settings call sentry_init only when a DSN is set).

Sentry receives no personal data: send_default_pii is off (no user, cookies or client address),
request bodies and local variables are never sent, the query string is dropped, and before_send
masks what may still carry a NIP, a NIK, a telephone number or an e-mail address (runs of nine
digits or more, addresses) in the exception texts, the log message, the URL and the breadcrumbs.
A citizen's free text that a developer put into an exception's message is not recognisable as
such: the rule (STYLE.md) stays that exceptions and log lines name rows by id, never by content.
"""

import re

from pythonjsonlogger.json import JsonFormatter

# A NIP (18 digits), a NIK (16), an NI PPPK, a telephone number; ids stay (they are shorter).
_DIGITS = re.compile(r"(?<![0-9A-Za-z])\+?\d[\d ]{7,}\d(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[disamarkan]"


def mask(text):
    if not isinstance(text, str):
        return text
    return _EMAIL.sub(MASK, _DIGITS.sub(MASK, text))


def _mask_all(value):
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: _mask_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_all(item) for item in value]
    return value


def before_send(event, hint):
    """Masks personal data in an event (or a transaction) before it leaves the process."""
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = mask(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)  # include_local_variables is off; never, whatever changes
    if "message" in event:
        event["message"] = mask(event["message"])
    logentry = event.get("logentry")
    if logentry:
        logentry["message"] = mask(logentry.get("message"))
        logentry["formatted"] = mask(logentry.get("formatted"))
        logentry["params"] = _mask_all(logentry.get("params") or [])
    request = event.get("request")
    if request:
        request["url"] = mask(request.get("url"))
        for private in ("query_string", "data", "cookies", "env"):
            request.pop(private, None)
        headers = request.get("headers") or {}
        for name in list(headers):
            if name.lower() in ("cookie", "authorization", "x-forwarded-for", "referer"):
                headers.pop(name)
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        crumb["message"] = mask(crumb.get("message"))
        if "data" in crumb:
            crumb["data"] = _mask_all(crumb["data"])
    if "extra" in event:
        # The command line may name a person (manage.py commands take usernames, file names).
        event["extra"].pop("sys.argv", None)
        event["extra"] = _mask_all(event["extra"])
    return event


def sentry_init(*, dsn: str, release: str, environment: str) -> None:
    """Errors of the web processes and the workers to Sentry; the beat's periodic tasks as its
    cron monitors (a missed or failed run is an alert there)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        integrations=[
            DjangoIntegration(),
            # Every beat entry a cron monitor, but the heartbeat: every 30 s, shorter than Sentry
            # Crons takes, and watched by /healthz/ instead.
            CeleryIntegration(monitor_beat_tasks=True, exclude_beat_tasks=["^denyut$"]),
        ],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
        traces_sample_rate=0.0,
    )


class JsonLines(JsonFormatter):
    """One JSON object a line: time, level, logger, message (and the exception, when there is
    one). Gunicorn's access lines get their fields (remote address, method, path, status, bytes,
    duration) as keys of their own rather than one formatted string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        # Django's request logger attaches the request, whose text carries the query string (a
        # search for a NIP); the message already names the path.
        log_record.pop("request", None)
        atoms = record.args
        if record.name == "gunicorn.access" and isinstance(atoms, dict):
            log_record.update(
                remote=atoms.get("h"),
                method=atoms.get("m"),
                path=atoms.get("U"),  # without the query string, which may carry a search
                status=_int(atoms.get("s")),
                bytes=_int(atoms.get("B")),
                duration_ms=round(_int(atoms.get("D")) / 1000, 1),
            )
            log_record["message"] = f"{atoms.get('m')} {atoms.get('U')} {atoms.get('s')}"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def json_formatter() -> dict:
    """The logging.config entry of the JSON formatter."""
    return {"()": JsonLines}
