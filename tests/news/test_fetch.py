"""The fetcher against a real HTTP server on 127.0.0.1; private ranges that
must never be connected to are classified through a faked resolver."""

import gzip

import pytest

from tests.news.conftest import Route
from tracker.news import fetch
from tracker.news.fetch import (
    FeedAddressRefused,
    FeedHTTPError,
    FeedNetworkError,
    FeedTooLarge,
    FetchLimits,
    TooManyRedirects,
    feed_fetch,
    feed_url_check,
)

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
)


def fetch_local(url, **kwargs):
    return feed_fetch(url, allow_private=True, **kwargs)


def test_a_feed_is_fetched_with_an_honest_user_agent(feed_server):
    url = feed_server.route(
        "/feed", body=RSS, headers={"Content-Type": "application/rss+xml"}
    )

    result = fetch_local(url)

    assert result.status == 200
    assert result.content == RSS
    assert result.content_type == "application/rss+xml"
    (headers,) = feed_server.requests_to("/feed")
    assert headers["User-Agent"] == fetch.USER_AGENT
    assert "tracker" in headers["User-Agent"].lower()


def test_the_stored_etag_and_date_are_sent_and_a_304_has_no_body(feed_server):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Route(status=304)
        return Route(
            body=RSS, headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024"}
        )

    url = feed_server.route("/304", handler=conditional)

    first = fetch_local(url)
    second = fetch_local(url, etag=first.etag, last_modified=first.last_modified)

    assert (first.status, first.etag) == (200, '"v1"')
    assert second.not_modified and second.content == b""
    assert feed_server.requests_to("/304")[1]["If-Modified-Since"] == (
        "Mon, 01 Jan 2024"
    )


def test_a_gzipped_feed_is_decompressed(feed_server):
    url = feed_server.route("/gz", body=RSS, gzip=True)

    result = fetch_local(url)

    assert result.content == RSS
    assert "gzip" in feed_server.requests_to("/gz")[0]["Accept-Encoding"]


def test_a_declared_size_over_the_cap_is_refused_before_reading(feed_server):
    url = feed_server.route("/big", body=b"x" * 2000)

    with pytest.raises(FeedTooLarge, match="2000 bytes, more than the 1000-byte"):
        fetch_local(url, limits=FetchLimits(max_bytes=1000))


def test_the_cap_holds_while_streaming_without_a_length(feed_server):
    url = feed_server.route("/stream", body=b"x" * 5000, declare_length=False)

    with pytest.raises(FeedTooLarge, match="larger than the 1000-byte limit"):
        fetch_local(url, limits=FetchLimits(max_bytes=1000))


def test_a_gzip_bomb_is_stopped_by_the_cap_on_decompressed_bytes(feed_server):
    url = feed_server.route("/bomb", body=b"\0" * 3_000_000, gzip=True)
    assert len(gzip.compress(b"\0" * 3_000_000)) < 10_000

    with pytest.raises(FeedTooLarge):
        fetch_local(url, limits=FetchLimits(max_bytes=100_000))


def test_a_redirect_chain_is_followed_and_a_permanent_move_reported(feed_server):
    final = feed_server.route("/final", body=RSS)
    feed_server.route("/b", status=301, headers={"Location": "/final"})
    start = feed_server.route("/a", status=308, headers={"Location": "/b"})

    result = fetch_local(start)

    assert result.content == RSS
    assert result.redirects == [feed_server.url("/b"), final]
    assert result.permanent_url == final


def test_a_temporary_redirect_does_not_move_the_feed(feed_server):
    feed_server.route("/final", body=RSS)
    start = feed_server.route("/temporary", status=302, headers={"Location": "/final"})

    assert fetch_local(start).permanent_url is None


def test_a_redirect_loop_stops_after_five_hops(feed_server):
    feed_server.route("/loop1", status=302, headers={"Location": "/loop2"})
    start = feed_server.route("/loop2", status=302, headers={"Location": "/loop1"})

    with pytest.raises(TooManyRedirects, match="More than 5 redirects"):
        fetch_local(start)
    assert len(feed_server.seen) == 6


def test_a_server_too_slow_overall_is_abandoned(feed_server):
    url = feed_server.route("/slow", body=b"x" * 100, drip=0.05)

    with pytest.raises(FeedNetworkError, match="took too long"):
        fetch_local(url, limits=FetchLimits(total_timeout=0.5, read_timeout=5))


def test_a_server_that_never_answers_times_out(feed_server):
    url = feed_server.route("/silent", body=RSS, delay=2)

    with pytest.raises(FeedNetworkError, match="Timed out"):
        fetch_local(url, limits=FetchLimits(read_timeout=0.3))


def test_a_server_error_is_transient_and_a_404_is_not(feed_server):
    error_url = feed_server.route("/500", status=500)
    missing_url = feed_server.url("/missing")

    with pytest.raises(FeedHTTPError) as server_error:
        fetch_local(error_url)
    with pytest.raises(FeedHTTPError) as missing:
        fetch_local(missing_url)

    assert server_error.value.transient and server_error.value.status == 500
    assert not missing.value.transient and missing.value.status == 404


def test_a_429_carries_its_retry_after(feed_server):
    url = feed_server.route("/429", status=429, headers={"Retry-After": "120"})

    with pytest.raises(FeedHTTPError) as error:
        fetch_local(url)

    assert error.value.retry_after == 120
    assert error.value.transient


def test_nothing_reachable_refuses_a_closed_port():
    with pytest.raises(FeedNetworkError):
        fetch_local("http://127.0.0.1:9/", limits=FetchLimits(connect_timeout=1))


# --- the SSRF guard -----------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.2",
        "2130706433",
        "0x7f.1",
        "0177.0.0.1",
        "127.1",
        "0x7f000001",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "localhost",
    ],
)
def test_loopback_in_any_spelling_is_refused_without_a_request(feed_server, host):
    feed_server.route("/feed", body=RSS)

    with pytest.raises(FeedAddressRefused, match="public internet"):
        feed_fetch(f"http://{host}:{feed_server.port}/feed")

    assert feed_server.seen == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "not a public"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private|reserved"),
        ("192.0.2.10", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "inside ::ffff:a00:1"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:c0a8:101::1", "private"),
    ],
)
def test_non_public_addresses_are_refused_by_classification(address, reason):
    def resolve(host, port):
        return [address]

    with pytest.raises(FeedAddressRefused, match=reason):
        feed_url_check("https://feeds.example.org/rss", resolve=resolve)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    feed_url_check("https://feeds.example.org/rss", resolve=lambda h, p: [address])


def test_one_private_answer_among_public_ones_is_refused():
    def resolve(host, port):
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(FeedAddressRefused, match="10.0.0.7"):
        feed_url_check("https://feeds.example.org/rss", resolve=resolve)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_stats",
        "ftp://ftp.example.org/feed.xml",
        "javascript:alert(1)",
        "https://user:secret@feeds.example.org/rss",  # pragma: allowlist secret
        "http:///no-host",
    ],
)
def test_only_plain_http_and_https_urls_are_fetched(url):
    with pytest.raises(FeedAddressRefused):
        feed_fetch(url, allow_private=True)


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://[::1]/",
        "http://2130706433/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(feed_server, fake_internet, target):
    fake_internet["feeds.example.org"] = ["127.0.0.1"]
    fake_internet["2130706433"] = ["127.0.0.2"]
    feed_server.route("/jump", status=302, headers={"Location": target})

    with pytest.raises(FeedAddressRefused):
        feed_fetch(feed_server.url("/jump", host="feeds.example.org"))

    assert [path for path, _ in feed_server.seen] == ["/jump"]


def test_the_connection_goes_to_the_checked_address_with_the_original_host(
    feed_server, fake_internet
):
    """No second DNS lookup: the name is resolved once, checked, and the
    request is sent to that address with the name in the Host header."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    fake_internet.clear()
    lookups = []

    def rebinding(host, port):
        lookups.append(host)
        return next(answers)

    feed_server.route("/feed", body=RSS)
    result = feed_fetch(
        feed_server.url("/feed", host="rebind.example.org"), resolve=rebinding
    )

    assert result.content == RSS
    assert lookups == ["rebind.example.org"]
    (headers,) = feed_server.requests_to("/feed")
    assert headers["Host"] == f"rebind.example.org:{feed_server.port}"


def test_the_setting_lets_local_feeds_through(feed_server, private_feeds_allowed):
    from tracker.news.services import feed_limits

    url = feed_server.route("/feed", body=RSS)

    result = feed_fetch(
        url,
        allow_private=private_feeds_allowed.TRACKER_ALLOW_PRIVATE_FEEDS,
        limits=feed_limits(),
    )

    assert result.content == RSS
