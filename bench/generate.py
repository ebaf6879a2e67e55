"""Deterministic benchmark data: the same `--scale` and `--seed` always
give the same rows. Scale 1 is the size the performance issue names:
100k productions and 300k credits.

Productions are generated in blocks, each from a random stream seeded by
the block's first index, so growing the table in steps (10k, then 100k,
then 500k) gives the same rows on every run.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from tracker import choices
from tracker.models import (
    Citation,
    Credit,
    Organization,
    Person,
    Production,
    Source,
)

BATCH = 5000
WORDS = (
    "night summer river glass crown silent golden broken last city winter "
    "dance heart shadow paper empire velvet wild blue small secret promise "
    "harbour letters station fever honey iron garden north salt lantern"
).split()
GIVEN = "Ada Ben Cleo Dev Esme Finn Gia Hal Ines Jon Kit Lior Mae Nico Ona Pia".split()
FAMILY = "Okafor Silva Novak Berg Haddad Kaur Lind Moreau Ito Quinn Rossi Walsh".split()


@dataclass(frozen=True)
class Plan:
    productions: int
    people: int
    networks: int
    sources: int

    @classmethod
    def at(cls, scale: float) -> "Plan":
        return cls(
            productions=max(100, int(100_000 * scale)),
            people=max(60, int(40_000 * scale)),
            networks=max(5, min(200, int(200 * scale) or 5)),
            sources=max(20, int(10_000 * scale)),
        )


def _title(rng: random.Random, n: int) -> str:
    return f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}"


def clear() -> None:
    """Empty the tables the generator fills (history included)."""
    with transaction.atomic():
        for model in (Citation, Credit, Production, Person, Source, Organization):
            model.objects.all().delete()
            model.history.model.objects.all().delete()


def _ensure_base(plan: Plan, seed: int) -> tuple[list, list, list]:
    """Networks, people and sources: created once, then reused by every
    growth step."""
    if not Organization.objects.filter(slug="network-0").exists():
        rng = random.Random(seed)
        Organization.objects.bulk_create(
            Organization(
                name=f"Network {i}",
                slug=f"network-{i}",
                kind=choices.OrganizationKind.NETWORK,
            )
            for i in range(plan.networks)
        )
        Person.objects.bulk_create(
            (
                Person(
                    name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}",
                    slug=f"person-{i}",
                )
                for i in range(plan.people)
            ),
            batch_size=BATCH,
        )
        Source.objects.bulk_create(
            (
                Source(
                    title=f"Report {i}",
                    slug=f"report-{i}",
                    url=f"https://news.example.org/{i}",
                    publisher="Bench Press",
                )
                for i in range(plan.sources)
            ),
            batch_size=BATCH,
        )
    networks = list(
        Organization.objects.filter(slug__startswith="network-").order_by("pk")
    )
    people = list(Person.objects.filter(slug__startswith="person-").order_by("pk"))
    sources = list(Source.objects.filter(slug__startswith="report-").order_by("pk"))
    return networks, people, sources


def _production_block(start: int, stop: int, seed: int, base) -> None:
    networks, people, sources = base
    rng = random.Random(f"{seed}:{start}")
    statuses = list(choices.ICStatus)
    evidence = list(choices.ICEvidence)
    kinds = list(choices.ProductionKind)
    batch = []
    for n in range(start, stop):
        status = rng.choice(statuses)
        batch.append(
            Production(
                title=_title(rng, n),
                slug=f"production-{n}",
                kind=rng.choice(kinds),
                start_year=rng.randint(1990, 2025),
                network=rng.choice(networks),
                ic_status=status,
                ic_evidence=""
                if status == choices.ICStatus.UNKNOWN
                else rng.choice(evidence),
            )
        )
    productions = Production.objects.bulk_create(batch)
    if connection.vendor == "sqlite" and productions[0].pk is None:
        # Older SQLite gives no ids back from bulk_create.
        productions = list(Production.objects.filter(slug__in=[p.slug for p in batch]))
    production_ct = Production.content_type()
    credits, citations = [], []
    for production in productions:
        chosen = rng.sample(people, 3)
        credits.append(
            Credit(
                person=chosen[0],
                production=production,
                role=choices.CreditRole.INTIMACY_COORDINATOR,
            )
        )
        credits.append(Credit(person=chosen[1], production=production, role="director"))
        credits.append(
            Credit(person=chosen[2], production=production, role="performer")
        )
        citations.append(
            Citation(
                source=rng.choice(sources),
                content_type=production_ct,
                object_id=production.pk,
                quote="Reported.",
            )
        )
    Credit.objects.bulk_create(credits, batch_size=BATCH)
    Citation.objects.bulk_create(citations, batch_size=BATCH)


def generated_productions() -> int:
    return Production.objects.filter(slug__startswith="production-").count()


def grow(
    productions: int,
    scale: float = 1.0,
    seed: int = 2026,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Add generated productions (3 credits and a citation each) until
    there are `productions` of them; return how many were added."""
    plan = Plan.at(scale)
    with transaction.atomic():
        base = _ensure_base(plan, seed)
    have = generated_productions()
    added = 0
    start = have
    while start < productions:
        stop = min(productions, (start // BATCH + 1) * BATCH)
        with transaction.atomic():
            _production_block(start, stop, seed, base)
        added += stop - start
        if progress:
            progress(stop - start)
        start = stop
    if added:
        refresh_statistics()
    return added


def refresh_statistics() -> None:
    """ANALYZE after a bulk load, as autovacuum would do soon after on a
    live database: without it the planner estimates the new tables as
    nearly empty and picks scans that are quadratic in the page size."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(scale: float, seed: int = 2026, progress=None) -> Plan:
    plan = Plan.at(scale)
    grow(plan.productions, scale=scale, seed=seed, progress=progress)
    return plan
