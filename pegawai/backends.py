from django.contrib.auth.backends import ModelBackend

from . import nip as nip_rules
from .models import Pegawai


class UsernameOrNipBackend(ModelBackend):
    """Log in with the username or with the NIP of the pegawai linked to the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        nip = nip_rules.normalize(username or "")
        if len(nip) == nip_rules.NIP_LENGTH and nip.isdigit():
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
