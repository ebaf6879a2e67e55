"""A boolean filter given a value that is neither true nor false is a 400
naming it; django-filter alone would answer the unfiltered list."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, parameter",
    [
        (
            "/api/v1/award-categories/?is_intimacy_coordination=maybe",
            "is_intimacy_coordination",
        ),
        ("/api/v1/news/?ic_related=perhaps", "ic_related"),
        ("/api/v1/news/?award_mention=2", "award_mention"),
    ],
)
def test_a_boolean_that_is_not_true_or_false_is_refused(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert parameter in response.json()


@pytest.mark.parametrize(
    "value, expected", [("true", 1), ("1", 1), ("false", 1), ("0", 1)]
)
def test_true_and_false_filter(client, value, expected):
    from tests import factories

    factories.AwardCategoryFactory(is_intimacy_coordination=True)
    factories.AwardCategoryFactory(is_intimacy_coordination=False)
    response = client.get(f"/api/v1/award-categories/?is_intimacy_coordination={value}")
    assert response.status_code == 200
    assert response.json()["count"] == expected
    wanted = value in ("true", "1")
    assert all(
        row["is_intimacy_coordination"] is wanted for row in response.json()["results"]
    )
