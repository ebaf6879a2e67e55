"""import_cohort: a cohort's members from a spreadsheet, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from tracker.models import Cohort, Production

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return Cohort.objects.create(
        name="BAFTA TV 2021 Mini-Series nominees",
        inclusion_rule="Every nominee for Mini-Series at the 2021 BAFTA TV Awards.",
        year=2021,
    )


def _csv(tmp_path, text):
    path = tmp_path / "cohort.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_known_productions_join_and_unknown_ones_are_created_unknown(tmp_path, cohort):
    known = f.ProductionFactory(title="I May Destroy You", start_year=2020)
    by_id = f.ProductionFactory(title="Normal People", imdb_id="tt9059760")
    path = _csv(
        tmp_path,
        "title,year,kind,imdb_id,wikidata_id\n"
        "i may destroy you,2020,mini_series,,\n"
        "Normal People (retitled),2020,,tt9059760,\n"
        "Small Axe,2020,Mini-series,,Q87730613\n",
    )

    call_command("import_cohort", cohort.name, str(path))

    assert set(cohort.members.all()) == {
        known,
        by_id,
        Production.objects.get(title="Small Axe"),
    }
    created = Production.objects.get(title="Small Axe")
    assert (created.ic_status, created.kind, created.start_year) == (
        "unknown",
        "mini_series",
        2020,
    )
    assert created.wikidata_qid == "Q87730613"


def test_a_second_import_of_the_same_file_adds_nothing(tmp_path, cohort):
    path = _csv(tmp_path, "title,year,kind\nSmall Axe,2020,mini_series\n")
    call_command("import_cohort", cohort.slug, str(path))

    call_command("import_cohort", cohort.slug, str(path))

    assert cohort.members.count() == 1
    assert Production.objects.count() == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (",2020,series\n", "row 3, title: a title is required"),
        ("Adult Material,twenty,series\n", "row 3, year: 'twenty' is not a year"),
        ("Adult Material,20200,series\n", "row 3, year: 20200 is not between"),
        ("Adult Material,2020,soap\n", "row 3, kind: 'soap' is not one of"),
        ("Adult Material,2020,\n", "row 3, kind: 'Adult Material' is new"),
        ("Adult Material,2020,series,nm123,\n", "row 3, imdb_id:"),
    ],
)
def test_a_bad_row_is_refused_naming_row_and_field_and_nothing_is_written(
    tmp_path, cohort, rows, message
):
    path = _csv(
        tmp_path,
        "title,year,kind,imdb_id,wikidata_id\nSmall Axe,2020,series,,\n" + rows,
    )

    with pytest.raises(CommandError, match="nothing imported") as raised:
        call_command("import_cohort", cohort.name, str(path))

    assert message in str(raised.value)
    assert not Production.objects.exists()
    assert cohort.members.count() == 0


def test_a_file_without_the_columns_is_refused(tmp_path, cohort):
    path = _csv(tmp_path, "name,when\nSmall Axe,2020\n")

    with pytest.raises(CommandError, match="lacks the column.*title, year, kind"):
        call_command("import_cohort", cohort.name, str(path))


def test_a_new_cohort_needs_its_inclusion_rule(tmp_path):
    path = _csv(tmp_path, "title,year,kind\nSmall Axe,2020,mini_series\n")

    with pytest.raises(CommandError, match="--rule"):
        call_command("import_cohort", "A new cohort", str(path))
    call_command(
        "import_cohort",
        "A new cohort",
        str(path),
        "--rule",
        "Anything.",
        "--year",
        "2021",
    )

    cohort = Cohort.objects.get(name="A new cohort")
    assert cohort.year == 2021
    assert [p.title for p in cohort.members.all()] == ["Small Axe"]
