import pytest


@pytest.fixture
def colleague(make_physio):
    """A second therapist at the same location, on the same hours as `physio`."""
    return make_physio("Priya Physio")
