"""tracker.middleware.PublicCacheMiddleware: anonymous GETs are answered
whole from the shared cache, keyed on URL, data version and negotiated
format; a write shows at once; staff and token holders always get a fresh
answer."""

import pickle
import uuid

import pytest
from rest_framework.test import APIClient

from tests import factories as f
from tracker.caching import DATA_VERSION_KEY, data_changed
from tracker.models import ApiToken, Production

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, stale-while-revalidate=300"


@pytest.fixture
def production():
    return f.ProductionFactory(title="I May Destroy You")


CACHED_URLS = {
    "api-list": "/api/v1/productions/",
    "api-detail": "/api/v1/productions/{slug}/",
    "api-summary": "/api/v1/summary/",
    "api-root": "/api/v1/",
    "case-page": "/",
    "record-page": "/productions/{slug}/",
}


@pytest.mark.parametrize("url", CACHED_URLS.values(), ids=CACHED_URLS.keys())
def test_a_second_anonymous_get_is_answered_from_the_cache(
    client, production, django_assert_num_queries, url
):
    url = url.format(slug=production.slug)
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Cache-Control"] == PUBLIC
    assert again["ETag"] == first["ETag"]
    # The site's headers come with the cached answer too.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["Content-Type"] == first["Content-Type"]


def test_each_negotiated_format_is_kept_apart(client, production):
    as_json = client.get("/api/v1/productions/", HTTP_ACCEPT="application/json")
    as_csv = client.get(
        f"/api/v1/productions/{production.slug}/", HTTP_ACCEPT="text/csv"
    )
    json_again = client.get(
        f"/api/v1/productions/{production.slug}/", HTTP_ACCEPT="application/json"
    )

    assert as_json["Content-Type"] == "application/json"
    assert as_csv["Content-Type"].startswith("text/csv")
    assert json_again["Content-Type"] == "application/json"
    assert json_again.json()["title"] == "I May Destroy You"
    assert as_csv["ETag"] != json_again["ETag"]


def test_after_a_write_the_next_get_shows_the_new_data(client, production):
    url = f"/api/v1/productions/{production.slug}/"
    assert client.get(url).json()["title"] == "I May Destroy You"

    production.title = "I May Destroy You (2020)"
    production.save()

    assert client.get(url).json()["title"] == "I May Destroy You (2020)"
    assert "(2020)" in client.get(f"/productions/{production.slug}/").content.decode()


def test_an_if_none_match_is_answered_from_the_version_alone(
    client, production, shared_cache, settings, django_assert_num_queries
):
    url = f"/api/v1/productions/{production.slug}/"
    etag = client.get(url)["ETag"]
    # Every stored answer gone: only the data version is left to go on.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    stored = list(shared_cache.scan_iter(f"{prefix}:*tracker:response:*"))
    assert stored
    shared_cache.delete(*stored)

    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == PUBLIC
    assert not list(shared_cache.scan_iter(f"{prefix}:*tracker:response:*"))


def test_a_write_by_another_process_invalidates_at_once(
    client, production, shared_cache, settings
):
    url = f"/api/v1/productions/{production.slug}/"
    client.get(url)
    # Another process's write: the data version it sets in the shared cache.
    # (A bulk update sends no signal, so only the version says it changed.)
    Production.objects.filter(pk=production.pk).update(title="Changed elsewhere")
    assert client.get(url).json()["title"] == "I May Destroy You"
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    (version_key,) = shared_cache.keys(f"{prefix}:*{DATA_VERSION_KEY}")
    # Django's Redis cache stores strings pickled.
    shared_cache.set(version_key, pickle.dumps(uuid.uuid4().hex))

    assert client.get(url).json()["title"] == "Changed elsewhere"


def test_a_staff_get_is_never_cached(client, production, staff_user):
    url = f"/api/v1/productions/{production.slug}/"
    client.get(url)
    Production.objects.filter(pk=production.pk).update(title="Unsignalled")
    staff = APIClient()
    staff.force_login(staff_user)

    response = staff.get(url)

    assert response.json()["title"] == "Unsignalled"
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")
    # The anonymous answer is the cached one, untouched by the staff GET.
    assert client.get(url).json()["title"] == "I May Destroy You"


def test_a_token_get_is_never_cached(client, production):
    url = f"/api/v1/productions/{production.slug}/"
    client.get(url)
    Production.objects.filter(pk=production.pk).update(title="Unsignalled")
    _, key = ApiToken.issue(f.StaffFactory(username="curator"))

    response = APIClient().get(url, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.json()["title"] == "Unsignalled"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/login/",  # sets the CSRF cookie
        "/api/docs/redoc/",  # carries this response's CSP nonce
        "/api/v1/productions/no-such-production/",  # not a 200
    ],
)
def test_what_is_personal_is_not_kept(client, production, url):
    first = client.get(url)
    again = client.get(url)

    assert not again.has_header("ETag")
    assert again.get("Cache-Control", "") != PUBLIC
    if "nonce-" in first.get("Content-Security-Policy", ""):
        assert first["Content-Security-Policy"] != again["Content-Security-Policy"]


CSV_EXPORT = "/api/v1/productions/?format=csv"


def test_a_csv_export_read_to_the_end_is_answered_from_the_cache(
    client, production, django_assert_num_queries
):
    first = client.get(CSV_EXPORT)
    assert first.streaming
    streamed = b"".join(first.streaming_content)

    with django_assert_num_queries(0):
        again = client.get(CSV_EXPORT)

    assert not again.streaming
    assert again.content == streamed
    assert b"I May Destroy You" in again.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == PUBLIC


def test_a_csv_export_left_half_read_is_not_kept(client, production):
    f.ProductionFactory.create_batch(3)
    first = client.get(CSV_EXPORT)
    # The header line, then the client is gone. (Not closed here: on
    # PostgreSQL closing the export's server-side cursor half-way breaks the
    # test's transaction, which production requests do not run in.)
    next(iter(first.streaming_content))

    again = client.get(CSV_EXPORT)

    assert again.streaming
    assert b"I May Destroy You" in b"".join(again.streaming_content)


def test_a_csv_export_over_the_limit_streams_afresh(client, production, monkeypatch):
    monkeypatch.setattr("tracker.middleware.STREAM_KEPT_BYTES", 10)
    first = client.get(CSV_EXPORT)
    assert len(b"".join(first.streaming_content)) > 10

    again = client.get(CSV_EXPORT)

    assert again.streaming
    assert b"I May Destroy You" in b"".join(again.streaming_content)


def test_a_write_during_an_export_keeps_it_under_the_old_version(client, production):
    first = client.get(CSV_EXPORT)
    chunks = iter(first.streaming_content)
    head = next(chunks)
    Production.objects.filter(pk=production.pk).update(title="Renamed Later")
    f.ProductionFactory(title="Saved Meanwhile")  # a signalled write
    b"".join([head, *chunks])

    again = client.get(CSV_EXPORT)

    assert again.streaming
    assert b"Saved Meanwhile" in b"".join(again.streaming_content)


@pytest.fixture
def cache_commands(shared_cache, monkeypatch):
    """Every command this process sends the shared cache, in order."""
    from django.core.cache import cache

    client = cache._cache.get_client()
    sent = []
    send = client.execute_command

    def counting(*args, **options):
        sent.append(args[0] if args[0] == "MGET" else f"{args[0]} {args[1]}")
        return send(*args, **options)

    monkeypatch.setattr(client, "execute_command", counting)
    return sent


def test_a_cached_answer_costs_one_round_trip_to_the_cache(
    client, production, cache_commands
):
    url = f"/productions/{production.slug}/"
    first = client.get(url)
    cache_commands.clear()

    again = client.get(url)

    assert again.content == first.content
    # The data version and the stored page, read together.
    assert cache_commands == ["MGET"]


def test_a_render_reads_the_data_version_once(client, production, cache_commands):
    from django.core.cache import cache

    version_key = cache.make_key(DATA_VERSION_KEY)
    # A record page also reads the footer's "last changed" and an API list
    # its count: each keyed on the version the whole response is kept under.
    for url, inner in (
        (f"/productions/{production.slug}/", "tracker:site:last-changed:"),
        ("/api/v1/productions/?page=1", "tracker:count:"),
    ):
        client.get(url)
        data_changed()
        cache_commands.clear()
        assert client.get(url).status_code == 200
        assert cache_commands[0] == "MGET"
        assert any(inner in command for command in cache_commands), cache_commands
        assert f"GET {version_key}" not in cache_commands


def test_a_url_keeps_one_answer_whatever_the_writes(
    client, production, shared_cache, settings
):
    url = f"/api/v1/productions/{production.slug}/"
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for title in ("One", "Two", "Three"):
        production.title = title
        production.save()
        assert client.get(url).json()["title"] == title
    # Each answer replaced the last: old versions do not pile up until
    # their TTL.
    assert len(list(shared_cache.scan_iter(f"{prefix}:*tracker:response:*"))) == 1
