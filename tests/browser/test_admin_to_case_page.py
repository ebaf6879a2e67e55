"""Staff record a production in the admin; the public page shows it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot
from tracker.demo import demo_data_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-staff-password"  # pragma: allowlist secret


@pytest.fixture
def curator(db):
    """A staff member with only the permissions curating productions needs."""
    user = factories.StaffFactory(username="curator", password=PASSWORD)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker",
            codename__in=[
                "add_production",
                "change_production",
                "view_production",
                "add_credit",
                "view_credit",
                "add_citation",
                "view_citation",
                "view_source",
                "view_person",
            ],
        )
    )
    return user


def choose(page, select_name: str, search: str, option: str):
    """Pick a value in one of the admin's autocomplete (select2) widgets."""
    page.locator(f'select[name="{select_name}"] + .select2 .select2-selection').click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_a_production_added_in_the_admin_appears_on_the_case_page(
    live_server, page, console, curator
):
    demo_data_load()
    source = factories.SourceFactory(
        title="Babygirl's intimacy coordinator on set", publisher="Variety"
    )
    coordinator = factories.PersonFactory(name="Lizzy Talbot", slug="lizzy-talbot")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/tracker/production/add/")
    page.fill("#id_title", "Babygirl")
    page.select_option("#id_kind", "feature")
    page.fill("#id_start_year", "2024")
    page.select_option("#id_ic_status", "used")
    page.select_option("#id_ic_evidence", "on_screen_credit")
    choose(page, "credits-0-person", "Talbot", coordinator.name)
    page.select_option('select[name="credits-0-role"]', "intimacy_coordinator")
    citation = "tracker-citation-content_type-object_id-0"
    choose(page, f"{citation}-source", "Babygirl", source.title)
    page.fill(f'[name="{citation}-quote"]', "Lizzy Talbot coordinated the film.")
    screenshot(page, "admin-add-production")
    page.click('input[name="_save"]')
    expect(page).to_have_url(f"{live_server.url}/admin/tracker/production/")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"{live_server.url}/")
    card = page.locator(".production-card", has_text="Babygirl")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Lizzy Talbot")
    # The demo's 14 productions and the new one; the headline's cohort,
    # which the new production is not in, is unchanged.
    tracked = page.locator(".figure", has_text="productions tracked")
    expect(tracked.locator(".figure__number")).to_have_text("15")
    expect(page.locator(".figure--lead")).to_contain_text("2 of 2 known")

    api = page.request.get(
        f"{live_server.url}/api/v1/productions/?coordinator=lizzy-talbot"
    ).json()
    assert [p["title"] for p in api["results"]] == ["Babygirl"]
    assert api["results"][0]["ic_status"] == "used"

    card.locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/productions/babygirl/")
    sources = page.locator(".citation__source")
    expect(sources).to_contain_text("Babygirl's intimacy coordinator on set")
    expect(sources).to_contain_text("Variety")
    assert console.errors == []
