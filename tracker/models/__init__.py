from .archive import LinkCheck, QuoteNotFound, SourceLink, SourceSnapshot
from .awards import AwardCategory, AwardMention, AwardOutcome
from .campaigns import Campaign, CampaignMilestone
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
    "Credit",
    "IndustryStatistic",
    "Organization",
    "Person",
    "Policy",
    "Production",
    "Source",
    "Statement",
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
