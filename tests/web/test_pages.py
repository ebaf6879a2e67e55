import datetime as dt
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tracker import choices


@pytest.fixture
def evidence(db):
    """Four productions: two with an IC, one without, one unknown."""
    hbo = factories.OrganizationFactory(
        name="HBO", slug="hbo", kind=choices.OrganizationKind.NETWORK
    )
    factories.ProductionFactory(title="Normal People", start_year=2020, network=hbo)
    factories.ProductionFactory(title="Challengers", start_year=2024, network=hbo)
    factories.ProductionFactory(
        title="Old Film",
        start_year=2020,
        ic_status=choices.ICStatus.NOT_USED,
        ic_evidence=choices.ICEvidence.PRESS_REPORT,
    )
    factories.ProductionFactory(
        title="Unchecked",
        start_year=2024,
        ic_status=choices.ICStatus.UNKNOWN,
        ic_evidence="",
        cite=False,
    )
    bafta = factories.AwardBodyFactory(name="BAFTA", slug="bafta")
    factories.AwardMentionFactory(award_bodies=[bafta], date=dt.date(2021, 4, 11))
    factories.StatementFactory(stance=choices.Stance.SUPPORTS)
    factories.StatementFactory(stance=choices.Stance.SUPPORTS)
    factories.StatementFactory(stance=choices.Stance.OPPOSES)
    campaign = factories.CampaignFactory(
        name="An Oscar for intimacy coordination",
        slug="oscars-intimacy-coordination",
        target_body=factories.AwardBodyFactory(name="The Academy"),
        status=choices.CampaignStatus.LOBBYING,
    )
    factories.CampaignMilestoneFactory(
        campaign=campaign,
        title="Open letter to the Academy",
        date=dt.date(2024, 2, 1),
        date_precision=choices.DatePrecision.MONTH,
    )
    casting = factories.AwardCategoryFactory(
        award_body=campaign.target_body,
        name="Best Casting",
        status=choices.AwardCategoryStatus.INTRODUCED,
        year_introduced=2026,
    )
    campaign.precedents.add(casting)
    return campaign


def text(response) -> str:
    """The page as a reader sees it: tags stripped, spaces collapsed."""
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([,.:;)])", r"\1", unescape(words))


def test_the_case_page_states_its_headline_figures(client, evidence):
    page = text(client.get("/"))

    assert "The case for an award for intimacy coordination" in page
    # No cohort here, so no headline share: a share of whatever the tracker
    # happens to hold is a self-selected sample (the demo's cohorts are
    # tested in test_figures_match_links.py).
    assert "% of productions" not in page
    assert "4 productions tracked 1 still unknown" in page
    assert "1 award mentions of ICs" in page
    assert "3 statements on the record" in page


def test_every_headline_figure_links_to_its_records(client, evidence):
    html = client.get("/").content.decode()

    for url in (
        "/productions/?ic_status=used",
        "/productions/",
        "/award-mentions/",
        "/statements/",
        "/policies/",
    ):
        assert f'href="{url}"' in html


def test_chart_tables_carry_the_figures_without_javascript(client, evidence):
    html = client.get("/").content.decode()
    page = text(client.get("/"))

    # Tables start open; only case.js folds them once a chart is drawn.
    assert html.count('<details class="chart__table" open>') == 4
    assert "2020 1 1 0" in page
    # Counts only: what the tracker holds is no sample to take a share of.
    assert "2020 1 1 0 50%" not in page and "of those known" not in page
    assert "2024 1 0 1" in page
    assert "HBO 2 0 0" in page
    assert "Supports ICs 2" in page
    assert "Opposes ICs 1" in page
    assert "BAFTA 2021 1" in page
    assert (
        'href="/productions/?ic_status=not_used&amp;year_min=2020&amp;'
        'year_max=2020"' in html
    )
    assert 'href="/productions/?ic_status=used&amp;network=hbo"' in html
    assert 'href="/award-mentions/?body=bafta&amp;year=2021"' in html
    assert 'href="/statements/?stance=opposes"' in html
    assert "/api/v1/" not in html.split("</head>")[1]


def test_each_chart_is_an_image_with_a_label_and_its_data(client, evidence):
    html = client.get("/").content.decode()

    canvases = re.findall(r"<canvas [^>]*>", html)
    assert len(canvases) == 4
    for canvas in canvases:
        assert 'role="img"' in canvas
        assert re.search(r'aria-label="[^"]{20,}"', canvas)
        data_id = re.search(r'data-chart-data="([^"]+)"', canvas).group(1)
        assert f'<script id="{data_id}" type="application/json">' in html


def test_the_page_has_no_inline_script_or_style(client, evidence):
    html = client.get("/").content.decode()

    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/json"' in s or "src=" in s for s in scripts)
    assert "<style" not in html
    assert " style=" not in html


def test_the_campaign_shows_its_status_milestones_and_precedent(client, evidence):
    page = text(client.get("/"))

    assert "An Oscar for intimacy coordination Lobbying" in page
    assert "February 2024 Open letter to the Academy" in page
    assert "Best Casting at The Academy, introduced from 2026" in page
    assert 'href="/campaigns/oscars-intimacy-coordination/"' in (
        client.get("/").content.decode()
    )


def test_the_news_section_says_when_there_is_none(client, evidence):
    assert "No reviewed news yet." in text(client.get("/"))


def test_an_empty_tracker_still_renders(client, db):
    page = text(client.get("/"))

    assert "0 productions tracked" in page
    assert "Nothing recorded yet." in page
    assert "No campaigns recorded yet." in page


def test_the_case_page_is_served_from_cache_until_data_changes(
    client, evidence, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        assert "4 productions tracked" in text(client.get("/"))

    factories.ProductionFactory(title="Intimacy", start_year=2022)

    assert "5 productions tracked" in text(client.get("/"))


def test_the_case_page_takes_a_fixed_number_of_queries(client, evidence):
    def queries_for_page() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    before = queries_for_page()
    for n in range(10):
        production = factories.ProductionFactory(start_year=2000 + n)
        factories.CreditFactory(production=production)
        factories.StatementFactory()
        factories.CampaignMilestoneFactory(campaign=evidence)
    factories.CampaignFactory()

    assert queries_for_page() == before
    # The approved news adds one query, and its matches a second once there
    # are articles (tests/web/test_news.py counts those).
    # The cohort figures and the disputed counts take a few more.
    assert before <= 40


def test_the_production_page_shows_its_sources(client, db):
    source = factories.SourceFactory(
        title="Normal People's intimacy coordinator speaks",
        publisher="The Guardian",
        url="https://www.theguardian.com/tv/normal-people-ic",
        published_on=dt.date(2020, 5, 1),
    )
    production = factories.ProductionFactory(
        title="Normal People", slug="normal-people", cite=source
    )
    coordinator = factories.PersonFactory(name="Ita O'Brien", slug="ita-obrien")
    factories.CreditFactory(person=coordinator, production=production)

    response = client.get("/productions/normal-people/")
    page = text(response)

    assert response.status_code == 200
    assert "Normal People" in page
    assert "Used an IC" in page
    assert (
        "Normal People's intimacy coordinator speaks, The Guardian, 1 May 2020" in page
    )
    assert 'href="https://www.theguardian.com/tv/normal-people-ic"' in (
        response.content.decode()
    )
    assert 'href="/people/ita-obrien/"' in response.content.decode()


def test_the_person_page_shows_what_they_said_with_sources(client, db):
    person = factories.PersonFactory(name="Zendaya", slug="zendaya")
    source = factories.SourceFactory(title="Zendaya on Challengers", publisher="GQ")
    factories.StatementFactory(
        speaker=person, quote="It was important that we felt safe.", cite=source
    )

    page = text(client.get("/people/zendaya/"))

    assert "Zendaya" in page
    assert "It was important that we felt safe." in page
    assert "Zendaya on Challengers, GQ" in page


def test_the_campaign_page_shows_milestones_and_precedents_with_sources(
    client, evidence
):
    page = text(client.get("/campaigns/oscars-intimacy-coordination/"))

    assert "Lobbying" in page
    assert "February 2024: Open letter to the Academy" in page
    assert "Best Casting at The Academy, from 2026" in page
    assert page.count("Example News") >= 2


@pytest.mark.parametrize("kind", ["productions", "people", "campaigns"])
def test_an_unknown_slug_is_a_clean_404(client, db, kind):
    response = client.get(f"/{kind}/no-such-record/")

    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_recent_productions_with_an_ic_are_named_and_linked(client, evidence):
    production = factories.ProductionFactory(title="Intimacy", slug="intimacy")
    factories.CreditFactory(
        production=production, person=factories.PersonFactory(name="Mam Smith")
    )

    response = client.get("/")

    assert 'href="/productions/intimacy/"' in response.content.decode()
    assert "Intimacy coordination: Mam Smith" in text(response)
    # A production that did not use an IC is not listed among them.
    assert 'href="/productions/old-film/"' not in response.content.decode()


def test_every_number_on_the_case_page_opens_a_page_of_exactly_its_records(
    client, evidence
):
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="(/[a-z-]+/\?[^"]*|/[a-z-]+/)">\s*(\d+)\s*</a>', html)
    links += re.findall(
        r'<a href="(/[^"]+)">\s*<span class="figure__number">(\d+)</span>', html
    )
    # Two years and one network (the rest have none recorded) by three IC
    # statuses, one award body and year, four stances, four headline figures.
    assert len(links) == 2 * 3 + 1 * 3 + 1 + 4 + 4

    for url, shown in links:
        url = unescape(url)
        response = client.get(url)
        assert response.status_code == 200, url
        count = re.search(r'data-count="(\d+)"', response.content.decode())
        assert count, url
        assert int(count.group(1)) == int(shown), url
        # The same filter in the API counts the same records.
        path, _, query = url.partition("?")
        api = client.get(f"/api/v1{path}" + (f"?{query}" if query else ""))
        assert api.json()["count"] == int(shown), url


def test_undated_productions_are_counted_as_undated(client, evidence):
    factories.ProductionFactory(title="No Year", start_year=None)
    html = client.get("/").content.decode()

    assert "Undated 1 0 0" in text(client.get("/"))
    assert 'href="/productions/?ic_status=used&amp;undated=true"' in html
    page = client.get("/productions/?ic_status=used&undated=true")
    assert 'data-count="1"' in page.content.decode()


def test_each_detail_page_links_to_its_record_in_the_api(client, evidence):
    factories.PersonFactory(slug="ita-obrien")

    for page in (
        "/productions/normal-people/",
        "/people/ita-obrien/",
        "/campaigns/oscars-intimacy-coordination/",
    ):
        html = client.get(page).content.decode()
        api = re.search(
            r'<a href="(/api/v1/[^"]+)" rel="alternate" type="application/json">',
            html,
        ).group(1)
        response = client.get(api)
        assert response.status_code == 200, api
        assert response.json()["slug"] == page.split("/")[2]


def test_the_spoken_totals_say_what_they_count(client, evidence):
    html = client.get("/").content.decode()
    labels = re.findall(r'<canvas id="([^"]+)" role="img" aria-label="([^"]+)"', html)
    spoken = dict(labels)

    # A series counts in each year it ran and a mention under each body it
    # addresses: their sums are no numbers of records.
    assert (
        "a production counted in each year it was on screen"
        in spoken["chart-ic-by-year"]
    )
    assert "a mention counted under each body" in spoken["chart-award-mentions"]
    assert "Totals - " in spoken["chart-ic-by-organization"]
