import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory

from pembinaan.lib import uploads
from pembinaan.lib.uploads import GeneratedName, check_upload, file_response
from tests.files import image_bytes, pdf_bytes

HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
UUID_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg|csv|xlsx|bin)")


def test_a_real_pdf_passes_and_is_named_after_its_content():
    upload = check_upload(SimpleUploadedFile("Surat Tugas (final).PDF", pdf_bytes(2)))
    assert upload.name == "berkas.pdf"
    assert upload.read(5) == b"%PDF-"  # left at its start for storing


@pytest.mark.parametrize("format_name, extension", [("PNG", "png"), ("JPEG", "jpg")])
def test_a_real_image_passes_whatever_it_was_called(format_name, extension):
    upload = check_upload(SimpleUploadedFile("foto.pdf", image_bytes(format_name)))
    assert upload.name == f"berkas.{extension}"


@pytest.mark.parametrize(
    "content",
    [
        HTML,  # an HTML page renamed .pdf
        SVG,  # an image that is a script
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",  # a PDF's signature, then a page
        pdf_bytes()[:200],  # a PDF cut short
        image_bytes("PNG")[:60],  # a PNG cut short
        image_bytes("GIF"),  # an image, of a kind we do not take
        b"\x89PNG\r\n\x1a\n" + b"0" * 100,  # a PNG's signature, then nothing of a PNG
    ],
    ids=["html", "svg", "pdf-signature", "pdf-cut", "png-cut", "gif", "png-signature"],
)
def test_anything_that_does_not_parse_as_its_kind_is_refused(content):
    with pytest.raises(ValidationError, match="bukan salah satunya atau rusak"):
        check_upload(SimpleUploadedFile("berkas.pdf", content))


def test_a_pdf_only_field_refuses_an_image():
    with pytest.raises(ValidationError, match="harus PDF"):
        check_upload(SimpleUploadedFile("scan.png", image_bytes()), kinds=("PDF",))


def test_an_image_of_more_pixels_than_allowed_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 40 * 30 - 1)
    with pytest.raises(ValidationError, match="megapiksel"):
        check_upload(SimpleUploadedFile("foto.png", image_bytes(size=(40, 30))))


def test_a_generated_name_keeps_nothing_of_the_uploaders_name(settings):
    name = GeneratedName("kegiatan/%Y/")(None, "berkas.pdf")
    folder, base = name.rsplit("/", 1)
    assert re.fullmatch(r"kegiatan/\d{4}", folder) and UUID_NAME.fullmatch(base)
    assert base.endswith(".pdf")
    assert GeneratedName("x/")(None, "laporan.JPEG").endswith(".jpg")
    assert GeneratedName("x/")(None, "../../evil.html").endswith(".bin")


def test_a_generated_folder_is_the_wib_month(time_machine):
    # 06:30 WIB on 1 January is still 31 December in UTC.
    time_machine.move_to(datetime(2027, 1, 1, 6, 30, tzinfo=ZoneInfo("Asia/Jakarta")))
    name = GeneratedName("kegiatan/%Y/%m/")(None, "berkas.pdf")
    assert name.startswith("kegiatan/2027/01/")


def stored(tmp_path, content: bytes) -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("f", ContentFile(content))

    class Field:
        pass

    field = Field()
    field.storage = storage
    return FieldFile(None, field, name)


@pytest.mark.parametrize(
    "content, content_type, filename",
    [
        (pdf_bytes(), "application/pdf", "bukti-1.pdf"),
        (image_bytes("JPEG"), "image/jpeg", "bukti-1.jpg"),
        (HTML, "application/octet-stream", "bukti-1.bin"),
        (SVG, "application/octet-stream", "bukti-1.bin"),
    ],
)
def test_a_stored_file_is_served_as_an_inert_attachment(tmp_path, content, content_type, filename):
    response = file_response(RequestFactory().get("/"), stored(tmp_path, content), name="bukti-1")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
