from .archive import LinkCheck, QuoteNotFound, SourceLink, SourceSnapshot
from .awards import AwardCategory, AwardMention, AwardOutcome
from .campaigns import Campaign, CampaignMilestone
from .cohorts import Cohort
from .entities import Credit, Organization, Person, Production
from .evidence import IndustryStatistic, Policy, Statement
from .news import (
    AmbiguousAlias,
    ArticleMatch,
    ArticleSighting,
    Feed,
    Lead,
    NewsArticle,
)
from .sources import Citation, CitedClaim, Source
from .tokens import ApiToken
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = (
    "AmbiguousAlias",
    "ApiToken",
    "LinkCheck",
    "QuoteNotFound",
    "SourceLink",
    "SourceSnapshot",
    "ArticleMatch",
    "ArticleSighting",
    "Feed",
    "Lead",
    "NewsArticle",
    "AwardCategory",
    "AwardMention",
    "AwardOutcome",
    "Campaign",
    "CampaignMilestone",
    "Citation",
    "CitedClaim",
    "Cohort",
    "Credit",
    "IndustryStatistic",
    "Organization",
    "Person",
    "Policy",
    "Production",
    "Source",
    "Statement",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
)

# Every model whose rows are claims that must cite a source.
CLAIM_MODELS = (
    Production,
    AwardCategory,
    AwardOutcome,
    AwardMention,
    Statement,
    Policy,
    IndustryStatistic,
    CampaignMilestone,
)
