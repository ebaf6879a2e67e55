"""Schemathesis fuzzes every operation of /api/schema/ against the app in
process, once as an anonymous reader and once as staff with an API token:
no answer is a 5xx and every answer (status, content type, body) is the
one the schema documents.

The schema is read from the running app when the module is collected, so
an endpoint added later is fuzzed without touching this file.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests import factories
from tracker.models import ApiToken

# Bounded so the whole module runs in about a minute on two cores; the
# examples are derandomized, so a failure reproduces on every run.
EXAMPLES_PER_OPERATION = 8

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    # The db fixture is per test; every example shares its transaction,
    # which is what is wanted: writes pile up like a real session's.
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def dataset(db, settings):
    """A small tracker: one of each record, linked, so lists and filters
    have rows to serialize."""
    # Throttling has its own tests; here it would only turn examples into 429s.
    settings.TRACKER_API_ANON_RATE = "100000/min"
    cache.clear()
    coordinator = factories.PersonFactory(name="Ita O'Brien")
    production = factories.ProductionFactory(title="I May Destroy You")
    factories.CreditFactory(production=production, person=coordinator)
    factories.AwardMentionFactory(coordinator=coordinator, production=production)
    factories.AwardOutcomeFactory(production=production)
    factories.StatementFactory(about_coordinator=coordinator)
    factories.PolicyFactory()
    factories.IndustryStatisticFactory()
    factories.CampaignMilestoneFactory()
    yield
    cache.clear()


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


@schema.parametrize()
@fuzz_settings
def test_anonymous_reader_gets_documented_answers(case, dataset):
    case.call_and_validate()


@schema.parametrize()
@fuzz_settings
def test_staff_with_token_gets_documented_answers(case, staff_headers):
    case.call_and_validate(headers=staff_headers)
