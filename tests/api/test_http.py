"""HTTP conventions: ETags and 304, throttling with Retry-After (anonymous
readers by client address, token holders by user, counters in the shared
cache), CORS for GET, JSON rendered by orjson."""

import itertools

import pytest
from drf_orjson_renderer.renderers import ORJSONRenderer

from tests import factories as f

# --- ETag and 304 (from tracker.middleware.PublicCacheMiddleware) ------------


@pytest.mark.parametrize(
    "url",
    ("/api/v1/productions/", "/api/v1/productions/{slug}/", "/api/v1/summary/"),
)
def test_an_unchanged_response_is_a_304(api, url):
    production = f.ProductionFactory()
    url = url.format(slug=production.slug)
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_a_change_moves_the_etag(api):
    production = f.ProductionFactory(title="Before")
    url = f"/api/v1/productions/{production.slug}/"
    etag = api.get(url)["ETag"]
    production.title = "After"
    production.save()
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["title"] == "After"


def test_a_filtered_list_has_its_own_etag(api):
    f.ProductionFactory(start_year=2020)
    f.ProductionFactory(start_year=2024)
    everything = api.get("/api/v1/productions/")["ETag"]
    recent = api.get("/api/v1/productions/?year_min=2024")["ETag"]
    assert everything != recent


def test_an_error_carries_no_etag(api):
    response = api.get("/api/v1/productions/no-such-thing/")
    assert response.status_code == 404
    assert not response.has_header("ETag")


# --- Throttling --------------------------------------------------------------
# The throttles guard what costs: an answer from the response cache costs a
# cache read, so these requests each ask for a page nobody asked for yet.

_page_sizes = itertools.count(1)


def fresh() -> str:
    return f"/api/v1/organizations/?page_size={next(_page_sizes) % 100 + 1}"


@pytest.fixture
def three_per_minute(settings):
    settings.TRACKER_API_ANON_RATE = "3/min"


def test_anonymous_clients_are_throttled_with_retry_after(api, three_per_minute):
    for _ in range(3):
        assert api.get(fresh()).status_code == 200
    response = api.get(fresh())
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_throttle_counts_per_client_address(api, three_per_minute):
    for _ in range(3):
        api.get(fresh(), REMOTE_ADDR="192.0.2.1")
    other = api.get(fresh(), REMOTE_ADDR="192.0.2.2")
    assert other.status_code == 200


def test_token_holders_are_not_throttled_as_anonymous(token_client, three_per_minute):
    client = token_client(f.StaffFactory(username="curator"))
    codes = {client.get(fresh()).status_code for _ in range(5)}
    assert codes == {200}


def test_a_forwarded_header_is_ignored_without_trusted_proxies(api, three_per_minute):
    for n in range(3):
        api.get(fresh(), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    forged = api.get(fresh(), HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw(
    api, settings, three_per_minute
):
    settings.TRACKER_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(3):
        # Whatever the client writes on the left, the proxy appended its own.
        api.get(
            fresh(),
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 198.51.100.1",
            **proxy,
        )
    same_client = api.get(fresh(), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other_client = api.get(fresh(), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert same_client.status_code == 429
    assert other_client.status_code == 200


def test_token_holders_have_their_own_rate(token_client, api, settings):
    settings.TRACKER_API_ANON_RATE = "2/min"
    settings.TRACKER_API_TOKEN_RATE = "4/min"
    client = token_client(f.StaffFactory(username="curator"))

    codes = [client.get(fresh()).status_code for _ in range(5)]

    assert codes == [200, 200, 200, 200, 429]
    assert 0 < int(client.get(fresh())["Retry-After"]) <= 60
    # Readers from the same address still have their own allowance.
    assert api.get(fresh()).status_code == 200


def test_throttle_counters_live_in_the_shared_cache(api, shared_cache, settings):
    settings.TRACKER_API_ANON_RATE = "3/min"
    for _ in range(3):
        assert api.get(fresh()).status_code == 200

    # What another web process sees: the counter in Redis.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    (key,) = shared_cache.keys(f"{prefix}:*throttle_anon_127.0.0.1")
    assert shared_cache.exists(key)
    assert api.get(fresh()).status_code == 429


# --- CORS and rendering ------------------------------------------------------


def test_get_is_open_to_every_origin(api):
    response = api.get("/api/v1/productions/", HTTP_ORIGIN="https://example.net")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_allows_only_reads(api):
    response = api.options(
        "/api/v1/productions/",
        HTTP_ORIGIN="https://example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_json_is_rendered_by_orjson(api):
    response = api.get("/api/v1/productions/")
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    assert response["Content-Type"] == "application/json"


def test_detail_json_is_rendered_by_orjson(api):
    person = f.PersonFactory(name="Zoë")
    response = api.get(f"/api/v1/people/{person.slug}/")
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    # orjson writes UTF-8 as is, never \u escapes.
    assert "Zoë".encode() in response.content
