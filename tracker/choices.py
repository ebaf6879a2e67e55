"""Every enumerated field of the tracker, in the campaign's words."""

from django.db import models


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    SPEECH = "speech", "Speech"
    REPORT = "report", "Report"
    PRESS_RELEASE = "press_release", "Press release"
    SOCIAL_POST = "social_post", "Social post"
    DATABASE = "database", "Database record (e.g. a Wikidata item)"


class CitationStance(models.TextChoices):
    SUPPORTS = "supports", "Supports the claim"
    DISPUTES = "disputes", "Disputes the claim"


class QuoteKind(models.TextChoices):
    """A verbatim quote is the speaker's words as a cited source prints
    them; a paraphrase is the tracker's summary, shown without quotation
    marks."""

    VERBATIM = "verbatim", "Verbatim"
    PARAPHRASE = "paraphrase", "Paraphrase"


class OrganizationKind(models.TextChoices):
    STUDIO = "studio", "Studio"
    NETWORK = "network", "Network or streamer"
    AWARD_BODY = "award_body", "Award body"
    FESTIVAL = "festival", "Festival"
    GUILD = "guild", "Guild or union"
    RESEARCH = "research", "Research institute"
    TRAINING = "training", "Training or certifying body"
    PUBLISHER = "publisher", "Publisher or news outlet"


class ProductionKind(models.TextChoices):
    FEATURE = "feature", "Feature film"
    SERIES = "series", "Series"
    MINI_SERIES = "mini_series", "Mini-series"
    SHORT = "short", "Short film"
    ADULT_INDIE = "adult_indie", "Adult indie film"


class CreditRole(models.TextChoices):
    INTIMACY_COORDINATOR = "intimacy_coordinator", "Intimacy coordinator"
    INTIMACY_CONSULTANT = "intimacy_consultant", "Intimacy consultant or advisor"
    EMOTIONAL_SUPPORT = "emotional_support", "Emotional support or psychologist"
    DIRECTOR = "director", "Director"
    PERFORMER = "performer", "Performer"
    PRODUCER = "producer", "Producer"
    WRITER = "writer", "Writer"


# Roles that count as intimacy coordination when a production's coordinators
# are listed.
IC_ROLES = (CreditRole.INTIMACY_COORDINATOR, CreditRole.INTIMACY_CONSULTANT)


class ICStatus(models.TextChoices):
    USED = "used", "Used an IC"
    NOT_USED = "not_used", "Did not use an IC"
    UNKNOWN = "unknown", "Unknown"


class ICEvidence(models.TextChoices):
    """How strong the evidence for a production's IC status is, strongest
    first; EVIDENCE_STRENGTH turns it into a grade a researcher reads at a
    glance."""

    ON_SCREEN_CREDIT = "on_screen_credit", "On-screen credit"
    STUDIO_STATEMENT = "studio_statement", "Production or studio statement"
    COORDINATOR_CREDIT_LIST = "coordinator_credit_list", "Coordinator's own credit list"
    PERFORMER_INTERVIEW = "performer_interview", "Performer's interview"
    PRESS_REPORT = "press_report", "Press report"
    INFERRED = "inferred", "Inferred"


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", "Strong"
    MODERATE = "moderate", "Moderate"
    WEAK = "weak", "Weak"
    NONE = "none", "No evidence"


EVIDENCE_STRENGTH = {
    ICEvidence.ON_SCREEN_CREDIT: EvidenceStrength.STRONG,
    ICEvidence.STUDIO_STATEMENT: EvidenceStrength.STRONG,
    ICEvidence.COORDINATOR_CREDIT_LIST: EvidenceStrength.MODERATE,
    ICEvidence.PERFORMER_INTERVIEW: EvidenceStrength.MODERATE,
    ICEvidence.PRESS_REPORT: EvidenceStrength.WEAK,
    ICEvidence.INFERRED: EvidenceStrength.WEAK,
}


class AwardCategoryStatus(models.TextChoices):
    EXISTING = "existing", "Existing"
    PROPOSED = "proposed", "Proposed"
    INTRODUCED = "introduced", "Newly introduced"


class AwardResult(models.TextChoices):
    WON = "won", "Won"
    NOMINATED = "nominated", "Nominated"


class AwardMentionKind(models.TextChoices):
    DEDICATION = "dedication", "Dedication of an award"
    SPEECH_THANKS = "speech_thanks", "Thanks in an acceptance speech"
    NOMINATION = "nomination", "Nomination"
    CATEGORY_CALL = "category_call", "Call for a category"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports ICs"
    OPPOSES = "opposes", "Opposes ICs"
    WISHES_HAD = "wishes_had", "Wishes they had had an IC"
    NEUTRAL = "neutral", "Neutral"


class PolicyStatus(models.TextChoices):
    MANDATED = "mandated", "Mandated"
    RECOMMENDED = "recommended", "Recommended"


class StatisticUnit(models.TextChoices):
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"
    RATIO = "ratio", "Ratio"
    CURRENCY_USD = "usd", "US dollars"


class CampaignStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    LOBBYING = "lobbying", "Lobbying"
    UNDER_REVIEW = "under_review", "Under review by the award body"
    ADOPTED = "adopted", "Adopted"
    REJECTED = "rejected", "Rejected"


class DatePrecision(models.TextChoices):
    """Sources often give only a month or a year; the date field then holds
    the first day of that period and this says how much of it to trust."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class FeedStatus(models.TextChoices):
    NEVER = "never", "Not checked yet"
    OK = "ok", "OK"
    NOT_MODIFIED = "not_modified", "Not modified"
    ERROR = "error", "Error"


class MatchEntityType(models.TextChoices):
    PRODUCTION = "production", "Production"
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class MatchField(models.TextChoices):
    TITLE = "title", "Title"
    SUMMARY = "summary", "Summary"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class WebhookEvent(models.TextChoices):
    """What a webhook subscribes to; the value is the payload's `type`."""

    CLAIM_CREATED = "claim.created", "Claim created"
    CLAIM_CHANGED = "claim.changed", "Claim changed"
    CLAIM_DISPUTED = "claim.disputed", "Claim disputed"
    CLAIM_DEPRECATED = "claim.deprecated", "Claim deprecated"
    MILESTONE_ADDED = "milestone.added", "Campaign milestone added"
    NEWS_APPROVED = "news.approved", "News article approved"
    TEST = "webhook.test", "Test event (sent from the admin)"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class SnapshotOutcome(models.TextChoices):
    ARCHIVED = "archived", "Archived"
    REFUSED = "refused", "Not archived: the address is refused"
    FAILED = "failed", "Not archived: the fetch failed"


class SnapshotOrigin(models.TextChoices):
    FETCHED = "fetched", "Fetched from its URL"
    SHIPPED = "shipped", "Shipped with the tracker"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "OK"
    FAILING = "failing", "Failing"
    DEAD = "dead", "Dead"


class QuoteCheckResult(models.TextChoices):
    FOUND = "found", "Found in the archived copy"
    NOT_FOUND = "not_found", "Not found in the archived copy"
    NO_SNAPSHOT = "no_snapshot", "No archived copy to check"


class LeadStatus(models.TextChoices):
    """What staff made of an article about intimacy coordination that names
    nothing the tracker holds."""

    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Dismissed"
    PROMOTED = "promoted", "Promoted to a source"
