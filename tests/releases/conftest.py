import pytest


@pytest.fixture
def releases_dir(settings, tmp_path):
    """Each test writes its releases into its own directory."""
    settings.TRACKER_RELEASES_DIR = tmp_path / "releases"
    return settings.TRACKER_RELEASES_DIR
