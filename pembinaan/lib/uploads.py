"""Uploaded files checked by their whole content, stored under a generated name and served back
as inert downloads. Knows no models.

A file is what it parses as, not what its name or its first bytes say: a PDF must open in
pypdf, an image must decode in Pillow. It is stored as `<uuid4>.<extension of that type>`, so
that nothing of the uploader's name reaches the disk, and served as an attachment with the type
its content shows and `nosniff`: a browser never renders an uploaded file as a page.
"""

import io
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .angka import angka

MAX_BYTES = 5 * 1024 * 1024
# More than a scan or a phone photo needs; decoding is bounded by it (a 5 MB PNG of one colour
# can declare a billion pixels).
MAX_PIXELS = 30_000_000


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str
    signature: bytes


KINDS = {
    "PDF": Kind("PDF", "pdf", "application/pdf", b"%PDF-"),
    "PNG": Kind("PNG", "png", "image/png", b"\x89PNG\r\n\x1a\n"),
    "JPEG": Kind("JPEG", "jpg", "image/jpeg", b"\xff\xd8\xff"),
}
DOCUMENT_OR_IMAGE = ("PDF", "PNG", "JPEG")
# Extensions a generated name may carry: the attachments' kinds and the imports' tables.
STORED_EXTENSIONS = {kind.extension for kind in KINDS.values()} | {"csv", "xlsx"}


def kind_of(head: bytes) -> Kind | None:
    """The kind whose signature `head` starts with; a hint only, `parses_as` decides."""
    return next((kind for kind in KINDS.values() if head.startswith(kind.signature)), None)


def parses_as(kind: Kind, content: bytes) -> bool:
    """Whether `content` opens, whole, as `kind`."""
    if kind.name == "PDF":
        return _is_pdf(content)
    return _is_image(content, kind.name)


def _is_pdf(content: bytes) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = reader.pages
        # Every page object is read: a header followed by garbage has none.
        return len(pages) > 0 and all(page.mediabox.width > 0 for page in pages)
    except Exception:  # noqa: BLE001 - a parser fed hostile input may raise anything: not a PDF
        return False


def _is_image(content: bytes, format_name: str) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content), formats=[format_name]) as image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.verify()
        with Image.open(io.BytesIO(content), formats=[format_name]) as image:
            # verify() checks the structure; load() decodes every pixel. A JPEG is decoded at
            # an eighth of its size: still the whole stream, in a sixty-fourth of the memory.
            image.draft("RGB", (image.width // 8 or 1, image.height // 8 or 1))
            image.load()
        return True
    except Exception:  # noqa: BLE001 - as above: not an image of this kind
        return False


def check_upload(upload, *, kinds=DOCUMENT_OR_IMAGE, max_bytes: int = MAX_BYTES):
    """The upload itself, renamed `berkas.<extension>` after the kind its whole content parses
    as, when its size is within `max_bytes` and it is one of `kinds`; a ValidationError in
    Indonesian otherwise. An empty or unchanged field (not an uploaded file) passes through."""
    if not upload or not hasattr(upload, "size"):
        return upload
    if upload.size > max_bytes:
        raise ValidationError(
            f"Berkas {angka(upload.size / 1_048_576, 1)} MB; paling besar "
            f"{max_bytes // 1_048_576} MB. "
            "Perkecil berkasnya lalu unggah lagi."
        )
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    upload.seek(0)
    kind = kind_of(content)
    if kind is None or kind.name not in kinds or not parses_as(kind, content):
        if len(kinds) == 1:
            raise ValidationError(
                f"Berkas harus {kinds[0]} yang utuh; isinya bukan {kinds[0]} atau rusak."
            )
        names = ", ".join(kinds[:-1]) + f" atau {kinds[-1]}"
        raise ValidationError(
            f"Berkas harus {names}; isinya bukan salah satunya atau rusak. "
            f"Gambar paling besar {MAX_PIXELS // 1_000_000} megapiksel."
        )
    upload.name = f"berkas.{kind.extension}"
    return upload


@deconstructible
class GeneratedName:
    """A FileField's upload_to: `<folder, strftime'd>/<uuid4 hex>.<extension>`. The extension is
    the one the name arrived with when it is a stored kind (check_upload names an upload after
    its content), else `bin`; nothing else of the uploader's name is kept."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if extension == "jpeg":
            extension = "jpg"
        if extension not in STORED_EXTENSIONS:
            extension = "bin"
        # The WIB date: at 06:30 on 1 January the UTC date is still the old year's.
        folder = timezone.localtime().strftime(self.folder).strip("/")
        return f"{folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, GeneratedName) and other.folder == self.folder


# A workbook SIBINA made itself (never an upload's kind: its signature is any zip's).
XLSX = Kind(
    "XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"
)


def file_response(request, field_file, *, name: str, kind: Kind | None = None):
    """A stored file as a download named `<name>.<extension of its type>`: always an attachment,
    with the type its content shows (`application/octet-stream` when it shows none of ours), or
    `kind` for a file SIBINA made, and `nosniff`, so that no browser renders it as a page,
    whatever it holds. A file gone from the storage (restored from an older backup, removed by
    hand) is a 404 page that says so."""
    from django.http import FileResponse
    from django.shortcuts import render

    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        pesan = (
            "Berkas ini tercatat, tetapi tidak ditemukan di penyimpanan server. Minta "
            "pengunggahnya mengunggah ulang, atau laporkan kepada admin SIBINA."
        )
        return render(request, "404.html", {"pesan": pesan}, status=404)
    if kind is None:
        kind = kind_of(handle.read(16))
        handle.seek(0)
    content_type = kind.content_type if kind else "application/octet-stream"
    extension = kind.extension if kind else "bin"
    response = FileResponse(
        handle, as_attachment=True, filename=f"{name}.{extension}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
