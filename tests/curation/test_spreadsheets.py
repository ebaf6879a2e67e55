"""Spreadsheets in and out: every record type round-trips, blank ids are
NULL, a bad sheet is refused whole with its row and column named."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tracker import choices
from tracker.admin.resources import RESOURCES, ProductionResource
from tracker.models import (
    AwardOutcome,
    Citation,
    Cohort,
    Credit,
    Organization,
    Production,
    Source,
)
from tracker.services.spreadsheets import (
    SheetRefused,
    sheet_import,
    sheet_read,
    sheet_write,
)

pytestmark = pytest.mark.django_db


def export(name, extension="csv") -> bytes:
    resource = RESOURCES[name]()
    return sheet_write(resource.export(), extension)


def import_(name, data: bytes, extension="csv", dry_run=False):
    return sheet_import(
        resource=RESOURCES[name](),
        dataset=sheet_read(data, extension),
        dry_run=dry_run,
    )


def csv(text: str) -> bytes:
    return text.encode()


@pytest.mark.slow
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_export_imports_back_as_no_changes(name, extension):
    call_command("load_demo_data")
    data = export(name, extension)

    result = import_(name, data, extension)

    assert result.totals["new"] == 0
    assert result.totals["update"] == 0
    assert result.totals["skip"] == RESOURCES[name]().get_queryset().count() > 0


def test_two_productions_without_ids_import_and_store_null():
    sheet = csv(
        "slug,title,kind,imdb_id,wikidata_qid\none,One,feature,,\ntwo,Two,series,,\n"
    )

    result = import_("productions", sheet)
    again = import_("productions", csv("title,kind\nThree,feature\nFour,feature\n"))

    assert result.totals["new"] == 2 and again.totals["new"] == 2
    assert Production.objects.filter(imdb_id__isnull=True).count() == 4
    assert not Production.objects.filter(wikidata_qid="").exists()


@pytest.mark.slow
def test_a_500_row_sheet_without_ids_imports_and_its_export_changes_nothing():
    rows = "".join(f"Production {n},feature,{1990 + n % 30}\n" for n in range(500))

    result = import_("productions", csv("title,kind,start_year\n" + rows))
    back = import_("productions", export("productions"))

    assert result.totals["new"] == 500
    assert Production.objects.count() == 500
    assert back.totals["skip"] == 500 and back.totals["update"] == 0


def test_citations_travel_with_a_claim():
    source = factories.SourceFactory(url="https://news.example.org/hbo")
    sheet = csv(
        "slug,title,kind,ic_status,ic_evidence,citation_1_source_url,"
        "citation_1_stance,citation_1_quote,citation_1_locator\n"
        f"euphoria,Euphoria,series,used,press_report,{source.url},supports,"
        '"HBO hired an IC.",para 3\n'
    )

    import_("productions", sheet)
    exported = export("productions").decode()

    citation = Citation.objects.get()
    assert (citation.source, citation.quote, citation.locator) == (
        source,
        "HBO hired an IC.",
        "para 3",
    )
    assert "citation_1_source_url" in exported.splitlines()[0]
    assert "HBO hired an IC." in exported


def test_credits_travel_with_people_and_productions():
    production = factories.ProductionFactory(slug="normal-people", cite=False)
    person = factories.PersonFactory(slug="ita-obrien")

    import_(
        "people",
        csv(
            "slug,name,credits\n"
            'ita-obrien,Ita O\'Brien,"normal-people:intimacy_coordinator"\n'
        ),
    )
    people_sheet = export("people").decode()
    production_sheet = export("productions").decode()

    credit = Credit.objects.get()
    assert (credit.person, credit.production, credit.role) == (
        person,
        production,
        choices.CreditRole.INTIMACY_COORDINATOR,
    )
    assert "normal-people:intimacy_coordinator" in people_sheet
    assert "ita-obrien:intimacy_coordinator" in production_sheet


@pytest.mark.parametrize(
    ("sheet", "named"),
    [
        ("slug,title,kind,colour\nx,X,feature,red\n", "Column D ('colour')"),
        (
            "slug,title,kind,ic_status,ic_evidence,citation_1_source_url\n"
            "x,X,feature,used,press_report,https://nowhere.example/a\n",
            "Row 2, column citation_1_source_url: No source with URL",
        ),
        (
            "slug,title,kind,ic_status,ic_evidence,citation_1_source_url,"
            "citation_1_stance\n"
            "x,X,feature,used,press_report,https://known.example/a,maybe\n",
            "Row 2, column citation_1_stance: 'maybe' is not a stance",
        ),
        (
            "slug,title,kind\nx,X,feature\ny,Y,feature\nx,X again,feature\n",
            "Row 4, column slug: 'x' is also on row 2",
        ),
        ("slug,title,kind\nx,X,feature\ny,Y,opera\n", "Row 3, column kind"),
    ],
    ids=["unknown-column", "unknown-source", "bad-stance", "duplicate-key", "choice"],
)
def test_a_bad_sheet_is_refused_whole_naming_row_and_column(sheet, named):
    factories.SourceFactory(url="https://known.example/a")

    with pytest.raises(SheetRefused) as refused:
        import_("productions", csv(sheet))

    assert named in str(refused.value)
    assert not Production.objects.exists()


def test_a_claim_without_a_source_is_refused():
    with pytest.raises(SheetRefused) as refused:
        import_(
            "productions",
            csv(
                "slug,title,kind,ic_status,ic_evidence\nx,X,feature,used,press_report\n"
            ),
        )

    assert "Row 2, column citation_1_source_url: This production needs a source" in str(
        refused.value
    )


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_formula_cells_are_neutralised_and_come_back_unchanged(extension):
    factories.ProductionFactory(
        title='=HYPERLINK("https://evil.example","x")', ic_notes="-1+2", cite=False
    )
    data = export("productions", extension)

    dataset = sheet_read(data, extension)
    result = import_("productions", data, extension)

    if extension == "csv":
        assert "'=HYPERLINK" in data.decode()
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert dataset["title"][0].startswith("=HYPERLINK")
    assert result.totals["skip"] == 1


def test_the_commands_round_trip_with_a_dry_run(tmp_path):
    call_command("load_demo_data")
    path = tmp_path / "statements.xlsx"
    out = io.StringIO()

    call_command("export_records", "statements", str(path), stdout=out)
    call_command("import_records", "statements", str(path), "--dry-run", stdout=out)

    assert "Would import statements" in out.getvalue()
    assert "0 new, 0 updated" in out.getvalue()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_commands_round_trip_every_resource(tmp_path, extension):
    call_command("load_demo_data")
    said = {}

    for name in RESOURCES:
        path = tmp_path / f"{name}.{extension}"
        out = io.StringIO()
        call_command("export_records", name, str(path), stdout=io.StringIO())
        call_command("import_records", name, str(path), stdout=out)
        said[name] = out.getvalue().strip()

    for name, resource in RESOURCES.items():
        count = resource().get_queryset().count()
        assert count > 0, name
        assert said[name] == (
            f"Imported {name} from {tmp_path / f'{name}.{extension}'}: "
            f"0 new, 0 updated, {count} unchanged."
        )


def test_import_records_names_the_problem_and_writes_nothing(tmp_path):
    path = tmp_path / "productions.csv"
    path.write_text("slug,title,kind\na,A,feature\nb,B,opera\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_records", "productions", str(path))

    assert "Row 3, column kind" in str(refused.value)
    assert not Production.objects.exists()


def test_import_records_refuses_other_formats(tmp_path):
    path = tmp_path / "productions.yaml"
    path.write_text("- title: A\n")

    with pytest.raises(CommandError, match="csv or .xlsx"):
        call_command("import_records", "productions", str(path))


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_sheet_with_a_date_carries_how_precisely_it_is_known(name):
    """A date known only to its year is stored as 1 January: a sheet that
    dropped its precision would bring it back, into a fresh tracker, as
    that very day."""
    resource = RESOURCES[name]()
    headers = resource.export().headers
    precisions = [
        field.name
        for field in resource._meta.model._meta.concrete_fields
        if field.name.endswith("_precision")
    ]

    assert [p for p in precisions if p not in headers] == []


def test_a_year_dated_source_comes_back_from_its_sheet_as_a_year():
    factories.SourceFactory(
        slug="a-feature",
        published_on="2024-01-01",
        published_precision=choices.DatePrecision.YEAR,
    )
    data = export("sources")
    Citation.objects.all().delete()
    Source.objects.all().delete()

    import_("sources", data)

    source = Source.objects.get(slug="a-feature")
    assert (source.published_display, source.published_precision) == ("2024", "year")


def test_the_production_sheet_names_its_columns():
    headers = ProductionResource().export().headers

    assert headers[:3] == ["slug", "title", "kind"]
    assert "credits" in headers and "citation_1_source_url" in headers


# --- cohorts -----------------------------------------------------------------


def test_a_cohort_travels_with_its_members_and_list_source():
    listing = factories.SourceFactory(url="https://awards.example.org/2021")
    for slug in ("normal-people", "i-may-destroy-you"):
        factories.ProductionFactory(slug=slug, cite=False)
    sheet = csv(
        "slug,name,inclusion_rule,list_source,year,self_selected,members\n"
        "bafta-2021,BAFTA TV 2021,Every nominee,https://awards.example.org/2021,"
        "2021,false,normal-people|i-may-destroy-you\n"
    )

    result = import_("cohorts", sheet)
    exported = export("cohorts")
    back = import_("cohorts", exported)

    cohort = Cohort.objects.get()
    assert result.totals["new"] == 1
    assert cohort.list_source == listing
    assert sorted(cohort.members.values_list("slug", flat=True)) == [
        "i-may-destroy-you",
        "normal-people",
    ]
    assert "i-may-destroy-you|normal-people" in exported.decode()
    assert back.totals["skip"] == 1 and back.totals["update"] == 0


def test_a_changed_member_list_is_an_update():
    factories.ProductionFactory(slug="one", cite=False)
    factories.ProductionFactory(slug="two", cite=False)
    import_("cohorts", csv("slug,name,inclusion_rule,members\nc,C,Rule,one\n"))

    result = import_("cohorts", csv("slug,name,inclusion_rule,members\nc,C,Rule,two\n"))

    assert result.totals["update"] == 1
    assert list(Cohort.objects.get().members.values_list("slug", flat=True)) == ["two"]


@pytest.mark.parametrize(
    ("cell", "column", "named"),
    [
        ("members", "one|no-such-show", "No production with slug 'no-such-show'"),
        ("list_source", "https://nowhere.example/x", "No source with URL or slug"),
    ],
)
def test_a_bad_cohort_cell_is_refused_naming_row_and_column(cell, column, named):
    factories.ProductionFactory(slug="one", cite=False)
    sheet = csv(
        f"slug,name,inclusion_rule,{cell}\nfine,Fine,Rule,\nbad,Bad,Rule,{column}\n"
    )

    with pytest.raises(SheetRefused) as refused:
        import_("cohorts", sheet)

    assert f"Row 3, column {cell}: {named}" in str(refused.value)
    assert not Cohort.objects.exists()


def test_an_unknown_person_of_an_award_outcome_names_its_column():
    category = factories.AwardOutcomeFactory().category
    sheet = csv(
        "slug,category,ceremony_year,people,result\n"
        f"new-one,{category.slug},2021,nobody-at-all,won\n"
    )

    with pytest.raises(SheetRefused) as refused:
        import_("award-outcomes", sheet)

    assert "Row 2, column people: No person with slug 'nobody-at-all'" in str(
        refused.value
    )


def test_a_new_award_outcome_without_a_production_imports():
    outcome = factories.AwardOutcomeFactory()
    factories.PersonFactory(slug="ita-obrien")
    source_url = outcome.citations.first().source.url
    sheet = csv(
        "slug,category,ceremony_year,people,result,citation_1_source_url\n"
        f"new-one,{outcome.category.slug},2022,ita-obrien,won,{source_url}\n"
    )

    result = import_("award-outcomes", sheet)

    assert result.totals["new"] == 1
    assert AwardOutcome.objects.get(slug="new-one").people.get().slug == "ita-obrien"


def test_the_organizations_sheet_lists_parents_first_so_it_imports_afresh():
    group = factories.OrganizationFactory(name="Zeta Group")
    studio = factories.OrganizationFactory(name="Alpha Studio", parent=group)
    films = factories.OrganizationFactory(name="Beta Films", parent=studio)
    data = export("organizations")
    for organization in (films, studio, group):
        organization.delete()

    result = import_("organizations", data)

    assert [line.split(",")[0] for line in data.decode().splitlines()[1:]] == [
        "zeta-group",
        "alpha-studio",
        "beta-films",
    ]
    assert result.totals["new"] == 3
    assert Organization.objects.get(slug="beta-films").parent.parent.slug == (
        "zeta-group"
    )
