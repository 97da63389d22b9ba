"""The read replica's router (pembinaan.lib.db_router): where each read goes. The decisions, on
requests made by Django's RequestFactory through the middleware; a real streaming replica is in
tests/integration/test_replika.py."""

import time

import pytest
from django.core.signing import get_cookie_signer
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from pembinaan.lib import db_router
from pembinaan.lib.db_router import COOKIE, SALT, ReplikaRouter, replika_middleware
from tests.services import manage

router = ReplikaRouter()


def through_middleware(request, view):
    """The response, and where the view's reads went (the router's answer inside the view)."""
    seen = []

    def get_response(request):
        seen.append(router.db_for_read(None))
        view()
        seen.append(router.db_for_read(None))
        return HttpResponse("ok")

    response = replika_middleware(get_response)(request)
    return response, seen


def fresh_cookie() -> str:
    return get_cookie_signer(salt=COOKIE + SALT).sign("1")


def nothing():
    pass


def test_writes_and_migrations_go_to_the_primary_only():
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "pegawai") is True
    assert router.allow_migrate("replika", "pegawai") is False


def test_outside_a_web_request_reads_go_to_the_primary():
    """Celery tasks, management commands and the shell: no middleware said otherwise."""
    assert router.db_for_read(None) == "default"


def test_a_get_without_a_recent_write_reads_the_replica_and_sets_no_marker():
    response, seen = through_middleware(RequestFactory().get("/"), nothing)
    assert seen == ["replika", "replika"]
    assert COOKIE not in response.cookies
    assert router.db_for_read(None) == "default"  # after the request, as before it


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_method_reads_the_primary_and_marks_the_user(method, settings):
    settings.REPLIKA_LAG_SECONDS = 10
    response, seen = through_middleware(getattr(RequestFactory(), method)("/"), nothing)
    assert seen == ["default", "default"]
    marker = response.cookies[COOKIE]
    assert marker["max-age"] == 10 and marker["httponly"]


def test_a_user_who_wrote_recently_reads_the_primary():
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = fresh_cookie()
    _, seen = through_middleware(request, nothing)
    assert seen == ["default", "default"]


def test_the_marker_expires_after_the_lag(settings):
    settings.REPLIKA_LAG_SECONDS = 1
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = fresh_cookie()
    time.sleep(1.5)
    _, seen = through_middleware(request, nothing)
    assert seen == ["replika", "replika"]


def test_a_forged_marker_counts_for_nothing():
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = "1"
    _, seen = through_middleware(request, nothing)
    assert seen == ["replika", "replika"]


def test_reads_inside_a_transaction_go_to_the_primary(db):
    """pytest-django wraps a `db` test in a transaction: as transaction.atomic in a view."""
    with transaction.atomic():
        _, seen = through_middleware(RequestFactory().get("/"), nothing)
    assert seen == ["default", "default"]


@pytest.mark.django_db(transaction=True)
def test_a_get_that_writes_reads_the_primary_afterwards_and_marks_the_user():
    def write():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE django_session SET expire_date = expire_date WHERE 1 = 0")

    response, seen = through_middleware(RequestFactory().get("/"), write)
    assert seen == ["replika", "default"]
    assert COOKIE in response.cookies


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ("SELECT 1", False),
        ('  select "pegawai_pegawai"."id" FROM ...', False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ("INSERT INTO t VALUES (1)", True),
        ("UPDATE t SET a = 1", True),
        ("DELETE FROM t", True),
        ("WITH v (id) AS (VALUES (1)) UPDATE t SET a = 1 FROM v", True),
    ],
)
def test_which_statements_count_as_writes(sql, writes):
    assert db_router.is_write(sql) is writes


SHOW_DATABASES = (
    "from django.conf import settings; print(sorted(settings.DATABASES), "
    "getattr(settings, 'DATABASE_ROUTERS', []), "
    "'pembinaan.lib.db_router.replika_middleware' in settings.MIDDLEWARE)"
)


def test_without_a_replica_url_there_is_one_database_and_no_router():
    shown = manage("shell", "-c", SHOW_DATABASES, env={"DATABASE_REPLICA_URL": ""})
    assert shown.splitlines()[-1] == "['default'] [] False"


def test_a_replica_url_adds_the_replica_its_router_and_middleware():
    env = {"DATABASE_REPLICA_URL": "postgres://sibina@replika.invalid:5432/sibina"}
    shown = manage("shell", "-c", SHOW_DATABASES, env=env)
    assert shown.splitlines()[-1] == (
        "['default', 'replika'] ['pembinaan.lib.db_router.ReplikaRouter'] True"
    )


def test_who_may_do_what_is_read_from_the_primary_even_when_a_page_reads_the_replica():
    """A deactivated login, a withdrawn group, a reset second factor, a lockout count from the
    next request, however far the replica lags; the data pages show read the replica."""
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group, Permission
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pegawai.models import Pegawai, UnitKerja, User

    access = [User, User.groups.through, User.user_permissions.through, Session, Group,
              Permission, TOTPDevice, StaticDevice, AccessAttempt,
              UnitKerja.pengelola.through]  # fmt: skip
    seen = {}

    def view():
        for model in [*access, Pegawai, UnitKerja]:
            seen[model] = router.db_for_read(model)

    through_middleware(RequestFactory().get("/"), view)
    assert {seen[model] for model in access} == {"default"}
    assert seen[Pegawai] == seen[UnitKerja] == "replika"


def test_a_logins_roles_are_read_from_the_primary_while_the_page_reads_the_replica(
    reference_data, cast, settings
):
    """User._peran (the units a pengelola manages, an atasan's pegawai row and subordinates)
    through the router's hint. Outside a transaction (reference_data: a transactional test), as a
    GET may read the replica; the tests have no replica: a read sent there would fail."""
    from pegawai.models import Pegawai, User

    settings.DATABASE_ROUTERS = ["pembinaan.lib.db_router.ReplikaRouter"]
    roles = {}

    def view():
        assert Pegawai.objects.all().db == "replika"  # the page's own reads
        for login in (cast.pengelola, cast.atasan):
            user = User.objects.get(pk=login.pk)
            roles[login.username] = (user.unit_kelolaan_ids, user.pegawai_profil, user.is_atasan)

    through_middleware(RequestFactory().get("/"), view)
    assert roles == {
        "pengelola": ({cast.dinkes.pk, cast.yankes.pk}, None, False),
        "atasan": (frozenset(), cast.atasan_pegawai, True),
    }
