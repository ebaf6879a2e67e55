"""How PostgreSQL is asked to plan the reads that grow with the tracker:
exports read through server-side cursors are planned to be read whole, and
the list researchers filter most counts its total from one index, and a
network's productions are paged from another."""

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config.settings import base
from tests import factories as f
from tracker import choices as c
from tracker.api.filters import ProductionFilter
from tracker.models import Production
from tracker.selectors.records import production_list


def test_postgres_connections_plan_cursors_to_be_read_whole(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://tracker@db.example.org/tracker")
    assert base.database_from_env("unused.sqlite3")["OPTIONS"]["options"] == (
        "-c cursor_tuple_fraction=1.0"
    )
    # Options the deployment set in the URL are kept beside it.
    monkeypatch.setenv(
        "DATABASE_URL",
        "postgres://tracker@db.example.org/tracker?options=-c%20statement_timeout%3D5000",
    )
    assert base.database_from_env("unused.sqlite3")["OPTIONS"]["options"] == (
        "-c statement_timeout=5000 -c cursor_tuple_fraction=1.0"
    )


def test_postgres_connections_prepare_the_statements_they_repeat(monkeypatch):
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://tracker@db.example.org/tracker")
    options = base.database_from_env("unused.sqlite3")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == base.PREPARE_AFTER_RUNS
    # Behind a PgBouncer in transaction mode: Django's defaults, neither.
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "off")
    options = base.database_from_env("unused.sqlite3")["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
    # SQLite has no such option.
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS")
    assert "server_side_binding" not in base.database_from_env("x")["OPTIONS"]


@pytest.mark.django_db
def test_a_record_read_again_and_again_is_planned_once():
    if connection.vendor != "postgresql":
        # The settings test above holds; SQLite has no prepared statements.
        return
    productions = f.ProductionFactory.create_batch(base.PREPARE_AFTER_RUNS + 1)
    # A statement no other test sends: the suite shares one connection,
    # whose prepared statements outlive each test.
    statement = (
        '"tracker_production"."ic_notes" AS "ic_notes", '
        '"tracker_production"."kind" AS "kind" FROM "tracker_production" '
        'WHERE "tracker_production"."slug" = $1'
    )

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                [f"%{statement}%"],
            )
            return cursor.fetchone()[0]

    assert prepared() == 0
    for production in productions:
        # Each slug its own value: the statement is the same, bound apart.
        row = Production.objects.values_list("ic_notes", "kind").get(
            slug=production.slug
        )
        assert row == (production.ic_notes, production.kind)
    assert prepared() == 1


@pytest.mark.django_db
def test_the_test_database_connection_carries_it():
    if connection.vendor != "postgresql":
        # SQLite has no server-side cursors; the settings test above holds.
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"


@pytest.mark.django_db
def test_counting_one_kind_and_status_since_a_year_reads_only_the_index():
    f.ProductionFactory(
        kind=c.ProductionKind.SERIES, ic_status=c.ICStatus.USED, start_year=2020
    )
    f.ProductionFactory(kind=c.ProductionKind.FEATURE, start_year=2020)
    filterset = ProductionFilter(
        data={"kind": "series", "ic_status": "used", "year_min": "2001"},
        queryset=production_list(),
    )
    assert filterset.is_valid(), filterset.errors
    counted = filterset.qs.order_by()
    assert counted.count() == 1
    if connection.vendor != "postgresql":
        return
    # Rows of every kind and status, with statistics, so the planner weighs
    # the indexes by what they select, as on a real table (with two rows
    # and none, any index on ic_status costs the same).
    Production.objects.bulk_create(
        Production(
            slug=f"spread-{n}",
            title=f"Spread {n}",
            kind=kind,
            ic_status=status,
            ic_evidence="" if status == c.ICStatus.UNKNOWN else "studio_statement",
            start_year=1990 + n % 30,
        )
        for n, (kind, status) in enumerate(
            itertools.product(c.ProductionKind.values, c.ICStatus.values * 40)
        )
    )
    plan = _plan_forbidding_whole_table_reads(counted.count)
    assert "using production_kind_status_years" in plan, plan


@pytest.mark.django_db
def test_a_page_of_one_networks_productions_reads_them_in_title_order():
    networks = [
        f.OrganizationFactory(kind=c.OrganizationKind.NETWORK, slug=f"network-{n}")
        for n in range(50)
    ]
    # Each network carries a fiftieth of the productions, as one of the
    # hundred networks of the generated data carries a hundredth: walking
    # every title to find one network's would read fifty rows for each kept.
    Production.objects.bulk_create(
        Production(slug=f"carried-{n}", title=f"Carried {n:04}", network=network)
        for n, network in enumerate(networks * 60)
    )
    filterset = ProductionFilter(
        data={"network": "network-3"}, queryset=production_list()
    )
    assert filterset.is_valid(), filterset.errors
    second_page = filterset.qs.order_by("title")[25:50]
    assert [p.slug for p in second_page] == [
        f"carried-{3 + 50 * n}" for n in range(25, 50)
    ]
    if connection.vendor != "postgresql":
        return
    plan = _plan_forbidding_whole_table_reads(lambda: list(second_page.all()))
    assert "using production_network_title" in plan, plan


def _plan_forbidding_whole_table_reads(run_query) -> str:
    """PostgreSQL's plan for the first query `run_query` sends, with fresh
    statistics and no whole-table read allowed, which shows the index the
    query takes."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_production")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        with CaptureQueriesContext(connection) as sent:
            run_query()
        cursor.execute(f"EXPLAIN {sent.captured_queries[0]['sql']}")
        return "\n".join(row[0] for row in cursor.fetchall())
