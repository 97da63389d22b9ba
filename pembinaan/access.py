"""Who may read what the program app shows (pegawai.access holds the shared vocabulary)."""

from pegawai.access import ALLOWED, Verdict, deny
from pegawai.models import User


def can_read_audit(user: User) -> Verdict:
    """The audit log: administrators all of it; HR (of units, or of the province) what is
    about their units, and province HR the province's own kinds too (pembinaan.audit._scope).
    Pegawai and atasan see their own records' history on their pages instead."""
    if user.is_manager:
        return ALLOWED
    return deny("Log audit dibaca oleh administrator dan pengelola kepegawaian.")
