import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    """No test sees pages another test left in the cache (locmem or Redis)."""
    if settings.PAGECACHE_ENABLED:
        from cityhall.library import pagecache

        pagecache.clear()
    yield


@pytest.fixture(autouse=True)
def _migration_data_in_transactional_tests(request):
    """Transactional tests (live server, on-commit mail) run on a database that an earlier one may have
    emptied: give them the roles and licences the data migrations make, as every deployment has them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if transactional:
        from tests.roles import ensure_roles

        request.getfixturevalue("transactional_db")
        ensure_roles()


def pytest_configure(config):
    """The security suite's figures (checks, held), summed over all workers, printed at the end."""
    from tests.security.figures import Figures

    if not config.pluginmanager.has_plugin("security-figures") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(Figures(), "security-figures")


@pytest.fixture
def tally(request):
    """Counts a security check's checks for the figures printed at the end (tests/security/figures.py)."""
    from tests.security.figures import Tally

    counts = Tally()
    yield counts
    request.node.user_properties.append(counts.as_property())
