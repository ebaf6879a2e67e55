"""Sharing and discovery: canonical links and share cards on every page,
sitemap.xml listing every record page, robots.txt pointing to it, and the
footer's licence and date of the last change."""

import re
import xml.etree.ElementTree as ET  # nosec B405: our own output

import pytest

from tests import factories
from tests.web.test_pages import text
from tracker.web.records import KINDS

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314  # nosec B314
    return {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}


def test_the_sitemap_lists_every_record_page(client):
    production = factories.one_of_each()
    factories.SourceFactory(slug="uncited")

    urls = sitemap_urls(client)

    assert f"http://testserver/productions/{production.slug}/" in urls
    assert "http://testserver/sources/uncited/" in urls
    for kind in KINDS:
        pages = {
            f"http://testserver{kind.detail_url(record)}"
            for record in kind.model.objects.all()
        }
        assert pages, kind.key
        assert pages <= urls, kind.key
        assert f"http://testserver{kind.index_url}" in urls


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_every_page_has_a_canonical_link_and_share_cards(client):
    factories.PersonFactory(name="Kate Winslet", slug="kate-winslet")

    for url, canonical in (
        ("/", "http://testserver/"),
        ("/people/kate-winslet/", "http://testserver/people/kate-winslet/"),
        ("/people/?search=kate", "http://testserver/people/?search=kate"),
        ("/search/?q=kate", "http://testserver/search/?q=kate"),
    ):
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="{canonical}">' in html, url
        assert f'<meta property="og:url" content="{canonical}">' in html, url
        for name in ("og:title", "og:description", "og:type", "og:site_name"):
            assert re.search(rf'<meta property="{name}" content="[^"]+">', html), url
        for name in ("twitter:card", "twitter:title", "twitter:description"):
            assert re.search(rf'<meta name="{name}" content="[^"]+">', html), url


def test_the_footer_carries_the_licence_and_the_last_change(client):
    person = factories.PersonFactory(slug="someone")
    changed = person.updated_at

    page = text(client.get("/people/someone/"))

    assert "open under CC BY 4.0" in page
    assert "Intimacy coordination awards tracker, licensed under CC BY 4.0" in page
    assert f"Data last changed {changed:%-d %B %Y}" in page
    html = client.get("/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
