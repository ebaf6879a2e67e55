import pytest
from django.db import transaction

from tests import factories
from tracker.caching import CASE_PAGE, data_changed


def case_page_key():
    return CASE_PAGE.key()


def test_the_page_key_is_stable_while_nothing_changes():
    assert case_page_key() == case_page_key()


def test_a_data_change_gives_a_new_page_key():
    before = case_page_key()
    data_changed()
    assert case_page_key() != before


@pytest.mark.django_db
def test_saving_a_tracker_record_gives_a_new_page_key():
    before = case_page_key()
    factories.PersonFactory()
    assert case_page_key() != before


@pytest.mark.django_db
def test_deleting_a_tracker_record_gives_a_new_page_key():
    person = factories.PersonFactory()
    before = case_page_key()
    person.delete()
    assert case_page_key() != before


@pytest.mark.django_db
def test_changing_a_campaigns_precedents_gives_a_new_page_key():
    campaign = factories.CampaignFactory()
    category = factories.AwardCategoryFactory()
    before = case_page_key()
    campaign.precedents.add(category)
    assert case_page_key() != before


@pytest.mark.django_db
def test_saving_a_user_leaves_the_page_key_alone():
    before = case_page_key()
    factories.UserFactory()
    assert case_page_key() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_bumps_the_page_key_again_on_commit():
    # A page rendered between the write and the commit saw the old data, so
    # the key it was cached under must not survive the commit.
    with transaction.atomic():
        factories.PersonFactory()
        during = case_page_key()
    assert case_page_key() != during
