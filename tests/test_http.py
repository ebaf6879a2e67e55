"""tracker.http.client_ip: X-Forwarded-For is believed only as far as the
configured number of trusted proxies wrote it."""

import pytest
from django.test import RequestFactory

from tracker.http import client_ip


def _request(forwarded=None, remote="203.0.113.9"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        # No proxy of one's own: the header is the client's word, ignored.
        (0, "198.51.100.7", "203.0.113.9"),
        (0, None, "203.0.113.9"),
        # One proxy appends the address it saw: the rightmost entry.
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # Two proxies: the second from the right; the forged left is ignored.
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies: the request skipped one; the leftmost.
        (3, "198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Trusted proxies but no header (a direct request): the socket.
        (1, None, "203.0.113.9"),
        (1, " , ", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_as_far_left_as_trusted_proxies_reach(
    settings, trusted, forwarded, expected
):
    settings.TRACKER_TRUSTED_PROXIES = trusted

    assert client_ip(_request(forwarded)) == expected


def test_by_default_the_forwarded_header_is_ignored():
    assert client_ip(_request("198.51.100.7")) == "203.0.113.9"
