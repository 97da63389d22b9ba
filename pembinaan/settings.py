"""SIBINA settings, read from the environment.

Every variable is listed in .env.example. The defaults serve a laptop: SQLite, Celery tasks run
eagerly, DEBUG on. DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS switch production on.
"""

import ipaddress
import os
import subprocess
import tomllib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envnetworks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated addresses or networks: "172.28.0.1, 10.20.0.0/16"."""
    networks = []
    for item in envlist(name, []):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated addresses or networks "
                f"(172.28.0.1, 10.20.0.0/16), got {item!r}"
            ) from None
    return networks


def redis_database(name: str, url: str) -> tuple[str, int]:
    """The server and database number of a redis:// URL: ("redis://host:6379", 0)."""
    parts = urlsplit(url)
    number = parts.path.strip("/") or "0"
    if parts.scheme not in ("redis", "rediss") or not parts.hostname or not number.isdigit():
        raise ImproperlyConfigured(
            f"{name} must be a redis:// URL with a database number (redis://host:6379/0), "
            f"got {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc}", int(number)


def redis_next_database(name: str, url: str) -> str:
    """The same Redis server as `url`, the next database: redis://host:6379/0 -> .../1."""
    _, number = redis_database(name, url)
    if number >= 15:  # Redis has databases 0 to 15 unless configured otherwise
        raise ImproperlyConfigured(f"{name} uses database {number}, the last: set CACHE_URL")
    return urlsplit(url)._replace(path=f"/{number + 1}").geturl()


def release_default(base_dir: Path) -> str:
    """The package version and, in a git checkout, its commit: "0.1.0+2667c7b"."""
    with open(base_dir / "pyproject.toml", "rb") as pyproject:
        version = tomllib.load(pyproject)["project"]["version"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=base_dir, capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):  # no git, or not a checkout (an image)
        return version
    return f"{version}+{commit}"


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-a-laptop-never-for-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "pembinaan.views.csrf_failure"  # Indonesian, in the site's layout

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "pegawai",
    "pelatihan",
    "evaluasi",
    "masyarakat",
    "pembinaan",
]

MIDDLEWARE = [
    # Counts every request (django-prometheus), then answers /healthz/ and /metrics before the
    # host check, the HTTPS redirect, sessions and the login (pembinaan.operasi).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "pembinaan.operasi.operasi_middleware",
    "django.middleware.security.SecurityMiddleware",
    "pembinaan.middleware.content_security_policy",
    "pembinaan.middleware.reject_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and auth middleware: it reads who the request was for afterwards.
    "pembinaan.middleware.private_no_store",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A safety net: a view that forgets @login_required still asks for a login.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): whether this session passed the second step (django-otp);
    # then the second step required of HR and administrators (pegawai.middleware).
    "django_otp.middleware.OTPMiddleware",
    "pegawai.middleware.DuaFaktorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page for 405 instead of Django's empty body (a URL opened the wrong way).
    "pembinaan.middleware.method_not_allowed_page",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a login refused by django-axes into the lockout page (pembinaan.views.login_dikunci).
    "axes.middleware.AxesMiddleware",
    # Last: the requests, responses and latencies per view (django-prometheus).
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "pembinaan.urls"
WSGI_APPLICATION = "pembinaan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pembinaan.context_processors.navigation_context",
            ],
        },
    },
]
# Form widgets render through TEMPLATES, so that templates/django/forms/ can write a select's
# empty choice in words ("— pilih —") instead of Django's "---------" everywhere at once.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: a request reuses its process's connection; a connection
        # that died (a PostgreSQL restart) is noticed and replaced at the next request.
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PgBouncer in transaction pooling mode between the application and PostgreSQL (docs/scaling.md):
# each transaction may run on another server connection, so nothing may outlive one. Django's
# server-side cursors (.iterator() outside a transaction declares a WITH HOLD cursor and fetches
# from it in later statements) are the one thing of ours that would: off, .iterator() fetches the
# whole result at once. Persistent connections stay (CONN_MAX_AGE): to PgBouncer they are a cheap
# client slot each, not a server backend. Nothing else of ours is session-level: no advisory
# locks, LISTEN, SET or temporary tables, and psycopg2 prepares no statements; the time zone
# Django sets on connecting is a parameter PgBouncer tracks and sets again for each transaction.
PGBOUNCER = envbool("PGBOUNCER", False)
# A read replica (pembinaan.lib.db_router): reads go there, writes and the reads of a user who
# just wrote (REPLIKA_LAG_SECONDS) to the primary; migrations only to the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLIKA_LAG_SECONDS = envint("REPLIKA_LAG_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replika"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replika"]["TEST"] = {"MIRROR": "default"}  # tests read what they wrote
    DATABASE_ROUTERS = ["pembinaan.lib.db_router.ReplikaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "pembinaan.lib.db_router.replika_middleware",
    )
if PGBOUNCER:
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The pegawai list's covering index is PostgreSQL's; SQLite builds it on its key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "pegawai.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "pegawai.backends.UsernameOrNipBackend",
    # Single sign-on (pegawai.sso): answers only the provider's callback, and only when the
    # OIDC_* variables below are set; it reads nothing from the provider when loaded.
    "pegawai.sso.NipBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout (django-axes), on every form that authenticates, Django admin's included. Failures
# count per account and address together, so an attacker locks only their own address out of the
# account and its owner still signs in from anywhere else; an address that fails on many accounts
# is locked for all of them (pembinaan.lockout). Attempts are kept in the database, so the lockout
# holds while Redis is down; administrators see and clear them in the admin (Axes).
AXES_HANDLER = "pembinaan.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
# Ours, not an axes setting: failures from one address over all accounts (pembinaan.lockout).
LOGIN_FAILURES_PER_ADDRESS = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A refused attempt during the lockout does not move its end: the time the page names holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "pegawai.backends.login_key"
AXES_CLIENT_IP_CALLABLE = "pembinaan.lib.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "pembinaan.views.login_dikunci"
# Proxies whose X-Forwarded-For is believed (pembinaan.lib.client_address); empty = none, the
# connecting address is the client's.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES")
# Who may read /metrics (pembinaan.operasi): the addresses or networks of the monitoring system,
# the loopback by default. The address is the client's as TRUSTED_PROXIES lets it be read.
METRIKA_IZIN = envnetworks("METRIKA_IZIN") or [
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
]
# Two-factor sign-in (pegawai.dua_faktor, docs/dua-faktor.md): administrators, the province's HR
# and units' HR must pass a code from an authenticator app (TOTP) or a recovery code after their
# password; everybody else may enrol. Off, nobody is asked for the second step: only for a test
# suite or a laptop, never in production.
DUA_FAKTOR_WAJIB = envbool("DUA_FAKTOR_WAJIB", True)
OTP_TOTP_ISSUER = "SIBINA Provinsi Jambi"
# Wrong codes wait 1, 2, 4, 8 ... seconds before the next try (django-otp's throttling, per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Single sign-on through the province's OpenID Connect provider (pegawai.sso, docs/sso.md). Off
# while OIDC_RP_CLIENT_ID is empty; a half configuration fails `manage.py check` (pembinaan.E003).
# Either OIDC_OP_DISCOVERY (the issuer's URL) or the endpoints one by one (these win).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_DISCOVERY = os.environ.get("OIDC_OP_DISCOVERY", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "").strip() or "openid profile"
# The claim (in the ID token or from the userinfo endpoint) that carries the pegawai's NIP.
OIDC_NIP_CLAIM = os.environ.get("OIDC_NIP_CLAIM", "").strip() or "nip"
OIDC_USE_PKCE = envbool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)  # seconds for each call to the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_kembali"
# Accounts are made by HR in SIBINA, never by a sign-in (pegawai.sso.NipBackend refuses first).
OIDC_CREATE_USER = False
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
# Sessions are rows in the database (Django's default `db` backend), never in Redis: a Redis
# outage cannot sign anybody out or keep anybody from signing in, and emptying the cache ends no
# session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Dates as 27/11/2026; numbers are grouped explicitly with |intcomma, never implicitly,
# so that years and ids are not printed as "2.026".
FORMAT_MODULE_PATH = ["pembinaan.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: MEDIA_ROOT is never served as static files.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Where `manage.py cadangkan` (make backup) writes its backups (docs/backup.md).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", "") or BASE_DIR / "cadangan")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Submissions of each public form (feedback, survey, forum registration, a reply, a response to an
# innovation) allowed per address and hour.
PUBLIC_FORMS_PER_HOUR = envint("PUBLIC_FORMS_PER_HOUR", 5)
IMPOR_MAX_BYTES = envint("IMPOR_MAX_BYTES", 10 * 1024 * 1024)
IMPOR_MAX_ROWS = envint("IMPOR_MAX_ROWS", 20_000)

REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache has a Redis database of its own: emptying it (cache.clear(), an operator's first
# reflex, and each test's) must not drop the tasks waiting in the broker's database.
CACHE_URL = os.environ.get("CACHE_URL", "") or (
    redis_next_database("REDIS_URL", REDIS_URL) if REDIS_URL else ""
)
if CACHE_URL and REDIS_URL:
    if redis_database("CACHE_URL", CACHE_URL) == redis_database("REDIS_URL", REDIS_URL):
        raise ImproperlyConfigured("CACHE_URL must not be the Celery broker's database (REDIS_URL)")
# A release starts with an empty cache: the prefix carries it (and the database's name, so that
# two instances sharing one Redis, staging and production or CI and a benchmark, never read each
# other's values). docs/operations.md says how RELEASE is set.
RELEASE = os.environ.get("RELEASE", "") or release_default(BASE_DIR)
CACHE_KEY_PREFIX = f"{Path(str(DATABASES['default']['NAME'])).name}:{RELEASE}"
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's own Redis backend; pembinaan.lib.cache.guarded is the one wrapper that makes
            # an outage cost speed, never a page. A Redis that hangs instead of refusing is given
            # up on after these timeouts (then left alone for a few seconds by guarded).
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis a laptop runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Tasks write their outcome into their row; nobody waits on a result, and sending one must not
# depend on the result backend being reachable.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A request that sends a task waits at most about a second for an unreachable broker; the row it
# made waits for the sweep (pembinaan.tasks.antrean_sapu_task) instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A task taken by a worker that then died (kill -9, a lost host) stays unacknowledged in Redis
# (acks_late) until this many seconds have passed; then a live worker puts it back on its queue
# (kombu's visibility timeout, checked every tenth of it, at most every 10 s). It must exceed the
# longest countdown a task is sent with (mail retries back off up to 10 minutes): a waiting task
# older than it is handed out again. A task that runs longer is safe (its claim, its row's lock).
TASK_VISIBILITY_SECONDS = envint("TASK_VISIBILITY_SECONDS", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_SECONDS,
    "unacked_restore_interval": max(1, min(10, TASK_VISIBILITY_SECONDS // 10)),
    "unacked_restore_throttle": 1,
}
# Queues by kind of work (docs/scaling.md), so that a night's summaries or a province's PDFs never
# hold up a password mail, and each kind can get workers of its own: `celery -A pembinaan.celery
# worker -Q pdf`. A worker started without -Q consumes every queue listed here (a laptop, the
# tests, a small instance with one worker). Every task of the project is routed by name below;
# tests/pembinaan/test_antrean_jenis.py fails when a new task has no route.
CELERY_TASK_DEFAULT_QUEUE = "celery"
ANTREAN = ["celery", "surel", "pdf", "impor", "ringkasan"]
CELERY_TASK_QUEUES = [Queue(name) for name in ANTREAN]
_ROUTES_BY_QUEUE = {
    # Mail and notifications: many small tasks that must leave within seconds.
    "surel": [
        "pegawai.tasks.akun_undangan_send_task",
        "pegawai.tasks.notifikasi_surel_task",
        "pegawai.tasks.notifikasi_susulan_task",
        "pegawai.tasks.notifikasi_ringkasan_task",
        "masyarakat.tasks.surel_warga_task",
        "masyarakat.tasks.surel_warga_susulan_task",
        "masyarakat.tasks.masukan_baru_task",
        "masyarakat.tasks.forum_pengingat_task",
        "pelatihan.tasks.sertifikat_pengingat_task",
        "evaluasi.tasks.pengingat_laporan_task",
        "evaluasi.tasks.periode_notify_task",
        "evaluasi.tasks.putaran_notify_task",
    ],
    # Documents (WeasyPrint): seconds of CPU and up to a few hundred MB each.
    "pdf": [
        "evaluasi.tasks.berkas_buat_task",
        "pembinaan.tasks.laporan_buat_task",
    ],
    # Uploaded imports: checked, then saved, row by row.
    "impor": [
        "pegawai.tasks.impor_check_task",
        "pegawai.tasks.impor_commit_task",
    ],
    # Summaries: the dashboards' figures, the nightly computations and the reports' data.
    "ringkasan": [
        "pembinaan.tasks.capaian_task",
        "pembinaan.tasks.capaian_program_task",
        "pembinaan.tasks.ringkasan_task",
        "pembinaan.tasks.ringkasan_segarkan_task",
        "pembinaan.tasks.ip_asn_task",
        "pembinaan.tasks.penempatan_talenta_task",
        "pembinaan.tasks.laporan_bulanan_task",
        "pembinaan.tasks.dampak_ringkasan_task",
        "pembinaan.tasks.ringkasan_bulan_task",
    ],
    # The rest: the sweep that re-sends lost work (it must run while the others are busy) and
    # the daily closing of unanswered feedback.
    "celery": [
        "pembinaan.tasks.antrean_sapu_task",
        # The heartbeat /healthz/ reads: a worker on the default queue answers it.
        "pembinaan.tasks.denyut_task",
        "masyarakat.tasks.masukan_tutup_task",
    ],
}
CELERY_TASK_ROUTES = {
    task: {"queue": queue} for queue, tasks in _ROUTES_BY_QUEUE.items() for task in tasks
}
# How long a worker's claim on a job (a report, a PDF, an import) holds without news from it. A
# thread of the working worker renews it every third of that (pembinaan.lib.claim), so a short
# lease costs nothing to a long job: a worker killed or stopped in the middle stops renewing, and
# a minute later the sweep sends the job again and another worker may claim it.
TASK_LEASE_SECONDS = envint("TASK_LEASE_SECONDS", 60)
# The longest a worker keeps renewing its claim: a job stuck beyond it (a hung PDF) is left to
# another worker, whose result counts; the stuck one's, should it ever finish, is discarded.
TASK_MAX_SECONDS = envint("TASK_MAX_SECONDS", 30 * 60)
# The dashboards' figures are made anew a few seconds after an import, a result decision or a
# verification (pembinaan.services.ringkasan_refresh_request); off, only the half-hourly job
# makes them (the integration tests' shared worker, which must not write while a test ends).
RINGKASAN_SEGERA = envbool("RINGKASAN_SEGERA", True)
# The heartbeat (pembinaan.lib.denyut): beat sends it every DENYUT_DETIK seconds, a worker runs
# it; /healthz/ fails the check of either when its last sign of life is older than the limit.
DENYUT_DETIK = 30
DENYUT_BATAS_DETIK = envint("DENYUT_BATAS_DETIK", 60)
CELERY_BEAT_SCHEDULE = {
    "denyut": {
        "task": "pembinaan.tasks.denyut_task",
        "schedule": timedelta(seconds=DENYUT_DETIK),
        # A heartbeat nobody ran in time is worth nothing later: no pile of them for a worker
        # that comes back.
        "options": {"expires": DENYUT_DETIK},
    },
    # Every morning before office hours in Jambi: make the self-reports of newly passed trainings
    # and send the reminders that fall due (each step once; a refused mail is retried next day).
    "pengingat-laporan-pasca-pelatihan": {
        "task": "evaluasi.tasks.pengingat_laporan_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Just after midnight: feedback whose response went unanswered for 10 working days closes.
    "masukan-tutup-otomatis": {
        "task": "masyarakat.tasks.masukan_tutup_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # Before the reminders: the program targets' actuals for today, so the dashboard and the
    # program page read one stored figure per target instead of a year of rows.
    "capaian-target-program": {
        "task": "pembinaan.tasks.capaian_task",
        "schedule": crontab(hour=5, minute=30),
    },
    # 04:30 WIB, after the night's imports and before the office opens: each pegawai's IP ASN of
    # the year stored (pembinaan.ip_asn), so the program page's province trend and OPD breakdown
    # are a GROUP BY over stored rows instead of scoring 100,000 pegawai per view.
    "ip-asn-tahunan": {
        "task": "pembinaan.tasks.ip_asn_task",
        "schedule": crontab(hour=4, minute=30),
    },
    # Every half hour: the dashboards' figures per unit (JP, self-reports due and late, feedback
    # waiting, predicates, IKM), so a dashboard reads a few rows instead of a million.
    "ringkasan-dashboard": {
        "task": "pembinaan.tasks.ringkasan_task",
        "schedule": crontab(minute="*/30"),
    },
    # Nightly, after the day's ratings and assessments: every pegawai's nine-box placement
    # (talent management), so the province's grid is a GROUP BY of one table.
    "penempatan-talenta": {
        "task": "pembinaan.tasks.penempatan_talenta_task",
        "schedule": crontab(hour=1, minute=30),
    },
    # Nightly, after the day's ratings: every finished batch's impact sums (pembinaan.dampak), so
    # the monitoring report reads a row per batch instead of every participant's ratings.
    "dampak-ringkasan": {
        "task": "pembinaan.tasks.dampak_ringkasan_task",
        "schedule": crontab(hour=1, minute=45),
    },
    # Nightly, after the day's imports and before the monthly report (06:00 on the first): the
    # figures per unit at the end of the month that ended last and every OPD's evidence of
    # training needs, so the report reads a row per unit instead of ten million JP entries and
    # two million participants (services.ringkasan_bulan_simpan). Every night of the next month,
    # so that JP and ratings recorded late for the month are taken in.
    "ringkasan-bulan": {
        "task": "pembinaan.tasks.ringkasan_bulan_task",
        "schedule": crontab(hour=2, minute=0),
    },
    # Every five minutes: work asked for while the broker was down is sent again.
    "antrean-sapu": {
        "task": "pembinaan.tasks.antrean_sapu_task",
        "schedule": crontab(minute="*/5"),
    },
    # Every quarter of an hour: notifications to be mailed at once that their own task could
    # not get out (a refusing mail server, a broker outage).
    "notifikasi-susulan": {
        "task": "pegawai.tasks.notifikasi_susulan_task",
        "schedule": crontab(minute="*/15"),
    },
    # 07:00 WIB, as the office opens: each digest reader's unread notifications in one mail.
    "notifikasi-ringkasan-harian": {
        "task": "pegawai.tasks.notifikasi_ringkasan_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # The first of each month at 06:00 WIB: the monitoring report of the month that just ended,
    # mailed to the administrators before they open the dashboard.
    "laporan-monitoring-bulanan": {
        "task": "pembinaan.tasks.laporan_bulanan_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    # Every quarter of an hour: citizens' mails (feedback status, forum confirmations and
    # reminders) that their own task could not get out (a refusing mail server, a broker outage).
    "surel-warga-susulan": {
        "task": "masyarakat.tasks.surel_warga_susulan_task",
        "schedule": crontab(minute="*/15"),
    },
    # 06:45 WIB, before the office opens: external certificates (BTCLS and the like) that expire
    # within 90 days are reminded to their holder and their unit's HR, once each.
    "sertifikat-eksternal-pengingat": {
        "task": "pelatihan.tasks.sertifikat_pengingat_task",
        "schedule": crontab(hour=6, minute=45),
    },
    # 08:00 WIB: the registrants of tomorrow's forums get their reminder (once each).
    "forum-pengingat": {
        "task": "masyarakat.tasks.forum_pengingat_task",
        "schedule": crontab(hour=8, minute=0),
    },
}

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SIBINA <sibina@jambiprov.go.id>")
# The address mails link to (reminders are sent by a job, without a request to build it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin SIBINA", a) for a in envlist("ADMIN_EMAILS", [])]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. With DEBUG off, `manage.py check --deploy` is clean.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# The policy is enforced; set CSP_REPORT_ONLY=1 to only report while trying out a change.
CSP_REPORT_ONLY = envbool("CSP_REPORT_ONLY", False)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Competency development (domain.md §2): the PNS right of at least 20 JP a year, the PPPK cap
# of 24 JP per contract year.
JP_TARGET_PNS = envint("JP_TARGET_PNS", 20)
JP_MAX_PPPK = envint("JP_MAX_PPPK", 24)
# Days after a batch ends that the post-training self-report (L3) is due (domain.md §4).
LAPORAN_PASCA_PELATIHAN_HARI = envint("LAPORAN_PASCA_PELATIHAN_HARI", 90)
# Where scholarship eligibility (pelatihan) reads the yearly performance predicates SIBINA holds:
# evaluasi keeps them, and sits above pelatihan, so pelatihan names no evaluasi module itself.
PREDIKAT_KINERJA_TAHUNAN = "evaluasi.reports.predikat_tahunan"
# Whether a pegawai sees their own nine-box placement (PermenPANRB 3/2020 leaves it to the
# instance). A province-wide policy that the PPK decides once, not a per-user preference: from
# the environment, off by default; talent data is otherwise read by administrators, the
# province's HR and the talent committee only (pembinaan.access).
TALENTA_TERLIHAT_PEGAWAI = envbool("TALENTA_TERLIHAT_PEGAWAI", False)
# Measured impact of trainings (L4, pembinaan.dampak, docs/dampak.md): the predicates compared
# are those of this kind of evaluation period, in the calendar slot (month, quarter, year) before
# a batch begins and the one after it ends; a group (peserta or pembanding) smaller than the
# minimum gives no figure.
DAMPAK_JENIS_PERIODE = os.environ.get("DAMPAK_JENIS_PERIODE", "triwulan")
DAMPAK_MIN_KELOMPOK = envint("DAMPAK_MIN_KELOMPOK", 10)
# L4 impact on a service unit (pembinaan.dampak_layanan): how many whole quarters before the
# training and after it are compared. Two a side is half a year of surveys and complaints: long
# enough to smooth one odd quarter, short enough that other changes blur the picture less.
DAMPAK_KUARTAL = envint("DAMPAK_KUARTAL", 2)

# LOG_FORMAT=json: every line a JSON object (time, level, logger, message), for a log collector;
# the web processes, gunicorn (pembinaan/gunicorn.py) and the Celery processes (pembinaan.celery).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "plain"
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(message)s"},
        "json": {"()": "pembinaan.lib.telemetri.JsonLines"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "skip_database_unavailable": {"()": "pembinaan.lib.database.SkipUnavailable"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        # Django's own, but for the requests that failed because PostgreSQL could not be
        # reached (a restart): they got the 503 maintenance page (pembinaan.views.server_error)
        # and are logged on the console, not mailed.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "skip_database_unavailable"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # A request Django refuses as suspicious (too many fields, too large a body) is answered
        # with a 400; it is the visitor's input, not an error for the admins' mailbox.
        "django.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The REST API (/api/v1/, pembinaan.api, docs/api.md): client systems call it with a token an
# administrator issued (pembinaan.models.KlienApi), never with a session. Each token may make
# API_RATE calls ("number/second|minute|hour|day", pembinaan.api.auth.batas_api); the counters
# are in the cache (Redis in production), as the public forms' limits are.
API_RATE = os.environ.get("API_RATE", "600/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["pembinaan.api.auth.TokenKlienAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["pembinaan.api.auth.KlienAktif"],
    "DEFAULT_THROTTLE_CLASSES": ["pembinaan.api.auth.BatasPerToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "pembinaan.api.pagination.KursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "pembinaan.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIBINA API",
    "DESCRIPTION": "API SIBINA untuk sistem lain: data pegawai, pelatihan, JP dan IKM sesuai "
    "cakupan unit token klien. Panduan: docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's JavaScript and CSS from our own static files (the sidecar package): the
    # Content-Security-Policy lets nothing load from elsewhere.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "JenisUnitEnum": "pegawai.models.UnitKerja.Jenis",
        "JenisPengembanganEnum": "pelatihan.models.JenisPengembangan",
        "JenjangPendidikanEnum": "pegawai.models.Pegawai.Pendidikan",
    },
}

# Errors to Sentry (web and workers) and beat's periodic tasks as its cron monitors, when
# SENTRY_DSN is set; no personal data is sent (pembinaan.lib.telemetri).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from pembinaan.lib.telemetri import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        release=RELEASE,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "")
        or ("development" if DEBUG else "production"),
    )
