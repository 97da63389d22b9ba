"""The one guard the pages of every app share. Per-row rules stay on the models
(`Pegawai.objects.visible_to`, `User.can_manage_unit`)."""

from django.core.exceptions import PermissionDenied


def require_manager(request) -> None:
    """403 unless the user is an admin or a pengelola kepegawaian."""
    if not request.user.is_manager:
        raise PermissionDenied("Halaman ini untuk pengelola kepegawaian.")
