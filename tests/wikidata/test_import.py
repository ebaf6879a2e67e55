"""wikidata_import on recorded responses (tests/wikidata/recorded, written
by hand in Wikidata's formats): what is created, cited and matched, and
what is refused."""

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tracker import choices
from tracker.demo import demo_data_load
from tracker.models import (
    AwardCategory,
    AwardOutcome,
    Citation,
    Organization,
    Person,
    Production,
    Source,
)
from tracker.services.wikidata import wikidata_import
from tracker.wikidata.fetch import entities_url
from tracker.wikidata.parse import WikidataShapeError, entities_parse

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
ENTITIES = RECORDED / "i-may-destroy-you.entities.json"
SPARQL = RECORDED / "productions.sparql.json"
IMDY, COEL = "Q96186155", "Q20686953"
RETRIEVED = dt.date(2026, 11, 30)


def run(*args) -> dict:
    out = __import__("io").StringIO()
    call_command(
        "wikidata_import",
        *args,
        "--json",
        "--no-progress",
        "--retrieved",
        RETRIEVED.isoformat(),
        stdout=out,
    )
    return json.loads(out.getvalue())


def snapshot() -> dict:
    """Every row an import may write, with its history."""
    counts = {}
    for model in (
        Production,
        Person,
        AwardOutcome,
        AwardCategory,
        Organization,
        Source,
        Citation,
    ):
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    counts["citation quotes"] = sorted(Citation.objects.values_list("quote", "locator"))
    return counts


def test_a_recorded_entity_file_creates_a_cited_production():
    report = run("--entities", str(ENTITIES))

    production = Production.objects.get(wikidata_qid=IMDY)
    assert production.title == "I May Destroy You"
    assert production.kind == choices.ProductionKind.MINI_SERIES
    assert (production.imdb_id, production.tmdb_id) == ("tt11000808", 100713)
    assert (production.start_year, production.end_year) == (2020, 2020)
    assert production.aliases == ["IMDY"]
    assert production.ic_status == choices.ICStatus.UNKNOWN
    citation = production.citations.get()
    assert citation.source.url == f"https://www.wikidata.org/wiki/{IMDY}"
    assert citation.source.kind == choices.SourceKind.DATABASE
    assert citation.source.publisher == "Wikidata"
    assert citation.locator == "retrieved 2026-11-30, revision 2254193810"
    assert "IMDb ID (P345): tt11000808" in citation.quote
    assert "TMDB TV series ID (P4983): 100713" in citation.quote
    assert report["created"]["productions"] == 1


def test_people_and_award_outcomes_come_with_point_in_time_and_conferrer():
    run("--entities", str(ENTITIES))

    coel = Person.objects.get(wikidata_qid=COEL)
    assert (coel.name, coel.imdb_id, coel.tmdb_id) == (
        "Michaela Coel",
        "nm3760470",
        1291912,
    )
    assert coel.aliases == ["Michaela Ewuraba Boakye-Collinson"]
    assert Citation.objects.filter(object_id=coel.pk, quote__contains="nm3760470")
    outcomes = {
        (o.category.name, o.ceremony_year, o.result, o.category.award_body.name)
        for o in AwardOutcome.objects.select_related("category__award_body")
    }
    assert (
        "British Academy Television Award for Best Actress",
        2021,
        "won",
        "British Academy of Film and Television Arts",
    ) in outcomes
    assert (
        "Primetime Emmy Award for Outstanding Limited or Anthology Series",
        2021,
        "nominated",
        "Academy of Television Arts & Sciences",
    ) in outcomes
    actress = AwardOutcome.objects.get(category__name__endswith="Best Actress")
    # Her award is "for work" I May Destroy You, and names her.
    assert actress.production.wikidata_qid == IMDY
    assert list(actress.people.values_list("name", flat=True)) == ["Michaela Coel"]
    quote = actress.citations.get().quote
    assert "point in time (P585): 2021" in quote
    assert "conferred by (P1027): British Academy of Film and Television Arts" in quote
    for outcome in AwardOutcome.objects.all():
        assert outcome.citations.filter(source__publisher="Wikidata").exists()


def test_a_second_run_changes_nothing():
    run("--entities", str(ENTITIES))
    before = snapshot()

    report = run("--entities", str(ENTITIES))

    assert report["created"] == {}
    assert report["updated"] == {}
    assert snapshot() == before


def test_existing_records_are_enriched_by_name_and_year_never_duplicated():
    demo_data_load()
    curated = Production.objects.get(slug="i-may-destroy-you")
    notes = curated.ic_notes

    run("--entities", str(ENTITIES))

    production = Production.objects.get(wikidata_qid=IMDY)
    assert production.pk == curated.pk
    assert production.ic_status == choices.ICStatus.USED
    assert production.ic_notes == notes
    assert Production.objects.filter(title__iexact="I May Destroy You").count() == 1
    assert Person.objects.filter(name="Michaela Coel").count() == 1
    # The demo's BAFTA and its "Mini-Series" category are the ones used.
    assert Organization.objects.filter(name__contains="British Academy").count() == 1
    bafta = AwardCategory.objects.filter(award_body__slug="bafta")
    assert "Mini-Series" in set(bafta.values_list("name", flat=True))
    assert not bafta.filter(name__contains="Mini-Series").exclude(name="Mini-Series")
    # The television academy is found by the Wikidata item's alias.
    emmy = AwardCategory.objects.get(name__contains="Outstanding Writing")
    assert emmy.award_body.slug == "television-academy"
    assert not Organization.objects.filter(name__contains="Arts & Sciences").exists()


def test_a_record_is_found_by_imdb_id_and_keeps_its_curated_title():
    kept = factories.ProductionFactory(title="IMDY (curated)", imdb_id="tt11000808")

    run("--entities", str(ENTITIES))

    kept.refresh_from_db()
    assert kept.wikidata_qid == IMDY
    assert kept.title == "IMDY (curated)"
    assert "I May Destroy You" in kept.aliases
    assert Production.objects.count() == 1


def test_a_record_with_another_qid_is_left_alone_with_a_warning():
    other = factories.ProductionFactory(
        title="Look-alike", imdb_id="tt11000808", wikidata_qid="Q1"
    )

    report = run("--entities", str(ENTITIES))

    other.refresh_from_db()
    assert other.wikidata_qid == "Q1"
    assert any("Q1" in w and "left alone" in w for w in report["warnings"])
    assert not Production.objects.filter(wikidata_qid=IMDY).exists()


def test_only_the_qids_given_are_imported_from_a_file():
    run(COEL, "--entities", str(ENTITIES))

    assert Person.objects.filter(wikidata_qid=COEL).exists()
    assert not Production.objects.filter(wikidata_qid=IMDY).exists()
    with pytest.raises(CommandError, match="Not in the input: Q999"):
        run("Q999", "--entities", str(ENTITIES))


def test_a_sparql_results_file_adds_and_enriches_productions():
    run("--entities", str(ENTITIES))

    report = run("--query", str(SPARQL))

    normal = Production.objects.get(wikidata_qid="Q65119468")
    assert (normal.title, normal.imdb_id, normal.tmdb_id) == (
        "Normal People",
        "tt9059760",
        89905,
    )
    assert normal.kind == choices.ProductionKind.MINI_SERIES
    nomination = normal.award_outcomes.get()
    assert nomination.result == choices.AwardResult.NOMINATED
    assert nomination.ceremony_year == 2021
    # The same BAFTA category as the entity file's, not a second one.
    assert AwardCategory.objects.filter(name__contains="Mini-Series").count() == 1
    assert report["created"]["productions"] == 1
    assert Production.objects.filter(wikidata_qid=IMDY).count() == 1


def _entities():
    return json.loads(ENTITIES.read_text())


def _bad(mutate, tmp_path) -> Path:
    document = _entities()
    mutate(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


IMDB_VALUE = f"entities.{IMDY}.claims.P345[0].mainsnak.datavalue.value"


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (
            lambda d: d["entities"][IMDY]["claims"]["P345"][0]["mainsnak"][
                "datavalue"
            ].update(value=11000808),
            IMDB_VALUE,
            "expected a string, found a number",
        ),
        (
            lambda d: d["entities"][IMDY]["claims"]["P345"][0]["mainsnak"][
                "datavalue"
            ].update(value="11000808"),
            IMDB_VALUE,
            "not an IMDb title id",
        ),
        (
            lambda d: d["entities"][COEL]["claims"]["P166"][0]["qualifiers"]["P585"][0][
                "datavalue"
            ]["value"].update(time="2021"),
            f"entities.{COEL}.claims.P166[0].qualifiers.P585[0].datavalue.value.time",
            "not a Wikidata time value",
        ),
        (
            lambda d: d.update(entities=[]),
            "entities",
            "expected an object of entities, found a list",
        ),
        (
            lambda d: d["entities"].update(Q5=d["entities"][IMDY]),
            "entities.Q5.id",
            "differs from its key",
        ),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_naming_the_path_and_nothing_written(
    tmp_path, mutate, path, message
):
    bad = _bad(mutate, tmp_path)

    with pytest.raises(CommandError) as refused:
        run("--entities", str(ENTITIES), "--entities", str(bad))

    text = str(refused.value)
    assert str(bad) in text
    assert f"{path}: " in text
    assert message in text
    assert Production.objects.count() == Source.objects.count() == 0


def test_a_sparql_file_missing_the_item_variable_is_refused(tmp_path):
    document = json.loads(SPARQL.read_text())
    document["head"]["vars"].remove("item")
    bad = tmp_path / "bad.sparql.json"
    bad.write_text(json.dumps(document))

    with pytest.raises(CommandError, match=r"head\.vars: the query must select \?item"):
        run("--query", str(bad))
    assert not Production.objects.exists()


def test_a_file_that_is_not_json_is_refused(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("I May Destroy You, 2020")

    with pytest.raises(CommandError, match="is not JSON"):
        run("--entities", str(bad))


def test_an_import_that_fails_midway_writes_nothing(monkeypatch):
    bundle = entities_parse(_entities())
    from tracker.services import wikidata

    def broken(self, item, record):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(wikidata._Importer, "outcomes", broken)

    with pytest.raises(RuntimeError):
        wikidata_import(bundle=bundle, retrieved_on=RETRIEVED)
    assert Production.objects.count() == Person.objects.count() == 0


def test_a_missing_item_in_an_api_answer_is_refused():
    document = {"entities": {"Q999": {"id": "Q999", "missing": ""}}}

    with pytest.raises(WikidataShapeError, match="Wikidata has no item Q999"):
        entities_parse(copy.deepcopy(document))


def test_qids_are_fetched_through_the_guarded_fetcher(
    feed_server, fake_internet, settings
):
    fake_internet["wikidata.test"] = ["127.0.0.1"]
    settings.TRACKER_WIKIDATA_URL = f"http://wikidata.test:{feed_server.port}"
    path = entities_url("", [IMDY, COEL])
    feed_server.route(
        path,
        body=(RECORDED / "wbgetentities.json").read_bytes(),
        headers={"Content-Type": "application/json"},
    )

    run(IMDY, COEL)

    assert Production.objects.filter(wikidata_qid=IMDY).exists()
    assert Person.objects.filter(wikidata_qid=COEL).exists()
    request = feed_server.requests_to(path)
    assert len(request) == 1
    assert "IC-awards-tracker" in request[0]["User-Agent"]


def test_a_fetch_from_a_private_address_is_refused(settings, feed_server):
    settings.TRACKER_WIKIDATA_URL = f"http://127.0.0.1:{feed_server.port}"

    with pytest.raises(CommandError, match="loopback"):
        run(IMDY)
    assert feed_server.seen == []
    assert not Production.objects.exists()


def test_no_input_and_bad_qids_are_refused():
    with pytest.raises(CommandError, match="Give QIDs"):
        call_command("wikidata_import")
    with pytest.raises(CommandError, match="Not Wikidata ids: tt11000808"):
        call_command("wikidata_import", "tt11000808")
