"""factory_boy factories. Claim factories attach a citation after creation,
so every claim they build obeys the citation rule."""

import factory
from django.contrib.auth import get_user_model

from tracker import choices, models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse")


class StaffFactory(UserFactory):
    is_staff = True


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Report number {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    publisher = "Example News"
    kind = choices.SourceKind.ARTICLE


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Studio {n}")
    kind = choices.OrganizationKind.STUDIO


class AwardBodyFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Award Academy {n}")
    kind = choices.OrganizationKind.AWARD_BODY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")


class CitedFactory(factory.django.DjangoModelFactory):
    """Adds one supporting citation unless `cite=False`."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def cite(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        # A claim's verbatim quote is in its supporting passage, as the
        # verbatim rule requires.
        quote = getattr(obj, obj.quote_field) if obj.quote_field else ""
        models.Citation.objects.create(
            claim=obj,
            source=extracted or SourceFactory(),
            quote=quote or "As reported.",
        )


class ProductionFactory(CitedFactory):
    class Meta:
        model = models.Production

    title = factory.Sequence(lambda n: f"Production {n}")
    kind = choices.ProductionKind.FEATURE
    start_year = 2023
    ic_status = choices.ICStatus.USED
    ic_evidence = choices.ICEvidence.PRESS_REPORT


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Credit

    person = factory.SubFactory(PersonFactory)
    production = factory.SubFactory(ProductionFactory)
    role = choices.CreditRole.INTIMACY_COORDINATOR


class AwardCategoryFactory(CitedFactory):
    class Meta:
        model = models.AwardCategory

    award_body = factory.SubFactory(AwardBodyFactory)
    name = factory.Sequence(lambda n: f"Best Thing {n}")
    status = choices.AwardCategoryStatus.EXISTING


class AwardOutcomeFactory(CitedFactory):
    class Meta:
        model = models.AwardOutcome

    category = factory.SubFactory(AwardCategoryFactory)
    ceremony_year = 2021
    production = factory.SubFactory(ProductionFactory)
    result = choices.AwardResult.WON


class AwardMentionFactory(CitedFactory):
    class Meta:
        model = models.AwardMention

    kind = choices.AwardMentionKind.DEDICATION
    speaker = factory.SubFactory(PersonFactory)
    coordinator = factory.SubFactory(PersonFactory)
    quote = "Thank you for making the space safe."
    date = factory.Faker("date_object")

    @factory.post_generation
    def award_bodies(obj, create, extracted, **kwargs):
        """One new award body unless given a list."""
        if not create:
            return
        obj.award_bodies.set(
            extracted if extracted is not None else [AwardBodyFactory()]
        )

    @factory.post_generation
    def outcomes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.outcomes.set(extracted)


class StatementFactory(CitedFactory):
    class Meta:
        model = models.Statement

    speaker = factory.SubFactory(PersonFactory)
    quote = factory.Sequence(lambda n: f"Intimacy coordinators matter ({n}).")
    stance = choices.Stance.SUPPORTS
    date = factory.Faker("date_object")


class PolicyFactory(CitedFactory):
    class Meta:
        model = models.Policy

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"IC policy {n}")
    scope = "All sets with intimate scenes."
    status = choices.PolicyStatus.MANDATED


class IndustryStatisticFactory(CitedFactory):
    class Meta:
        model = models.IndustryStatistic

    metric = factory.Sequence(lambda n: f"Share of films measured ({n})")
    value = 42
    unit = choices.StatisticUnit.PERCENT
    sample = "the 250 highest-grossing films of 2023"
    year = 2023
    quoted_wording = "42 percent of films did the thing."


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    target_body = factory.SubFactory(AwardBodyFactory)
    status = choices.CampaignStatus.LOBBYING


class CampaignMilestoneFactory(CitedFactory):
    class Meta:
        model = models.CampaignMilestone

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    date = factory.Faker("date_object")


def one_of_each():
    """A small tracker: one record of every kind, linked, so every list and
    filter of the API has rows to serialize. Returns the production."""
    coordinator = PersonFactory(name="Ita O'Brien")
    production = ProductionFactory(title="I May Destroy You")
    CreditFactory(production=production, person=coordinator)
    AwardMentionFactory(coordinator=coordinator, production=production)
    AwardOutcomeFactory(production=production)
    StatementFactory(about_coordinator=coordinator)
    PolicyFactory()
    IndustryStatisticFactory()
    CampaignMilestoneFactory()
    return production
