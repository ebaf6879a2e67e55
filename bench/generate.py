"""Deterministic benchmark data: the same `--scale` and `--seed` always
give the same rows. Scale 1 is the size the performance issue names:
100k productions and 300k credits."""

import random
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


@transaction.atomic
def generate(scale: float, seed: int = 2026, progress=None) -> Plan:
    plan = Plan.at(scale)
    rng = random.Random(seed)
    networks = Organization.objects.bulk_create(
        Organization(
            name=f"Network {i}",
            slug=f"network-{i}",
            kind=choices.OrganizationKind.NETWORK,
        )
        for i in range(plan.networks)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}",
                slug=f"person-{i}",
            )
            for i in range(plan.people)
        ),
        batch_size=BATCH,
    )
    sources = Source.objects.bulk_create(
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
    statuses = list(choices.ICStatus)
    evidence = list(choices.ICEvidence)
    kinds = list(choices.ProductionKind)
    production_ct = Production.content_type()
    for start in range(0, plan.productions, BATCH):
        stop = min(plan.productions, start + BATCH)
        batch = []
        for n in range(start, stop):
            status = rng.choice(statuses)
            year = rng.randint(1990, 2025)
            batch.append(
                Production(
                    title=_title(rng, n),
                    slug=f"production-{n}",
                    kind=rng.choice(kinds),
                    start_year=year,
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
            productions = list(
                Production.objects.filter(slug__in=[p.slug for p in batch])
            )
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
            credits.append(
                Credit(person=chosen[1], production=production, role="director")
            )
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
        if progress:
            progress(stop - start)
    return plan
