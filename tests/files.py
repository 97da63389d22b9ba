"""Real files for upload tests: attachments are checked by their whole content, so a few bytes
that merely start like a PDF or a PNG are refused."""

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(format_name: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5d3b").save(buffer, format=format_name)
    return buffer.getvalue()
