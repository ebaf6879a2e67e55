"""Probes for a load balancer or orchestrator: /healthz says the process
answers (liveness), /readyz that it can serve, with the database, the
cache and the broker each reached (readiness)."""

import logging

from celery import current_app
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tracker.caching import cache_answers

logger = logging.getLogger(__name__)


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_check() -> None:
    if not cache_answers():
        raise RuntimeError("the cache did not return the value just stored")


def broker_check() -> None:
    # No retry: a readiness probe answers now; the orchestrator asks again.
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=0)


CHECKS = {"database": database_check, "cache": cache_check, "broker": broker_check}


@never_cache
@require_safe
def healthz(request):
    """Alive: answers without touching any service, so a database outage
    never gets a healthy process restarted."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_safe
def readyz(request):
    """Ready: 200 when every service answers, else 503 naming each failing
    part. The reason shown is the exception's class; its traceback is in
    the log."""
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            logger.exception("Readiness check failed: %s", name)
            checks[name] = f"failing: {type(exc).__name__}"
        else:
            checks[name] = "ok"
    failing = [name for name, outcome in checks.items() if outcome != "ok"]
    if failing:
        body = {"status": "unavailable", "failing": failing, "checks": checks}
        return JsonResponse(body, status=503)
    return JsonResponse({"status": "ready", "checks": checks})
