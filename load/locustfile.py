"""The load mixes `make load` runs one after the other against the same
server:

- `PublicReader`: what a scraper or a researcher asks the public API for:
  lists with filters, details, search, the summary and CSV exports;
- `PageReader`: what a visitor reads: the case page and record pages;
- `TrivialView`: `/healthz`, the fastest answer the same server gives, the
  limit the two mixes are measured against.

The generated dataset is addressed by its deterministic slugs
(production-N, person-N, network-N); `load/run.py` passes their counts in
the environment. Run alone against any server with
`locust -f load/locustfile.py PublicReader --host http://127.0.0.1:8000`.
"""

import os
import random

from locust import FastHttpUser, constant, task

PRODUCTIONS = int(os.environ.get("TRACKER_LOAD_PRODUCTIONS", "100"))
PEOPLE = int(os.environ.get("TRACKER_LOAD_PEOPLE", "60"))
NETWORKS = int(os.environ.get("TRACKER_LOAD_NETWORKS", "5"))
IC_STATUSES = ("used", "not_used", "unknown")
KINDS = ("feature", "series", "mini_series", "short")
SEARCH_WORDS = ("golden river", "silent", "velvet crown", "harbour", "kaur", "ada")


class PublicReader(FastHttpUser):
    # No think time: every client asks again as soon as it is answered, so
    # the run measures what the server sustains, not what the clients pace.
    wait_time = constant(0)

    def on_start(self):
        # A stream per client, seeded, so two runs ask the same questions.
        self.rng = random.Random(id(self) % 10_000)  # noqa: S311

    def _production(self) -> str:
        return f"production-{self.rng.randrange(PRODUCTIONS)}"

    def _network(self) -> str:
        return f"network-{self.rng.randrange(NETWORKS)}"

    @task(6)
    def productions_filtered(self):
        rng = self.rng
        query = (
            f"ic_status={rng.choice(IC_STATUSES)}&kind={rng.choice(KINDS)}"
            f"&year_min={rng.randint(1990, 2015)}&ordering=-start_year"
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
            f"/api/v1/people/person-{self.rng.randrange(PEOPLE)}/",
            name="/api/v1/people/[slug]/",
        )

    @task(4)
    def search(self):
        words = self.rng.choice(SEARCH_WORDS)
        resource = self.rng.choice(("productions", "people"))
        self.client.get(
            f"/api/v1/{resource}/?search={words}", name=f"/api/v1/{resource}/?search"
        )

    @task(2)
    def summary(self):
        self.client.get("/api/v1/summary/")

    @task(1)
    def productions_csv(self):
        self.client.get(
            f"/api/v1/productions/?format=csv&network={self._network()}"
            f"&ic_status={self.rng.choice(IC_STATUSES)}",
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
        self.rng = random.Random(id(self) % 10_000)  # noqa: S311

    @task(4)
    def case_page(self):
        self.client.get("/")

    @task(6)
    def production_page(self):
        self.client.get(
            f"/productions/production-{self.rng.randrange(PRODUCTIONS)}/",
            name="/productions/[slug]/",
        )

    @task(3)
    def person_page(self):
        self.client.get(
            f"/people/person-{self.rng.randrange(PEOPLE)}/", name="/people/[slug]/"
        )


class TrivialView(FastHttpUser):
    """The limit: a view that does nothing, through the same middleware."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz")
