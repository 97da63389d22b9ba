import pytest

from tests import factories


@pytest.fixture
def batch(cast):
    return factories.angkatan(kuota=3)
