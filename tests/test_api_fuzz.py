"""Schemathesis fuzzes every operation of /api/schema/ against the app in
process, once as an anonymous reader and once as staff with an API token:
no answer is a 5xx and every answer (status, content type, body) is the
one the schema documents.

The schema is read from the running app when the module is collected, so
an endpoint added later is fuzzed without touching this file.
"""

import pytest
import schemathesis
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests import factories
from tests.web.news_factories import ArticleMatchFactory, NewsArticleFactory
from tracker.api.views import LEADS_MATCH_NOTHING, REVIEW_QUEUE_STAFF_ONLY
from tracker.models import ApiToken
from tracker.models.awards import OUTCOME_BODY_MESSAGE
from tracker.models.sources import (
    CITATION_REQUIRED_MESSAGE,
    DEPRECATION_DATE_MESSAGE,
    DEPRECATION_REASON_MESSAGE,
    VERBATIM_NOT_FOUND_MESSAGE,
)

# Bounded so the whole module runs in about a minute on two cores; the
# examples are derandomized, so a failure reproduces on every run.
EXAMPLES_PER_OPERATION = 6

config = SchemathesisConfig.from_dict(
    {
        # PostgreSQL cannot store NUL, so the request guard refuses it in
        # any query string (tests/test_hostile_input.py proves that).
        "generation": {"allow-x00": False},
        # 414 is how the guard refuses an overlong query string: a correct
        # refusal of invalid data that schemathesis' default list lacks.
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, 414]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=config
)

fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    # The db fixture is per test; every example shares its transaction,
    # which is what is wanted: writes pile up like a real session's.
    suppress_health_check=list(HealthCheck),
)


# What DRF and django-filter say of a slug naming no record, or of a slug
# or URL already taken, and the citation rule, which depends on other
# fields (OpenAPI 3.0 has no if/then). A schema cannot know which records
# exist, so these are the only 400s a well-formed request may get; any
# other refusal of schema-valid data is a failure.
UNKNOWN_RECORD_MESSAGES = (
    "does not exist.",
    "Select a valid choice. That choice is not one of the available choices.",
    "already exists.",
    CITATION_REQUIRED_MESSAGE,
    # The evidence rules tie fields together too: a deprecation's date and
    # reason, a verbatim quote and its citations' passages, a mention's
    # outcomes and its award bodies.
    DEPRECATION_REASON_MESSAGE,
    DEPRECATION_DATE_MESSAGE,
    VERBATIM_NOT_FOUND_MESSAGE.rsplit("}", 1)[-1],
    OUTCOME_BODY_MESSAGE.rsplit("}", 1)[-1],
    # A parameter open to staff only; OpenAPI cannot tie a parameter to who
    # is asking, so the schema lists it for everyone.
    REVIEW_QUEUE_STAFF_ONLY,
    # ?leads=true with the review status of a match: two parameters
    # together, which OpenAPI cannot relate either.
    LEADS_MATCH_NOTHING,
)


# Errors of a rule between fields (a model constraint such as "evidence is
# needed once the IC status is known", reported against one of its fields,
# or an error of the whole record): OpenAPI 3.0 cannot state a rule
# between fields, so the schema cannot promise against them.
CONSTRAINT_MESSAGES = tuple(
    message
    for model in apps.get_app_config("tracker").get_models()
    for _, message in getattr(model, "constraint_errors", {}).values()
)
CROSS_FIELD_KEYS = frozenset({"__all__", "non_field_errors"})


def _field_messages(body):
    """Every message of a 400 body, except those about the whole record."""
    if isinstance(body, str):
        yield body
    elif isinstance(body, list):
        for item in body:
            yield from _field_messages(item)
    elif isinstance(body, dict):
        for key, item in body.items():
            if key not in CROSS_FIELD_KEYS:
                yield from _field_messages(item)


def _refuses_only_what_a_schema_cannot_know(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict) or not body:
        return False
    return all(
        message.endswith(UNKNOWN_RECORD_MESSAGES) or message in CONSTRAINT_MESSAGES
        for message in _field_messages(body)
    )


@schemathesis.check
def well_formed_requests_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, except a 400 that only says
    what the schema cannot know: a named record missing or taken, or a
    rule between fields."""
    generation = case.meta.generation if case.meta else None
    if generation is None or not generation.mode.is_positive:
        return None
    if response.status_code == 400 and _refuses_only_what_a_schema_cannot_know(
        response
    ):
        return None
    if response.status_code == 400:
        raise Failure(
            operation=case.operation.label,
            title="Schema-valid request rejected",
            message=f"400 for a well-formed request: {response.text[:500]}",
        )
    return None


CHECKS = {
    "excluded_checks": [positive_data_acceptance],
    "additional_checks": [well_formed_requests_accepted],
}


@pytest.fixture
def _connection_kept():
    """The WSGI handler closes the connection around each request, which
    inside the test's transaction closes it for good (PostgreSQL). Django's
    test client does the same as this while it sends a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def dataset(db, settings, _connection_kept):
    """A small tracker: one of each record, linked, so lists and filters
    have rows to serialize."""
    # Throttling has its own tests; here it would only turn examples into 429s.
    settings.TRACKER_API_ANON_RATE = "100000/min"
    settings.TRACKER_API_TOKEN_RATE = "100000/min"
    production = factories.one_of_each()
    # The news: an approved article, and a lead (one matching nothing).
    ArticleMatchFactory(production=production)
    NewsArticleFactory(award_mention=True)


@pytest.fixture
def staff_headers(dataset):
    """Staff holding every permission on the tracker's records, so writes
    reach the serializers and services instead of stopping at a 403."""
    user = factories.StaffFactory(username="fuzzing-staff")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="tracker")
    )
    _, key = ApiToken.issue(user, name="fuzzing")
    return {"Authorization": f"Token {key}"}


@pytest.mark.slow
@schema.parametrize()
@fuzz_settings
def test_anonymous_reader_gets_documented_answers(case, dataset):
    case.call_and_validate(**CHECKS)


@pytest.mark.slow
@schema.parametrize()
@fuzz_settings
def test_staff_with_token_gets_documented_answers(case, staff_headers):
    case.call_and_validate(headers=staff_headers, **CHECKS)
