"""The OpenAPI schema generates and validates without a warning, describes
every parameter, and the docs page loads nothing from a CDN."""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.management import call_command

CDN = re.compile(r"https?://(?!testserver)[^\"' ]+\.(?:js|css)", re.IGNORECASE)


def test_the_schema_generates_and_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning or error of the generator into a
    # non-zero exit (SystemExit here).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/productions/" in out.read_text()


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_every_parameter_is_described(schema):
    missing = [
        (path, parameter["name"])
        for path, item in schema["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", ())
        if not parameter.get("description")
    ]
    assert missing == []


def test_every_field_is_described(schema):
    missing = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, definition in component.get("properties", {}).items()
        if not definition.get("description")
    ]
    assert missing == []


def test_the_filters_are_in_the_schema(schema):
    names = {
        p["name"] for p in schema["paths"]["/api/v1/productions/"]["get"]["parameters"]
    }
    assert {"ic_status", "kind", "year_min", "network", "coordinator"} <= names
    assert {"search", "ordering", "page", "page_size", "format"} <= names


@pytest.mark.parametrize("url", ("/api/docs/", "/api/docs/redoc/"))
def test_the_docs_load_nothing_from_a_cdn(api, url):
    response = api.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    if url == "/api/docs/":
        # Swagger UI's init code, served apart for the CSP, names the schema.
        script = api.get(url, {"script": ""})
        assert script["Content-Type"].startswith("application/javascript")
        html += script.content.decode()
    assert "/api/schema/" in html
    assert "static/drf_spectacular_sidecar" in html
    assert not CDN.findall(html)
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_concurrent_first_requests_for_the_schema_all_succeed(live_server):
    """A threaded server generating the schema for several clients at once
    answers every one (drf-spectacular's generation is not thread-safe)."""
    url = f"{live_server.url}/api/schema/?format=json"

    def fetch(_):
        return httpx.get(url, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(fetch, range(18)))
    assert codes == [200] * 18
