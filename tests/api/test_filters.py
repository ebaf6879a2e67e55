"""Each filter narrows its list to the records it names; ordering sorts;
page_size is capped; a bad value or an unknown parameter is a 400 that
names the parameter."""

import datetime as dt

import pytest
from django.db import transaction

from tests import factories as f
from tests.api.resources import CLAIM_RESOURCES, RESOURCES
from tracker import choices as c
from tracker.api import views
from tracker.models import Citation, Cohort

# --- Each filter -------------------------------------------------------------
# A case builds a record that matches and one that does not, and returns
# (path, params, the slugs expected).


def _productions_article_example():
    hbo = f.OrganizationFactory(name="HBO", slug="hbo", kind=c.OrganizationKind.NETWORK)
    ita = f.PersonFactory(name="Ita O'Brien", slug="ita-obrien")
    match = f.ProductionFactory(
        kind=c.ProductionKind.SERIES, start_year=2022, network=hbo
    )
    f.CreditFactory(person=ita, production=match)
    # Each of these misses exactly one condition.
    misses = [
        f.ProductionFactory(
            kind=c.ProductionKind.SERIES,
            start_year=2022,
            network=hbo,
            ic_status=c.ICStatus.NOT_USED,
        ),
        f.ProductionFactory(
            kind=c.ProductionKind.FEATURE, start_year=2022, network=hbo
        ),
        f.ProductionFactory(
            kind=c.ProductionKind.SERIES, start_year=2015, end_year=2019, network=hbo
        ),
        f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2025, network=hbo),
        f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2022),
        f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2022, network=hbo),
    ]
    for production in misses[:-1]:
        f.CreditFactory(person=ita, production=production)
    # Ita holds a non-IC credit on the last one: not a coordinator there.
    f.CreditFactory(person=ita, production=misses[-1], role=c.CreditRole.PERFORMER)
    params = {
        "ic_status": "used",
        "kind": "series",
        "year_min": 2020,
        "year_max": 2024,
        "network": "hbo",
        "coordinator": "ita-obrien",
    }
    return "productions", params, {match.slug}


def _productions_by_evidence_and_studio():
    a24 = f.OrganizationFactory(name="A24", slug="a24")
    match = f.ProductionFactory(studio=a24, ic_evidence=c.ICEvidence.ON_SCREEN_CREDIT)
    f.ProductionFactory(studio=a24, ic_evidence=c.ICEvidence.PRESS_REPORT)
    f.ProductionFactory(ic_evidence=c.ICEvidence.ON_SCREEN_CREDIT)
    return (
        "productions",
        {"ic_evidence": "on_screen_credit", "studio": "a24"},
        {match.slug},
    )


def _productions_in_a_cohort():
    match = f.ProductionFactory()
    f.ProductionFactory()
    cohort = Cohort.objects.create(
        name="Test nominees",
        slug="test-nominees",
        description="Two nominees.",
        inclusion_rule="Nominated.",
        year=2021,
    )
    cohort.members.add(match)
    return "productions", {"cohort": "test-nominees"}, {match.slug}


def _productions_undated():
    match = f.ProductionFactory(start_year=None)
    f.ProductionFactory(start_year=2020)
    return "productions", {"undated": "true"}, {match.slug}


def _people_by_role():
    ic = f.CreditFactory().person
    f.CreditFactory(role=c.CreditRole.PERFORMER)
    f.PersonFactory()
    return "people", {"role": "intimacy_coordinator"}, {ic.slug}


def _organizations_by_kind():
    festival = f.OrganizationFactory(kind=c.OrganizationKind.FESTIVAL)
    f.OrganizationFactory(kind=c.OrganizationKind.STUDIO)
    return "organizations", {"kind": "festival"}, {festival.slug}


def _sources_by_kind_publisher_and_date():
    match = f.SourceFactory(
        kind=c.SourceKind.SPEECH, publisher="BBC", published_on=dt.date(2021, 4, 11)
    )
    f.SourceFactory(
        kind=c.SourceKind.ARTICLE, publisher="BBC", published_on=dt.date(2021, 4, 11)
    )
    f.SourceFactory(
        kind=c.SourceKind.SPEECH, publisher="ITV", published_on=dt.date(2021, 4, 11)
    )
    f.SourceFactory(
        kind=c.SourceKind.SPEECH, publisher="BBC", published_on=dt.date(2020, 1, 1)
    )
    f.SourceFactory(
        kind=c.SourceKind.SPEECH, publisher="BBC", published_on=dt.date(2022, 1, 1)
    )
    params = {
        "kind": "speech",
        "publisher": "bbc",
        "published_after": "2021-01-01",
        "published_before": "2021-12-31",
    }
    return "sources", params, {match.slug}


def _award_categories_by_body_status_and_ic():
    emmys = f.AwardBodyFactory(slug="television-academy")
    match = f.AwardCategoryFactory(
        award_body=emmys,
        status=c.AwardCategoryStatus.PROPOSED,
        is_intimacy_coordination=True,
    )
    f.AwardCategoryFactory(award_body=emmys, status=c.AwardCategoryStatus.PROPOSED)
    f.AwardCategoryFactory(award_body=emmys, is_intimacy_coordination=True)
    f.AwardCategoryFactory(
        status=c.AwardCategoryStatus.PROPOSED, is_intimacy_coordination=True
    )
    params = {
        "body": "television-academy",
        "status": "proposed",
        "is_intimacy_coordination": "true",
    }
    return "award-categories", params, {match.slug}


def _award_outcomes_by_everything():
    category = f.AwardCategoryFactory(award_body=f.AwardBodyFactory(slug="bafta"))
    coel = f.PersonFactory(slug="michaela-coel")
    production = f.ProductionFactory(slug="i-may-destroy-you")
    match = f.AwardOutcomeFactory(category=category, production=production)
    match.people.add(coel)
    other = f.AwardOutcomeFactory(
        category=category, production=production, result=c.AwardResult.NOMINATED
    )
    other.people.add(coel)
    f.AwardOutcomeFactory(category=category, production=production, ceremony_year=2020)
    f.AwardOutcomeFactory(production=production).people.add(coel)
    f.AwardOutcomeFactory(category=category).people.add(coel)
    params = {
        "body": "bafta",
        "category": category.slug,
        "year": 2021,
        "result": "won",
        "production": "i-may-destroy-you",
        "person": "michaela-coel",
    }
    return "award-outcomes", params, {match.slug}


def _award_mentions_article_example():
    bafta = f.AwardBodyFactory(slug="bafta")
    ita = f.PersonFactory(slug="ita-obrien")
    coel = f.PersonFactory(slug="michaela-coel")
    production = f.ProductionFactory(slug="i-may-destroy-you")
    day = dt.date(2021, 4, 11)
    common = {"award_bodies": [bafta], "coordinator": ita, "speaker": coel}
    match = f.AwardMentionFactory(date=day, production=production, **common)
    f.AwardMentionFactory(date=dt.date(2020, 4, 11), production=production, **common)
    f.AwardMentionFactory(
        date=day,
        production=production,
        award_bodies=[f.AwardBodyFactory()],
        coordinator=ita,
        speaker=coel,
    )
    f.AwardMentionFactory(
        date=day,
        production=production,
        kind=c.AwardMentionKind.SPEECH_THANKS,
        **common,
    )
    f.AwardMentionFactory(date=day, **common)
    f.AwardMentionFactory(date=day, production=production, award_bodies=[bafta])
    params = {
        "coordinator": "ita-obrien",
        "speaker": "michaela-coel",
        "body": "bafta",
        "year": 2021,
        "kind": "dedication",
        "production": "i-may-destroy-you",
    }
    return "award-mentions", params, {match.slug}


def _statements_by_stance_and_speaker():
    bean = f.PersonFactory(slug="sean-bean")
    match = f.StatementFactory(speaker=bean, stance=c.Stance.OPPOSES)
    f.StatementFactory(speaker=bean, stance=c.Stance.SUPPORTS)
    f.StatementFactory(stance=c.Stance.OPPOSES)
    return "statements", {"stance": "opposes", "speaker": "sean-bean"}, {match.slug}


def _statements_by_coordinator_production_and_year():
    ita = f.PersonFactory(slug="ita-obrien")
    production = f.ProductionFactory(slug="i-may-destroy-you")
    day = dt.date(2021, 4, 11)
    match = f.StatementFactory(about_coordinator=ita, production=production, date=day)
    f.StatementFactory(production=production, date=day)
    f.StatementFactory(about_coordinator=ita, date=day)
    f.StatementFactory(
        about_coordinator=ita, production=production, date=dt.date(2020, 1, 1)
    )
    params = {"coordinator": "ita-obrien", "production": "i-may-destroy-you"}
    return "statements", {**params, "year": 2021}, {match.slug}


def _policies_by_organization_and_status():
    hbo = f.OrganizationFactory(slug="hbo")
    match = f.PolicyFactory(organization=hbo)
    f.PolicyFactory(organization=hbo, status=c.PolicyStatus.RECOMMENDED)
    f.PolicyFactory(organization=f.OrganizationFactory(slug="netflix"))
    return "policies", {"organization": "hbo", "status": "mandated"}, {match.slug}


def _stats_by_year_unit_and_publisher():
    usc = f.OrganizationFactory(slug="usc-annenberg", kind=c.OrganizationKind.RESEARCH)
    match = f.IndustryStatisticFactory(year=2023)
    match.publishers.add(usc)
    f.IndustryStatisticFactory(year=2022).publishers.add(usc)
    f.IndustryStatisticFactory(year=2023, unit=c.StatisticUnit.COUNT).publishers.add(
        usc
    )
    f.IndustryStatisticFactory(year=2023)
    params = {"year": 2023, "unit": "percent", "publisher": "usc-annenberg"}
    return "stats", params, {match.slug}


def _campaigns_by_body_and_status():
    emmys = f.AwardBodyFactory(slug="television-academy")
    match = f.CampaignFactory(target_body=emmys)
    f.CampaignFactory(target_body=emmys, status=c.CampaignStatus.ADOPTED)
    f.CampaignFactory()
    return (
        "campaigns",
        {"body": "television-academy", "status": "lobbying"},
        {match.slug},
    )


def _productions_by_search():
    match = f.ProductionFactory(title="I May Destroy You")
    f.ProductionFactory(title="Game of Thrones")
    return "productions", {"search": "destroy"}, {match.slug}


def dispute(claim):
    """A current citation disputing the claim."""
    Citation.objects.create(
        claim=claim, source=f.SourceFactory(), stance=c.CitationStance.DISPUTES
    )


def deprecate(claim):
    type(claim).objects.filter(pk=claim.pk).update(
        deprecated_on=dt.date(2026, 1, 1), deprecation_reason="Found wrong."
    )


def _claims_disputed_and_standing(resource):
    def case():
        match = resource.make()
        dispute(match)
        withdrawn = resource.make()
        dispute(withdrawn)
        deprecate(withdrawn)
        resource.make()  # undisputed
        # A deprecated citation no longer disputes.
        Citation.objects.create(
            claim=resource.make(),
            source=f.SourceFactory(),
            stance=c.CitationStance.DISPUTES,
            deprecated_on=dt.date(2026, 1, 1),
            deprecation_reason="Misread.",
        )
        return resource.path, {"disputed": "true", "deprecated": "false"}, {match.slug}

    case.__name__ = f"_{resource.path.replace('-', '_')}_disputed_and_standing"
    return case


CASES = (
    *(_claims_disputed_and_standing(resource) for resource in CLAIM_RESOURCES),
    _productions_article_example,
    _productions_by_evidence_and_studio,
    _productions_undated,
    _productions_in_a_cohort,
    _productions_by_search,
    _people_by_role,
    _organizations_by_kind,
    _sources_by_kind_publisher_and_date,
    _award_categories_by_body_status_and_ic,
    _award_outcomes_by_everything,
    _award_mentions_article_example,
    _statements_by_stance_and_speaker,
    _statements_by_coordinator_production_and_year,
    _policies_by_organization_and_status,
    _stats_by_year_unit_and_publisher,
    _campaigns_by_body_and_status,
)


def _slugs(response):
    assert response.status_code == 200, response.content
    return {record["slug"] for record in response.json()["results"]}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.strip("_"))
def test_filters_keep_only_the_records_they_name(api, case):
    path, params, expected = case()
    assert _slugs(api.get(f"/api/v1/{path}/", params)) == expected
    # Without the filters the misses are there: the filter did the work.
    assert _slugs(api.get(f"/api/v1/{path}/")) > expected


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.strip("_"))
def test_each_filter_alone_still_matches(api, case):
    """No filter is silently ignored: each one alone keeps the match and
    drops at least one of the misses across the case."""
    path, params, expected = case()
    everything = _slugs(api.get(f"/api/v1/{path}/"))
    for name, value in params.items():
        kept = _slugs(api.get(f"/api/v1/{path}/", {name: value}))
        assert expected <= kept, name
        assert kept < everything, name


def test_every_filter_has_a_case(db):
    """A new filter without a case here fails, so "each filter" stays true."""
    covered: dict[str, set[str]] = {}
    for case in CASES:
        # Each case alone: their fixed slugs would collide.
        with transaction.atomic():
            path, params, _ = case()
            transaction.set_rollback(True)
        covered.setdefault(path, set()).update(params)
    for resource in RESOURCES:
        viewset = _viewset(resource.path)
        names = set(viewset.filterset_class.base_filters) - {"ordering", "search"}
        assert names <= covered.get(resource.path, set()), resource.path


def _viewset(path):
    from tracker.api.urls import router

    for prefix, viewset, _ in router.registry:
        if prefix == path:
            return viewset
    raise LookupError(path)


# --- Ordering ----------------------------------------------------------------


def test_ordering_sorts_and_reverses(api):
    for year in (2021, 2019, 2023):
        f.ProductionFactory(start_year=year)
    years = [
        p["start_year"]
        for p in api.get("/api/v1/productions/?ordering=start_year").json()["results"]
    ]
    assert years == [2019, 2021, 2023]
    years = [
        p["start_year"]
        for p in api.get("/api/v1/productions/?ordering=-start_year").json()["results"]
    ]
    assert years == [2023, 2021, 2019]


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_every_ordering_field_is_accepted(api, resource):
    resource.make()
    resource.make()
    ordering = _viewset(resource.path).filterset_class.base_filters["ordering"]
    for field, _ in ordering.param_map.items():
        for value in (field, f"-{field}"):
            response = api.get(f"/api/v1/{resource.path}/", {"ordering": value})
            assert response.status_code == 200, (value, response.content)
            assert len(response.json()["results"]) == 2


def test_an_unknown_ordering_is_a_400_naming_ordering(api):
    response = api.get("/api/v1/productions/?ordering=password")
    assert response.status_code == 400
    assert list(response.json()) == ["ordering"]


# --- Pagination --------------------------------------------------------------


def test_page_size_is_capped_at_100(api):
    f.OrganizationFactory.create_batch(101)
    body = api.get("/api/v1/organizations/?page_size=1000").json()
    assert body["count"] == 101
    assert len(body["results"]) == 100
    assert body["next"]


def test_page_size_and_page_walk_the_list(api):
    f.OrganizationFactory.create_batch(3)
    first = api.get("/api/v1/organizations/?page_size=2&ordering=name").json()
    second = api.get("/api/v1/organizations/?page_size=2&ordering=name&page=2").json()
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["previous"]
    assert second["next"] is None


@pytest.mark.parametrize("value", ("0", "-5", "ten"))
def test_a_bad_page_size_is_a_400_naming_it(api, value):
    response = api.get(f"/api/v1/organizations/?page_size={value}")
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_a_page_past_the_end_is_a_404(api):
    response = api.get("/api/v1/organizations/?page=9")
    assert response.status_code == 404
    assert "detail" in response.json()


# --- Bad values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    (
        ("productions", "ic_status=maybe", "ic_status"),
        ("productions", "year_min=twenty", "year_min"),
        ("productions", "network=no-such-network", "network"),
        ("productions", "coordinator=no-such-person", "coordinator"),
        ("award-mentions", "year=2021x", "year"),
        ("award-mentions", "body=no-such-body", "body"),
        ("statements", "stance=hates", "stance"),
        ("sources", "published_after=yesterday", "published_after"),
        (
            "award-categories",
            "is_intimacy_coordination=perhaps",
            "is_intimacy_coordination",
        ),
        ("policies", "organisation=hbo", "organisation"),
        ("policies", "disputed=maybe", "disputed"),
        ("award-mentions", "disputed=", "disputed"),
        ("stats", "deprecated=yes", "deprecated"),
        ("productions", "deprecated=2", "deprecated"),
        ("stats", "ordering=value", "ordering"),
    ),
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, path, query, parameter):
    response = api.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert list(response.json()) == [parameter]


def test_a_bad_filter_value_in_csv_is_still_json(api):
    response = api.get("/api/v1/productions/?format=csv&ic_status=maybe")
    assert response.status_code == 400
    assert list(response.json()) == ["ic_status"]


@pytest.mark.parametrize("resource", CLAIM_RESOURCES, ids=str)
def test_disputed_false_and_deprecated_true_keep_the_others(api, resource):
    disputed, withdrawn, plain = (resource.make() for _ in range(3))
    dispute(disputed)
    deprecate(withdrawn)

    undisputed = _slugs(api.get(f"/api/v1/{resource.path}/", {"disputed": "false"}))
    deprecated = _slugs(api.get(f"/api/v1/{resource.path}/", {"deprecated": "true"}))

    assert disputed.slug not in undisputed
    assert {withdrawn.slug, plain.slug} <= undisputed
    assert deprecated == {withdrawn.slug}


def test_the_viewsets_use_the_strict_filtersets():
    assert views.ProductionViewSet.filterset_class.__name__ == "ProductionFilter"


def test_year_range_means_on_screen_in_those_years(api):
    running = f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2020)
    ended_in_range = f.ProductionFactory(
        kind=c.ProductionKind.SERIES, start_year=2019, end_year=2024
    )
    film_in_range = f.ProductionFactory(start_year=2024)
    f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2016, end_year=2019)
    f.ProductionFactory(start_year=2023)  # a film's one year is its release
    f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=2025)
    f.ProductionFactory(kind=c.ProductionKind.SERIES, start_year=None)

    response = api.get("/api/v1/productions/?year_min=2024&year_max=2024")

    assert response.status_code == 200
    assert {p["slug"] for p in response.json()["results"]} == {
        running.slug,
        ended_in_range.slug,
        film_in_range.slug,
    }


def _filtersets_built(monkeypatch) -> list:
    built = []
    original = views.ProductionViewSet.filterset_class.__init__

    def counting(self, *args, **kwargs):
        built.append(kwargs.get("data"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(views.ProductionViewSet.filterset_class, "__init__", counting)
    return built


def test_a_request_with_no_query_string_builds_no_filterset(api, monkeypatch):
    built = _filtersets_built(monkeypatch)
    kept = f.ProductionFactory()
    deprecated = f.ProductionFactory(
        deprecated_on=dt.date(2026, 1, 1), deprecation_reason="Found wrong."
    )
    listed = api.get("/api/v1/productions/").json()["results"]
    detail = api.get(f"/api/v1/productions/{deprecated.slug}/")
    assert built == []
    # The same answer the FilterSet gave: nothing is hidden by default.
    assert {row["slug"] for row in listed} == {kept.slug, deprecated.slug}
    assert detail.status_code == 200


@pytest.mark.parametrize(
    "query", ("?page=1", "?format=json", "?deprecated=false", "?nonsense=1")
)
def test_any_parameter_still_goes_through_the_strict_filterset(api, monkeypatch, query):
    built = _filtersets_built(monkeypatch)
    record = f.ProductionFactory()
    listed = api.get(f"/api/v1/productions/{query}")
    detail = api.get(f"/api/v1/productions/{record.slug}/{query}")
    assert len(built) == 2
    if query == "?nonsense=1":
        for response in (listed, detail):
            assert response.status_code == 400
            assert list(response.json()) == ["nonsense"]
    else:
        assert listed.status_code == detail.status_code == 200
