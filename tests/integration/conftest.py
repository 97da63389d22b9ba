"""The integration tests: real services (see tests/workers.py for the Celery worker)."""

import pytest

from tests.services import private_postgresql, private_redis, start_server  # noqa: F401 - fixtures


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _no_dashboard_refresh(settings):
    """Writes here queue no dashboard refresh on the session's worker (tests/workers.py)."""
    settings.RINGKASAN_SEGERA = False


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every integration test is transactional (tests/conftest.py reference_data)."""
