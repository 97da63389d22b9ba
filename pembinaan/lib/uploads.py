"""Uploaded files checked by what they contain, not by their name. Knows no models."""

from django.core.exceptions import ValidationError

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {"PDF": (b"%PDF",), "PNG": (b"\x89PNG",), "JPEG": (b"\xff\xd8\xff",)}
DOCUMENT_OR_IMAGE = ("PDF", "PNG", "JPEG")


def check_upload(upload, *, kinds=DOCUMENT_OR_IMAGE, max_bytes: int = MAX_BYTES):
    """The upload itself when its size is within `max_bytes` and its first bytes are those of
    one of `kinds`; a ValidationError in Indonesian otherwise. An empty or unchanged field (not
    an uploaded file) passes through."""
    if not upload or not hasattr(upload, "size"):
        return upload
    if upload.size > max_bytes:
        raise ValidationError(
            f"Berkas {upload.size / 1_048_576:.1f} MB; paling besar {max_bytes // 1_048_576} MB. "
            "Perkecil berkasnya lalu unggah lagi."
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(s) for kind in kinds for s in SIGNATURES[kind]):
        if len(kinds) == 1:
            raise ValidationError(f"Berkas harus {kinds[0]}; isinya bukan {kinds[0]}.")
        names = ", ".join(kinds[:-1]) + f" atau {kinds[-1]}"
        raise ValidationError(f"Berkas harus {names}; isinya bukan salah satunya.")
    return upload
