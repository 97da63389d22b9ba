"""HTML to PDF with WeasyPrint. Knows no models.

PDF templates carry their CSS inline and their images as data: URIs (charts and QR codes are
drawn server-side as SVG), so the fetcher allows data: and nothing else: a template that names a
remote or local URL renders without it instead of sending a request.
"""

import weasyprint
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
