"""QR codes as inline SVG data URIs, for pages and PDFs alike. Knows no models."""

import segno


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)
