"""Per resource: a factory making a record, and payloads a staff member
with the permission may write."""

from collections.abc import Callable
from dataclasses import dataclass

from tests import factories as f
from tracker import choices as c
from tracker import models


def _cite(quote: str = "As reported."):
    """A citation whose passage holds `quote`, as the verbatim rule wants."""
    return [{"source": f.SourceFactory().slug, "quote": quote}]


@dataclass(frozen=True)
class Resource:
    path: str
    model: type
    make: Callable
    payload: Callable  # a full, valid record for POST and PUT
    patch: dict

    @property
    def codename(self) -> str:
        return self.model._meta.model_name

    def __str__(self):
        return self.path


RESOURCES = (
    Resource(
        "productions",
        models.Production,
        f.ProductionFactory,
        lambda: {
            "title": "A new series",
            "kind": c.ProductionKind.SERIES,
            "start_year": 2024,
            "ic_status": c.ICStatus.USED,
            "ic_evidence": c.ICEvidence.PRESS_REPORT,
            "citations": _cite(),
        },
        {"ic_notes": "Checked again."},
    ),
    Resource(
        "people",
        models.Person,
        f.PersonFactory,
        lambda: {"name": "A new coordinator"},
        {"description": "Intimacy coordinator"},
    ),
    Resource(
        "organizations",
        models.Organization,
        f.OrganizationFactory,
        lambda: {"name": "A new studio", "kind": c.OrganizationKind.STUDIO},
        {"description": "A studio."},
    ),
    Resource(
        "sources",
        models.Source,
        f.SourceFactory,
        lambda: {"title": "A new report", "url": "https://example.org/new"},
        {"publisher": "Another paper"},
    ),
    Resource(
        "award-categories",
        models.AwardCategory,
        f.AwardCategoryFactory,
        lambda: {
            "award_body": f.AwardBodyFactory().slug,
            "name": "Best Intimacy Coordination",
            "status": c.AwardCategoryStatus.PROPOSED,
            "citations": _cite(),
        },
        {"description": "Proposed."},
    ),
    Resource(
        "award-outcomes",
        models.AwardOutcome,
        f.AwardOutcomeFactory,
        lambda: {
            "category": f.AwardCategoryFactory().slug,
            "ceremony_year": 2021,
            "result": c.AwardResult.WON,
            "production": f.ProductionFactory().slug,
            "people": [f.PersonFactory().slug],
            "citations": _cite(),
        },
        {"result": c.AwardResult.NOMINATED},
    ),
    Resource(
        "award-mentions",
        models.AwardMention,
        f.AwardMentionFactory,
        lambda: {
            "kind": c.AwardMentionKind.DEDICATION,
            "award_bodies": [f.AwardBodyFactory().slug],
            "speaker": f.PersonFactory().slug,
            "coordinator": f.PersonFactory().slug,
            "date": "2021-04-11",
            "citations": _cite(),
        },
        {"quote": "Thank you."},
    ),
    Resource(
        "statements",
        models.Statement,
        f.StatementFactory,
        lambda: {
            "speaker": f.PersonFactory().slug,
            "quote": "They are essential.",
            "stance": c.Stance.SUPPORTS,
            "citations": _cite("“They are essential,” she said."),
        },
        {"venue": "An interview"},
    ),
    Resource(
        "policies",
        models.Policy,
        f.PolicyFactory,
        lambda: {
            "organization": f.OrganizationFactory().slug,
            "title": "ICs on every set",
            "scope": "All sets.",
            "status": c.PolicyStatus.MANDATED,
            "citations": _cite(),
        },
        {"scope": "Every set with intimate scenes."},
    ),
    Resource(
        "stats",
        models.IndustryStatistic,
        f.IndustryStatisticFactory,
        lambda: {
            "metric": "Share of sets with an IC",
            "value": "12.50",
            "unit": c.StatisticUnit.PERCENT,
            "sample": "100 productions",
            "year": 2023,
            "quoted_wording": "12.5 percent",
            "publishers": [f.OrganizationFactory().slug],
            "citations": _cite(),
        },
        {"report": "A report"},
    ),
    Resource(
        "campaigns",
        models.Campaign,
        f.CampaignFactory,
        lambda: {
            "name": "A Golden Globe for ICs",
            "target_body": f.AwardBodyFactory().slug,
            "status": c.CampaignStatus.LOBBYING,
        },
        {"summary": "Lobbying."},
    ),
)

CLAIM_RESOURCES = tuple(r for r in RESOURCES if issubclass(r.model, models.CitedClaim))
