"""The admin's import, hardened: CSV and XLSX only, bounded in size, the
confirm step takes only its own upload token, and confirming is all or
nothing. The admin's export neutralises formula cells."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tracker.models import Production

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:tracker_production_import")
CONFIRM = reverse("admin:tracker_production_process_import")
EXPORT = reverse("admin:tracker_production_export")


def preview(client, text, name="productions.csv", content_type="text/csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type)
    # Format 0 is CSV, 1 is XLSX: the only two offered.
    return client.post(IMPORT, {"resource": "0", "format": "0", "import_file": upload})


def confirm_fields(response) -> dict:
    form = response.context["confirm_form"]
    return {name: form.initial[name] for name in form.fields} | {"resource": "0"}


def test_only_csv_and_xlsx_are_offered(admin_client):
    form = admin_client.get(IMPORT).context["form"]

    labels = [label for value, label in form.fields["format"].choices if value != ""]
    assert labels == ["csv", "xlsx"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.TRACKER_IMPORT_MAX_BYTES = 100

    response = preview(admin_client, "slug,title,kind\n" + "x,X,feature\n" * 20)

    assert "imports are limited to 100" in response.content.decode()
    assert "confirm_form" not in response.context


def test_confirming_imports_the_previewed_sheet_once(admin_client):
    response = preview(admin_client, "slug,title,kind\nnew,New,feature\n")
    fields = confirm_fields(response)

    admin_client.post(CONFIRM, fields)
    replay = admin_client.post(CONFIRM, fields, follow=True)

    assert Production.objects.filter(slug="new").count() == 1
    assert "expired" in str(list(replay.context["messages"])[-1])


def test_the_confirm_step_refuses_another_users_token(admin_client, client):
    response = preview(admin_client, "slug,title,kind\nnew,New,feature\n")
    fields = confirm_fields(response)
    other = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other)

    refused = client.post(CONFIRM, fields, follow=True)

    assert "not one of yours" in str(list(refused.context["messages"])[0])
    assert not Production.objects.exists()


def test_the_confirm_step_refuses_a_bare_file_name(admin_client):
    response = preview(admin_client, "slug,title,kind\nnew,New,feature\n")
    fields = confirm_fields(response) | {"import_file_name": "../../etc/passwd"}

    refused = admin_client.post(CONFIRM, fields, follow=True)

    assert "not one of yours" in str(list(refused.context["messages"])[0])
    assert not Production.objects.exists()


def test_a_row_failing_at_confirm_refuses_the_whole_sheet(admin_client):
    source = factories.SourceFactory(url="https://news.example.org/a")
    response = preview(
        admin_client,
        "slug,title,kind,ic_status,ic_evidence,citation_1_source_url\n"
        "first,First,feature,unknown,,\n"
        f"second,Second,feature,used,press_report,{source.url}\n",
    )
    fields = confirm_fields(response)
    # Between preview and confirm, the source the second row cites goes.
    source.citations.all().delete()
    source.delete()

    refused = admin_client.post(CONFIRM, fields, follow=True)

    message = str(list(refused.context["messages"])[0])
    assert message.startswith("Nothing was imported.")
    assert "Row 3, column citation_1_source_url" in message
    assert not Production.objects.exists()


def test_the_admin_export_neutralises_formulas(admin_client):
    factories.ProductionFactory(title="=1+2", cite=False)

    response = admin_client.post(EXPORT, {"format": "0", "resource": "0"})

    text = response.content.decode()
    assert re.search(r"^[^,]*,'=1\+2,", text, re.MULTILINE), text
