"""The list count is cached per query and data version, so a page does
not cost a full COUNT(*) on every request, yet no write goes unseen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tracker.models import Production

pytestmark = pytest.mark.django_db

URL = "/api/v1/productions/?page_size=1"


def _count_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.json()["count"], len(counts)


def test_count_is_computed_once_per_data_version(client):
    factories.ProductionFactory.create_batch(3)
    assert _count_queries(client) == (3, 1)
    assert _count_queries(client) == (3, 0)


def test_a_write_through_the_orm_refreshes_the_count(client):
    factories.ProductionFactory.create_batch(2)
    assert _count_queries(client)[0] == 2
    factories.ProductionFactory()
    assert _count_queries(client) == (3, 1)
    Production.objects.first().delete()
    assert _count_queries(client) == (2, 1)


def test_each_filter_has_its_own_count(client):
    factories.ProductionFactory(kind="series")
    factories.ProductionFactory(kind="feature")
    assert client.get(URL).json()["count"] == 2
    assert client.get(URL + "&kind=series").json()["count"] == 1


def test_an_empty_page_number_is_refused(client, db):
    response = client.get("/api/v1/productions/?page=")

    assert response.status_code == 400
    assert response.json()["page"] == ["A page number: 1 or more."]
