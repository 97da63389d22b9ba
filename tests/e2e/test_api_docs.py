"""The API's documentation page in Chromium under the enforced Content Security Policy: Swagger
UI loads from SIBINA's own static files and draws the schema, with nothing refused."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_draws_the_schema_without_a_policy_violation(page, live_server):
    refused, outside = [], []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "SIBINA API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock-summary-path", has_text="/api/v1/pegawai/").count() >= 1
    assert refused == [] and outside == []
