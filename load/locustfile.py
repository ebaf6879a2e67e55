"""The load mixes `make load` runs one after the other against the same
server:

- `PublicReader`: what a scraper or a researcher asks the public API for:
  lists with filters, details, search, the summary and CSV exports;
- `PageReader`: what a visitor reads: the case page and record pages;
- `TrivialView`: `/healthz`, the fastest answer the same server gives, the
  limit the mixes are measured against;
- `CachedReader`: both mixes' requests over a handful of records, which
  its warm-up renders: every measured answer comes from the cache, so it
  shows what the mixes would reach if nothing had to be rendered;
- `PopularPublicReader` and `PopularPageReader`: the same two mixes with
  readers who, like real ones, concentrate on few records: every record
  and filter combination is drawn by a Zipf law of exponent 1 over a fixed,
  seeded popularity ranking (Breslau et al., "Web Caching and Zipf-like
  Distributions", INFOCOM 1999). The uniform mixes stay the worst case.

The generated dataset is addressed by its deterministic slugs
(production-N, person-N, network-N); `load/run.py` passes their counts in
the environment. Run alone against any server with
`locust -f load/locustfile.py PublicReader --host http://127.0.0.1:8000`.
"""

import bisect
import itertools
import os
import random
from functools import cache

from locust import FastHttpUser, constant, task

PRODUCTIONS = int(os.environ.get("TRACKER_LOAD_PRODUCTIONS", "100"))
PEOPLE = int(os.environ.get("TRACKER_LOAD_PEOPLE", "60"))
NETWORKS = int(os.environ.get("TRACKER_LOAD_NETWORKS", "5"))
IC_STATUSES = ("used", "not_used", "unknown")
KINDS = ("feature", "series", "mini_series", "short")
SEARCH_WORDS = ("golden river", "silent", "velvet crown", "harbour", "kaur", "ada")
YEARS_MIN = range(1990, 2016)
# Every combination the filtered list asks for, in one order, so the uniform
# and the popular mixes draw from the same set.
FILTERS = tuple(itertools.product(IC_STATUSES, KINDS, YEARS_MIN))
CSV_FILTERS = tuple(itertools.product(range(NETWORKS), IC_STATUSES))
# Breslau et al. measured exponents of 0.64-0.83 for proxy traces; 1 is the
# classic Zipf law and concentrates a little more.
ZIPF_EXPONENT = 1.0
# How many records, networks and filter combinations the cached mix draws
# from: few enough that its warm-up renders every one.
CACHED_RECORDS = 10
# Every client numbered in the order it starts, so two runs ask the same
# questions (id() of the client object is an address, not a number).
_clients = itertools.count()


@cache
def _popularity(population: int) -> tuple[list[float], list[int]]:
    """The Zipf law over `population` items: cumulative weights of ranks
    1..n, and which item holds each rank (a seeded shuffle, shared by all
    clients, so they agree on which records are popular and the popular
    ones are not simply the first generated)."""
    weights = itertools.accumulate(
        1 / rank**ZIPF_EXPONENT for rank in range(1, population + 1)
    )
    ranking = list(range(population))
    random.Random(f"popularity-{population}").shuffle(ranking)  # noqa: S311
    return list(weights), ranking


class PublicReader(FastHttpUser):
    # No think time: every client asks again as soon as it is answered, so
    # the run measures what the server sustains, not what the clients pace.
    wait_time = constant(0)

    def on_start(self):
        # A stream per client, seeded, so two runs ask the same questions.
        self.rng = random.Random(next(_clients))  # noqa: S311

    def _draw(self, population: int) -> int:
        """Which of `population` records or combinations to ask for: any,
        with equal chances (the worst case for a cache)."""
        return self.rng.randrange(population)

    def _production(self) -> str:
        return f"production-{self._draw(PRODUCTIONS)}"

    def _person(self) -> str:
        return f"person-{self._draw(PEOPLE)}"

    def _network(self) -> str:
        return f"network-{self._draw(NETWORKS)}"

    @task(6)
    def productions_filtered(self):
        ic_status, kind, year_min = FILTERS[self._draw(len(FILTERS))]
        query = (
            f"ic_status={ic_status}&kind={kind}"
            f"&year_min={year_min}&ordering=-start_year"
        )
        self.client.get(
            f"/api/v1/productions/?{query}", name="/api/v1/productions/?filters"
        )

    @task(3)
    def productions_of_a_network(self):
        self.client.get(
            f"/api/v1/productions/?network={self._network()}&page=2",
            name="/api/v1/productions/?network&page",
        )

    @task(2)
    def people_by_role(self):
        self.client.get(
            "/api/v1/people/?role=intimacy_coordinator&ordering=name",
            name="/api/v1/people/?role",
        )

    @task(6)
    def production_detail(self):
        self.client.get(
            f"/api/v1/productions/{self._production()}/",
            name="/api/v1/productions/[slug]/",
        )

    @task(3)
    def person_detail(self):
        self.client.get(
            f"/api/v1/people/{self._person()}/",
            name="/api/v1/people/[slug]/",
        )

    @task(4)
    def search(self):
        words = SEARCH_WORDS[self._draw(len(SEARCH_WORDS))]
        resource = self.rng.choice(("productions", "people"))
        self.client.get(
            f"/api/v1/{resource}/?search={words}", name=f"/api/v1/{resource}/?search"
        )

    @task(2)
    def summary(self):
        self.client.get("/api/v1/summary/")

    @task(1)
    def productions_csv(self):
        network, ic_status = CSV_FILTERS[self._draw(len(CSV_FILTERS))]
        self.client.get(
            f"/api/v1/productions/?format=csv&network=network-{network}"
            f"&ic_status={ic_status}",
            name="/api/v1/productions/?format=csv",
        )

    @task(1)
    def organizations_csv(self):
        self.client.get(
            "/api/v1/organizations/?format=csv&kind=network",
            name="/api/v1/organizations/?format=csv",
        )


class PageReader(FastHttpUser):
    """A visitor reading the site's HTML pages (no static files: those are
    whitenoise's, not the app's)."""

    wait_time = constant(0)

    def on_start(self):
        self.rng = random.Random(next(_clients))  # noqa: S311

    def _draw(self, population: int) -> int:
        return self.rng.randrange(population)

    @task(4)
    def case_page(self):
        self.client.get("/")

    @task(6)
    def production_page(self):
        self.client.get(
            f"/productions/production-{self._draw(PRODUCTIONS)}/",
            name="/productions/[slug]/",
        )

    @task(3)
    def person_page(self):
        self.client.get(f"/people/person-{self._draw(PEOPLE)}/", name="/people/[slug]/")


def _popular_draw(rng: random.Random, population: int) -> int:
    weights, ranking = _popularity(population)
    rank = bisect.bisect(weights, rng.random() * weights[-1])
    return ranking[min(rank, population - 1)]


class PopularPublicReader(PublicReader):
    """The API mix as real readers ask it: a few records and filter
    combinations most of the time, the long tail now and then."""

    def _draw(self, population: int) -> int:
        return _popular_draw(self.rng, population)


class PopularPageReader(PageReader):
    """The HTML mix with the same popularity law."""

    def _draw(self, population: int) -> int:
        return _popular_draw(self.rng, population)


class CachedReader(PublicReader, PageReader):
    """Every request of both mixes, in their proportions, over the first
    CACHED_RECORDS records of each kind: after the warm-up each answer is
    the whole-response cache's, and the mix measures that path alone."""

    def _draw(self, population: int) -> int:
        return self.rng.randrange(min(population, CACHED_RECORDS))


class TrivialView(FastHttpUser):
    """The limit: a view that does nothing, through the same middleware."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz")
