from tests.news.conftest import fake_internet, feed_server  # noqa: F401
