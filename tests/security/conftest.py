import pytest

from tests.security.figures import Tally


@pytest.fixture
def tally(request):
    """Counts this test's checks for the figures printed at the end of the run (tests/security/figures.py)."""
    counts = Tally()
    yield counts
    request.node.user_properties.append(counts.as_property())
