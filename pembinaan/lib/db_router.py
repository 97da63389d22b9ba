"""Reads from a read replica, when DATABASE_REPLICA_URL sets one (docs/scaling.md). Knows no
models.

The rule, simple on purpose: only a web request of a safe method (GET, HEAD, OPTIONS) reads from
the replica, and only when its user wrote nothing in the last REPLIKA_LAG_SECONDS. Everything else
reads the primary: a POST and whatever follows a write within it, every read inside
transaction.atomic, Celery tasks, management commands, the shell. So a user never misses what
they just wrote (a replica lags a little behind), and no job decides from a stale row.

"Wrote recently" is a signed cookie with the lag as its lifetime, set on any response to an unsafe
method and on any response of a request that wrote to the primary; it travels with the user, so it
holds across web replicas and without a session (a citizen's public form).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest

REPLICA = "replika"
PRIMARY = "default"
COOKIE = "baca_primer"
SALT = "pembinaan.lib.db_router"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The statements that change nothing; any other one sent to the primary is a write.
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW")

# Who may do what is never read from the replica: a deactivated login, a withdrawn role, a reset
# second factor or a lockout counts from the next request, however far the replica lags. Two
# kinds of reads go to the primary always:
# - every read of these models: the login, the many-to-many tables that link a login to something
#   (its groups and permissions, the units it is pengelola of), the session, the second factors
#   and axes' lockouts;
PRIMARY_ONLY_APPS = {"auth", "sessions", "otp_totp", "otp_static", "axes"}
# - the reads that decide a login's roles on models every page reads too (User._peran: the units
#   it manages, its pegawai row, whether it has subordinates), made through a manager that
#   carries this hint: `Pegawai.objects.db_manager(hints=HAK_AKSES)`.
HAK_AKSES = {"hak_akses": True}


def _decides_access(model, hints) -> bool:
    if hints.get("hak_akses"):
        return True
    if model is None:
        return False
    meta = model._meta
    user = settings.AUTH_USER_MODEL
    links_login = meta.auto_created is not False and any(
        field.related_model._meta.label == user
        for field in meta.concrete_fields
        if field.is_relation
    )
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label == user or links_login


# Whether this request may read from the replica now. Off unless the middleware says so: a task,
# a command or a request that wrote reads the primary.
_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def reads_replica() -> bool:
    return _replica_allowed.get() and not connections[PRIMARY].in_atomic_block


class ReplikaRouter:
    def db_for_read(self, model, **hints):
        if _decides_access(model, hints):
            return PRIMARY
        return REPLICA if reads_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def wrote_recently(request: HttpRequest) -> bool:
    value = request.get_signed_cookie(
        COOKIE, default=None, salt=SALT, max_age=settings.REPLIKA_LAG_SECONDS
    )
    return value is not None


def is_write(sql: str) -> bool:
    return not sql.lstrip().upper().startswith(READS)


def replika_middleware(get_response):
    """Decides where a request reads (see the module's docstring); before the session middleware,
    so that the session, too, is read from the primary right after a login."""

    def middleware(request: HttpRequest):
        wrote = []

        def watch(execute, sql, params, many, context):
            if is_write(sql):
                wrote.append(sql)
                _replica_allowed.set(False)  # the rest of this request reads what it wrote
            return execute(sql, params, many, context)

        safe = request.method in SAFE_METHODS
        token = _replica_allowed.set(safe and not wrote_recently(request))
        try:
            with connections[PRIMARY].execute_wrapper(watch):
                response = get_response(request)
        finally:
            _replica_allowed.reset(token)
        if not safe or wrote:
            response.set_signed_cookie(
                COOKIE, "1", salt=SALT, max_age=settings.REPLIKA_LAG_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )  # fmt: skip
        return response

    return middleware
