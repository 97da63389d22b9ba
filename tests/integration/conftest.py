"""The integration tests: real services (see tests/workers.py for the Celery worker)."""

import pytest

from tests.services import private_postgresql, private_redis, start_server  # noqa: F401 - fixtures


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test starts from the tables a previous one emptied: put back the
    reference rows that the migrations load."""
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)
