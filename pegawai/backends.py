from django.contrib.auth.backends import ModelBackend

from . import nip as nip_rules
from .models import Pegawai


class UsernameOrNipBackend(ModelBackend):
    """Log in with the username or with the NIP of the pegawai linked to the account.

    A closed login with the right password is returned (Django's AllowAllUsersModelBackend
    pattern) so the login form says "Akun ini nonaktif" (AuthenticationForm.confirm_login_allowed)
    instead of "kata sandi salah", and django-axes does not count it as a failure (no
    user_login_failed). It never gets a session: the form refuses it, and get_user ends the
    session of a login closed meanwhile."""

    def user_can_authenticate(self, user) -> bool:
        return True

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        nip = _as_nip(username)
        if nip is not None:
            pegawai = (
                Pegawai.objects.filter(nip=nip, user__isnull=False).select_related("user").first()
            )
            if pegawai is not None:
                user = pegawai.user
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        # Falls back to the username; an unknown one still runs the password hasher (timing).
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_key(request, credentials: dict | None) -> str:
    """The one key django-axes counts an account's failed logins under (AXES_USERNAME_CALLABLE),
    however it was written: a NIP with or without spaces, dots or hyphens stands for its account's
    username, and a username counts in any case and without the spaces around it."""
    written = (credentials or {}).get("username") or request.POST.get("username") or ""
    nip = _as_nip(written)
    if nip is not None:
        username = (
            Pegawai.objects.filter(nip=nip, user__isnull=False)
            .values_list("user__username", flat=True)
            .first()
        )
        written = username or nip
    return written.strip().lower()


def _as_nip(written: str | None) -> str | None:
    nip = nip_rules.normalize(written or "")
    if len(nip) == nip_rules.NIP_LENGTH and nip.isdigit():
        return nip
    return None
