"""The admin panel: staff only, every page renders, edits are recorded and
the citation rule holds."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tracker import choices
from tracker.models import Production, Statement

pytestmark = pytest.mark.django_db

TRACKER_ADMINS = [
    model for model in admin.site._registry if model._meta.app_label == "tracker"
]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(admin_url(Production, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_users_who_are_not_staff_cannot_enter(client):
    client.force_login(factories.UserFactory())

    response = client.get(admin_url(Production, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", TRACKER_ADMINS, ids=lambda m: m.__name__)
def test_every_changelist_and_form_renders_for_staff(
    admin_client, superuser, rf, model
):
    call_command("load_demo_data")
    obj = model._default_manager.first()
    request = rf.get("/")
    request.user = superuser

    pages = [
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=o",
    ]
    if admin.site._registry[model].has_add_permission(request):
        pages.append(admin_url(model, "add"))
    else:
        # Some records are made elsewhere only (API tokens by a command).
        assert admin_client.get(admin_url(model, "add")).status_code == 403
    if obj is not None:
        pages += [
            admin_url(model, "change", obj.pk),
            admin_url(model, "history", obj.pk),
        ]
    for page in pages:
        response = admin_client.get(page)
        # Records written only by the system (news articles, matches) have
        # no add form.
        refused = page.endswith("/add/") and not admin.site._registry[
            model
        ].has_add_permission(response.wsgi_request)
        assert response.status_code == (403 if refused else 200), page


def test_the_production_list_filters_by_ic_status_and_decade(admin_client):
    call_command("load_demo_data")

    response = admin_client.get(
        admin_url(Production, "changelist") + "?ic_status=not_used&decade=2010"
    )

    assert [p.title for p in response.context["cl"].result_list] == ["Game of Thrones"]


def test_search_finds_a_person_by_alias(admin_client):
    call_command("load_demo_data")

    response = admin_client.get(
        admin_url(factories.PersonFactory._meta.model, "changelist") + "?q=Hallqvist"
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Erika Lust"]


def citation_formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


CITATIONS = "tracker-citation-content_type-object_id"


def statement_form(speaker, citations):
    return {
        "speaker": speaker.pk,
        "quote": "Intimacy coordinators spoil the spontaneity.",
        "stance": choices.Stance.OPPOSES,
        "date_precision": choices.DatePrecision.YEAR,
        "date": "2022-01-01",
        **citation_formset(CITATIONS, citations),
    }


def test_the_admin_refuses_a_statement_without_a_source(admin_client):
    speaker = factories.PersonFactory()

    response = admin_client.post(
        admin_url(Statement, "add"),
        statement_form(speaker, [{"source": "", "stance": "supports"}]),
    )

    assert response.status_code == 200
    assert "Every claim must cite at least one source" in response.content.decode()
    assert not Statement.objects.exists()


def test_the_admin_saves_a_statement_with_a_source_and_records_who(
    admin_client, superuser
):
    speaker = factories.PersonFactory()
    source = factories.SourceFactory()

    response = admin_client.post(
        admin_url(Statement, "add"),
        statement_form(
            speaker, [{"source": source.pk, "stance": "supports", "quote": "x"}]
        ),
    )

    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.citations.get().source == source
    assert statement.history.get().history_user == superuser


def test_an_admin_edit_is_recorded_in_the_history(admin_client, superuser):
    production = factories.ProductionFactory(
        title="Bridgerton",
        ic_status=choices.ICStatus.UNKNOWN,
        ic_evidence="",
        cite=False,
    )
    source = factories.SourceFactory()
    form = {
        "title": "Bridgerton",
        "slug": production.slug,
        "kind": choices.ProductionKind.SERIES,
        "start_year": "2020",
        "ic_status": choices.ICStatus.USED,
        "ic_evidence": choices.ICEvidence.PRESS_REPORT,
        "aliases": "",
        **citation_formset("credits", []),
        **citation_formset(
            CITATIONS,
            [{"source": source.pk, "stance": "supports", "quote": "It did."}],
        ),
    }

    response = admin_client.post(admin_url(Production, "change", production.pk), form)

    assert response.status_code == 302, response.context["errors"]
    latest = production.history.latest()
    assert latest.history_user == superuser
    delta = latest.diff_against(latest.prev_record)
    assert {change.field for change in delta.changes} >= {"ic_status", "kind"}
    page = admin_client.get(admin_url(Production, "history", production.pk))
    assert superuser.username in page.content.decode()


def test_removing_the_last_citation_of_a_claim_is_refused(admin_client):
    statement = factories.StatementFactory()
    citation = statement.citations.get()
    form = statement_form(statement.speaker, [])
    form.update(
        {
            f"{CITATIONS}-TOTAL_FORMS": "1",
            f"{CITATIONS}-INITIAL_FORMS": "1",
            f"{CITATIONS}-0-id": str(citation.pk),
            f"{CITATIONS}-0-source": str(citation.source_id),
            f"{CITATIONS}-0-stance": "supports",
            f"{CITATIONS}-0-DELETE": "on",
        }
    )

    response = admin_client.post(admin_url(Statement, "change", statement.pk), form)

    assert response.status_code == 200
    assert statement.citations.count() == 1


def test_the_citation_inline_enforces_the_rule():
    from tracker.admin.core import CitationInline, RequiredCitationFormSet

    assert issubclass(RequiredCitationFormSet, BaseGenericInlineFormSet)
    assert CitationInline.formset is RequiredCitationFormSet


def import_productions(admin_client, csv_text):
    upload = SimpleUploadedFile("productions.csv", csv_text.encode(), "text/csv")
    return admin_client.post(
        admin_url(Production, "import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )


def test_csv_import_refuses_an_ic_claim_without_a_known_source(admin_client):
    response = import_productions(
        admin_client,
        "slug,title,kind,ic_status,ic_evidence,citation_1_source_url\n"
        "euphoria,Euphoria,series,used,press_report,https://nowhere.example/x\n",
    )

    assert "No source with URL https://nowhere.example/x" in response.content.decode()
    assert not Production.objects.filter(slug="euphoria").exists()


def test_csv_import_previews_an_ic_claim_with_a_known_source(admin_client):
    source = factories.SourceFactory(url="https://news.example.org/euphoria")

    response = import_productions(
        admin_client,
        "slug,title,kind,ic_status,ic_evidence,citation_1_source_url\n"
        f"euphoria,Euphoria,series,used,press_report,{source.url}\n",
    )

    assert response.status_code == 200
    assert "needs a source" not in response.content.decode()
    assert response.context["result"].totals["new"] == 1
