"""Single sign-on through the province's OpenID Connect provider (mozilla-django-oidc), docs/sso.md.

Switched on by the environment (settings OIDC_*): without a client id nothing changes, and with
one the password login stays beside it. The provider says who signed in by the NIP claim
(OIDC_NIP_CLAIM); SIBINA signs in the account of the active pegawai with that NIP. It creates no
account and takes no role from the provider: a NIP matching nobody, a pegawai without an account
or an inactive one is refused with a message for the login page.

Nothing here talks to the provider before somebody chooses SSO: the backend is loaded for every
password login and every request of an SSO session, so it reads no endpoint when it is made, and
the discovery document is fetched only when a sign-in starts or comes back."""

from dataclasses import dataclass

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from requests.exceptions import RequestException

from . import nip as nip_rules
from .models import Pegawai

# The settings that say SSO is wanted; any of them set asks for a complete configuration.
CLIENT = ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET")
ENDPOINTS = {
    # setting: the discovery document's key
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
SIGN_ALGOS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512")
DISCOVERY_PATH = "/.well-known/openid-configuration"

TIDAK_TERHUBUNG = (
    "Layanan SSO Pemprov Jambi tidak dapat dihubungi saat ini. Silakan masuk dengan nama "
    "pengguna atau NIP dan kata sandi SIBINA Anda."
)


class PenyediaGagal(Exception):
    """The provider could not be reached or answered something unusable."""


def configuration_problems() -> list[str]:
    """What is missing or wrong in the OIDC settings, in words for `manage.py check`; empty when
    SSO is complete or not configured at all."""
    given = [name for name in (*CLIENT, "OIDC_OP_DISCOVERY", *ENDPOINTS) if _setting(name)]
    if not given:
        return []
    problems = [f"{name} is empty" for name in CLIENT if not _setting(name)]
    if not _setting("OIDC_OP_DISCOVERY"):
        needed = list(ENDPOINTS)
        if not settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            needed.remove("OIDC_OP_JWKS_ENDPOINT")  # HS* tokens are checked with the secret
        missing = [name for name in needed if not _setting(name)]
        if missing:
            problems.append(f"OIDC_OP_DISCOVERY is empty and so are {', '.join(missing)}")
    if settings.OIDC_RP_SIGN_ALGO not in SIGN_ALGOS:
        problems.append(
            f"OIDC_RP_SIGN_ALGO={settings.OIDC_RP_SIGN_ALGO!r} is not one of "
            + ", ".join(SIGN_ALGOS)
        )
    if not settings.OIDC_NIP_CLAIM:
        problems.append("OIDC_NIP_CLAIM is empty")
    return problems


def plain_http_urls() -> list[str]:
    """The provider's URLs set without TLS: tokens and the client secret would cross in clear."""
    names = ("OIDC_OP_DISCOVERY", *ENDPOINTS)
    return [name for name in names if _setting(name).lower().startswith("http://")]


def is_enabled() -> bool:
    """SSO is offered: configured, and completely."""
    return bool(_setting("OIDC_RP_CLIENT_ID")) and not configuration_problems()


@dataclass(frozen=True)
class Penyedia:
    """The provider's endpoints, from the settings or else its discovery document."""

    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str | None
    issuer: str | None


def penyedia() -> Penyedia:
    """The endpoints: each set explicitly wins, the rest from the discovery document (fetched
    here, once per sign-in step; signing in is rare enough that no cache is worth keeping)."""
    found = {name: _setting(name) for name in ENDPOINTS}
    issuer = None
    discovery = _setting("OIDC_OP_DISCOVERY")
    if discovery and not all(found.values()):
        document = _discovery_document(discovery)
        issuer = document.get("issuer")
        for name, key in ENDPOINTS.items():
            found[name] = found[name] or document.get(key) or ""
    required = [name for name in ENDPOINTS if name != "OIDC_OP_JWKS_ENDPOINT"]
    if not all(found[name] for name in required):
        raise PenyediaGagal("the discovery document lacks an endpoint")
    return Penyedia(
        authorization_endpoint=found["OIDC_OP_AUTHORIZATION_ENDPOINT"],
        token_endpoint=found["OIDC_OP_TOKEN_ENDPOINT"],
        userinfo_endpoint=found["OIDC_OP_USER_ENDPOINT"],
        jwks_uri=found["OIDC_OP_JWKS_ENDPOINT"] or None,
        issuer=issuer,
    )


def _discovery_document(discovery: str) -> dict:
    url = discovery.rstrip("/")
    if not url.endswith(DISCOVERY_PATH):
        url += DISCOVERY_PATH
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (RequestException, ValueError) as error:
        raise PenyediaGagal(f"discovery {url}: {error}") from error
    if not isinstance(document, dict):
        raise PenyediaGagal(f"discovery {url}: not a JSON object")
    return document


def _setting(name: str) -> str:
    return getattr(settings, name, "") or ""


class NipBackend(OIDCAuthenticationBackend):
    """Signs in the account of the pegawai whose NIP the provider's claim carries. Refusals
    leave their reason on the request (`request.sso_penolakan`) for the callback to show."""

    def __init__(self, *args, **kwargs):
        # Not the library's: it reads (and would discover) the endpoints on every password
        # login and every request of an SSO session.
        self.UserModel = auth.get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback of a sign-in that started here: never a password form's credentials.
        if request is None or "username" in kwargs or "password" in kwargs or not is_enabled():
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None
        self._provider = penyedia()
        self.OIDC_OP_TOKEN_ENDPOINT = self._provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self._provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self._provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the audience and issuer too."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued to another client")
        if self._provider.issuer and payload.get("iss") != self._provider.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        claims = {**payload, **userinfo}
        written = claims.get(settings.OIDC_NIP_CLAIM)
        nip = nip_rules.normalize(written if isinstance(written, str | int) else "")
        if not nip:
            return self._refuse(
                "Penyedia SSO tidak mengirimkan NIP Anda, sehingga SIBINA tidak tahu siapa Anda. "
                "Hubungi admin SSO Pemprov Jambi, atau masuk dengan kata sandi SIBINA."
            )
        shown = nip_rules.format_nip(nip)
        pegawai = Pegawai.objects.filter(nip=nip).select_related("user").first()
        if pegawai is None:
            return self._refuse(
                f"NIP {shown} dari SSO Pemprov Jambi tidak terdaftar sebagai pegawai di SIBINA. "
                "Hubungi pengelola kepegawaian unit Anda."
            )
        if not pegawai.aktif:
            return self._refuse(
                f"Pegawai dengan NIP {shown} berstatus nonaktif di SIBINA, sehingga tidak dapat "
                "masuk. Hubungi pengelola kepegawaian unit Anda bila ini keliru."
            )
        if pegawai.user is None:
            return self._refuse(
                f"Pegawai dengan NIP {shown} belum punya akun SIBINA. Mintalah pengelola "
                "kepegawaian unit Anda membuatkan akun, lalu masuk lagi dengan SSO."
            )
        if not pegawai.user.is_active:
            return self._refuse(
                f"Akun SIBINA untuk NIP {shown} nonaktif. Hubungi pengelola kepegawaian unit Anda."
            )
        return pegawai.user

    def _refuse(self, message: str) -> None:
        self.request.sso_penolakan = message
        return None

    def get_user(self, user_id):
        # As UsernameOrNipBackend: a login closed meanwhile ends its session.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class MasukView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page."""

    def __init__(self, **kwargs):
        # Not the library's: the endpoint may need the discovery document, fetched in get().
        self.__dict__.update(kwargs)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = penyedia().authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class KembaliView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signed in, or on the login page with why not."""

    def get(self, request):
        try:
            return super().get(request)
        except PenyediaGagal:
            return self._back(TIDAK_TERHUBUNG)
        except RequestException:  # the token or userinfo endpoint failed
            return self._back(TIDAK_TERHUBUNG)
        except SuspiciousOperation:  # a stale or replayed state, a token that does not verify
            return self._back(
                "Jawaban dari SSO Pemprov Jambi tidak dapat diterima (mungkin halaman masuk "
                "dibuka dua kali atau sudah kedaluwarsa). Silakan coba masuk dengan SSO "
                "sekali lagi."
            )

    def login_failure(self):
        reason = getattr(self.request, "sso_penolakan", None)
        if reason is None and self.request.GET.get("error"):
            reason = "Masuk dengan SSO dibatalkan atau ditolak oleh SSO Pemprov Jambi."
        return self._back(reason or "Masuk dengan SSO gagal. Silakan coba lagi.")

    def _back(self, message: str):
        messages.error(self.request, message)
        return redirect(settings.LOGIN_URL)
