import pytest


@pytest.fixture(autouse=True)
def _empty_cache(clean_cache):
    """Password-reset counts and lockout notices live in the cache: each test starts with none."""
