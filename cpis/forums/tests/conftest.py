import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages and labels asserted in English (requests still choose their own language)."""
    with translation.override("en"):
        yield
