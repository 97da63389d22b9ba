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

# A NIP (18 digits), a NIK (16), an NI PPPK, a telephone number, also written in groups
# ("1988.0314.2012.01.2.015", "0812-3456-7890", "0812 3456 7890"): nine digits or more with at
# most one separator (. - space) between two of them. Ids stay (they are shorter).
_DIGITS = re.compile(r"(?<![0-9A-Za-z])\+?\d(?:[.\- ]?\d){8,}(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[disamarkan]"


def mask(text):
    if not isinstance(text, str):
        return text
    return _EMAIL.sub(MASK, _DIGITS.sub(MASK, mask_secret_paths(text)))


# The paths whose one segment is a secret: whoever knows it may act (a password reset, a
# calendar feed, a citizen's withdrawal or unsubscription) or read (a feedback's status, a
# certificate's verification). Found by the URL patterns taking a <token> or a <kode> that is not
# printed on a poster (survei/<kode>/ and forum/<kode>/ are public addresses).
# deploy/nginx.conf masks the same paths in the proxy's access log (its `map`, checked against
# this list by tests/pembinaan/test_deployment.py).
# A path starts the text or follows a space, a quote, a colon, an equals sign or a bracket.
_START = r"(?<![\w.~%/-])"
_SEGMENT = r"[^/\s?#'\"]+"
_SECRET_PATHS = [
    re.compile(_START + r"(?P<kept>/akun/atur-sandi/[^/\s]+/)" + _SEGMENT + "(?=/)"),
    re.compile(_START + r"(?P<kept>/kalender/)" + _SEGMENT + r"(?=\.ics)"),
    re.compile(_START + r"(?P<kept>/forum/batal/)" + _SEGMENT),
    re.compile(_START + r"(?P<kept>/warga/berhenti/)" + _SEGMENT),
    re.compile(_START + r"(?P<kept>/masukan/)(?!petugas/)" + _SEGMENT),
    re.compile(_START + r"(?P<kept>/verifikasi/)" + _SEGMENT),
]
SECRET = "[rahasia]"


def mask_secret_paths(text):
    """The text with the secret segment of the paths it names replaced."""
    if not isinstance(text, str):
        return text
    for pattern in _SECRET_PATHS:
        text = pattern.sub(lambda found: found.group("kept") + SECRET, text)
    return text


def mask_path(url):
    """A path or a full URL for a log line or Sentry: its query string dropped, its secret
    segment (if any) replaced, personal data masked."""
    if not isinstance(url, str):
        return url
    url = url.split("?", 1)[0]
    origin = re.match(r"^[a-z][a-z0-9+.-]*://[^/]*", url)
    prefix = origin.group(0) if origin else ""
    return prefix + mask(url[len(prefix) :])


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
        if "url" in request:
            request["url"] = mask_path(request["url"])
        for private in ("query_string", "data", "cookies", "env"):
            request.pop(private, None)
        # Host, User-Agent, Forwarded, Referer may tell who or where: only the allow-listed.
        headers = request.get("headers") or {}
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() in _HEADERS_KEPT
        }
    if event.get("transaction"):
        event["transaction"] = mask_path(event["transaction"])
    # The machine's name, and the list of installed packages (ModulesIntegration is off too).
    event.pop("server_name", None)
    event.pop("modules", None)
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        before_breadcrumb(crumb, None)
    if "extra" in event:
        # The command line may name a person (manage.py commands take usernames, file names).
        event["extra"].pop("sys.argv", None)
        # Django's request and security loggers attach the request, whose text (its repr) holds
        # the full path with the query string: only its method and masked path are kept.
        event["extra"] = _mask_all(_without_request(event["extra"]))
    return event


_HEADERS_KEPT = ("content-type",)


def _without_request(extra: dict) -> dict:
    if "request" in extra:
        extra = dict(extra)
        described = str(extra.pop("request"))
        # "<WSGIRequest: GET '/path/?query'>"
        found = re.match(r"^<\w+: (?P<method>[A-Z]+) '(?P<path>.*)'>$", described)
        if found:
            extra["request"] = f"{found.group('method')} {mask_path(found.group('path'))}"
    return extra


def before_breadcrumb(crumb, hint):
    """A breadcrumb (a log line, an HTTP call) as before_send leaves an event's."""
    crumb["message"] = mask(crumb.get("message"))
    if "data" in crumb:
        crumb["data"] = _mask_all(_without_request(crumb["data"]))
        if isinstance(crumb["data"].get("url"), str):
            crumb["data"]["url"] = mask_path(crumb["data"]["url"])
    return crumb


def sentry_init(*, dsn: str, release: str, environment: str) -> None:
    """Errors of the web processes and the workers to Sentry; the beat's periodic tasks as its
    cron monitors (a missed or failed run is an alert there)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger
    from sentry_sdk.integrations.modules import ModulesIntegration

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
        # Not the installed packages with their versions (the release names the build).
        disabled_integrations=[ModulesIntegration()],
        server_name="sibina",  # not the machine's name (its default)
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        traces_sample_rate=0.0,
    )
    # A Host header ALLOWED_HOSTS does not list is a scanner's, not an error of ours: answered
    # 400 and logged, never an event.
    ignore_logger("django.security.DisallowedHost")


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
        # "Not Found: /kalender/<token>.ics": the path's secret masked.
        if isinstance(log_record.get("message"), str):
            log_record["message"] = mask_secret_paths(log_record["message"])
        atoms = record.args
        if record.name == "gunicorn.access" and isinstance(atoms, dict):
            log_record.update(
                remote=atoms.get("h"),
                method=atoms.get("m"),
                # Without the query string, which may carry a search; its secret masked.
                path=mask_path(atoms.get("U")),
                status=_int(atoms.get("s")),
                bytes=_int(atoms.get("B")),
                duration_ms=round(_int(atoms.get("D")) / 1000, 1),
            )
            log_record["message"] = f"{atoms.get('m')} {log_record['path']} {atoms.get('s')}"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def json_formatter() -> dict:
    """The logging.config entry of the JSON formatter."""
    return {"()": JsonLines}
