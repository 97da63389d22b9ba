"""Who is calling: the client system behind an `Authorization: Bearer <token>` header (or
`Token <token>`), its scope, and its rate limit."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions, throttling

from pembinaan.access import CakupanKlien
from pembinaan.lib import ratelimit
from pembinaan.models import KlienApi

# last_used_at is written when it is older than this: a client calling ten times a second costs
# one UPDATE a minute, not ten a second.
TERAKHIR_DIPAKAI_SELANG = timedelta(minutes=1)


class TokenKlienAuthentication(authentication.BaseAuthentication):
    """request.auth is the client's scope (CakupanKlien); request.user stays anonymous, so that
    nothing a client writes is recorded as some person's act (the history shows no author)."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Header Authorization harus berbentuk 'Bearer <token>'."
            )
        klien = KlienApi.objects.filter(token_sha256=KlienApi.token_hash(header[1])).first()
        if klien is None:
            raise exceptions.AuthenticationFailed("Token tidak dikenal.")
        if not klien.is_aktif:
            raise exceptions.AuthenticationFailed(
                f"Token ini dicabut pada {timezone.localtime(klien.dicabut_at):%d/%m/%Y %H.%M} "
                "WIB. Minta token baru kepada administrator SIBINA."
            )
        now = timezone.now()
        last = klien.terakhir_dipakai_at
        if last is None or now - last >= TERAKHIR_DIPAKAI_SELANG:
            KlienApi.objects.filter(pk=klien.pk).update(terakhir_dipakai_at=now)
            klien.terakhir_dipakai_at = now
        return AnonymousUser(), CakupanKlien(klien)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="SIBINA API"'


class KlienAktif(permissions.BasePermission):
    """Every endpoint but the schema and its page: a valid token."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, CakupanKlien):
            return True
        raise exceptions.NotAuthenticated(
            "Sertakan token klien: header 'Authorization: Bearer <token>'."
        )


class BatasPerToken(throttling.BaseThrottle):
    """settings.API_RATE calls per token ("600/hour"), counted in a fixed window by the project's
    one rate limiter (pembinaan.lib.ratelimit: in Redis, not enforced while Redis is out, which
    costs no call). Calls without a token are refused before they count."""

    def __init__(self):
        self.key, self.window = "", 0

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, CakupanKlien):
            return True
        limit, self.window = batas_api()
        self.key = f"api:{request.auth.klien.pk}"
        return ratelimit.allow(self.key, limit=limit, window_seconds=self.window)

    def wait(self) -> int:
        # A fixed window: the seconds left until its count starts again.
        return ratelimit.seconds_left(self.key, window_seconds=self.window)


PERIODE_DETIK = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def batas_api() -> tuple[int, int]:
    """settings.API_RATE as (calls, seconds): "600/hour" is (600, 3600)."""
    try:
        count, period = settings.API_RATE.split("/")
        return int(count), PERIODE_DETIK[period.strip()[0]]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"API_RATE must read like 600/hour (per second, minute, hour or day), "
            f"got {settings.API_RATE!r}"
        ) from None
