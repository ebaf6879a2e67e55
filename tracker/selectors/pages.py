"""Reads for the public web pages: one record with everything its page
shows, joined and prefetched so a page costs the same number of queries
whether the record has one related row or a hundred.

The index pages read the API's list selectors (tracker.selectors.records)
through the API's FilterSets, so a page and the API list it mirrors can
never count differently."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    prefetch_related_objects,
)

from tracker.choices import AwardMentionKind, ICStatus, Stance
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    Credit,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.models.awards import AWARD_BODY_KINDS

from .archive import claim_labels_prefetch
from .records import citations_prefetch

# The models whose rows a reader sees; the footer's "last changed" is the
# latest change to any of them.
PUBLIC_MODELS = (
    Production,
    Person,
    Organization,
    Source,
    Citation,
    Statement,
    AwardCategory,
    AwardOutcome,
    AwardMention,
    Policy,
    IndustryStatistic,
    Campaign,
    CampaignMilestone,
)


def _mentions() -> QuerySet[AwardMention]:
    return AwardMention.objects.select_related(
        "speaker", "coordinator", "production"
    ).prefetch_related(
        Prefetch("award_bodies", queryset=Organization.objects.order_by("name")),
        citations_prefetch(),
    )


def _statements() -> QuerySet[Statement]:
    return Statement.objects.select_related(
        "speaker", "production", "about_coordinator"
    ).prefetch_related(citations_prefetch())


def _outcomes() -> QuerySet[AwardOutcome]:
    return AwardOutcome.objects.select_related(
        "category__award_body", "production"
    ).prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("name")),
        citations_prefetch(),
    )


def _categories() -> QuerySet[AwardCategory]:
    return AwardCategory.objects.select_related("award_body").prefetch_related(
        citations_prefetch()
    )


def _milestones() -> QuerySet[CampaignMilestone]:
    return (
        CampaignMilestone.objects.select_related("campaign")
        .prefetch_related(citations_prefetch())
        .order_by(F("date").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class Section:
    """Rows a record's page lists in a section of their own, which most
    records have none of: a production with no award, a person who made no
    statement. Their query, a prefetch with its own nested prefetches,
    costs several milliseconds to build even when it finds nothing, so it
    runs only when an EXISTS in the record's own query says there are rows;
    the list is `record.<attr>` either way."""

    attr: str
    relation: str
    queryset: Callable[[], QuerySet]
    # The rows' field that points at the record (`people` for a many-to-many).
    pointing: str

    @property
    def flag(self) -> str:
        return f"has_{self.attr}"

    @cached_property
    def model(self) -> type[Model]:
        # Built once per process: the queryset, with its prefetches, is
        # needed here only to learn which model it reads.
        return self.queryset().model

    def exists(self) -> Exists:
        return Exists(self.model.objects.filter(**{self.pointing: OuterRef("pk")}))

    def prefetch(self) -> Prefetch:
        return Prefetch(self.relation, queryset=self.queryset(), to_attr=self.attr)


def record_page_get(
    queryset: QuerySet,
    sections: Iterable[Section] = (),
    cited_relations: Iterable[str] = (),
    **lookup,
) -> Model:
    """One record for its page (DoesNotExist when there is none), with each
    of `sections` fetched only when the record has rows in it, and the
    citations of the rows of each of `cited_relations` (prefetched by
    `queryset`, each row annotated by `with_citations_flag`) fetched only
    for the rows that have any."""
    sections = tuple(sections)
    record = queryset.annotate(**{s.flag: s.exists() for s in sections}).get(**lookup)
    present = []
    for section in sections:
        if getattr(record, section.flag):
            present.append(section.prefetch())
        else:
            setattr(record, section.attr, [])
    prefetch_related_objects([record], *present)
    for relation in cited_relations:
        citations_where_cited(getattr(record, relation).all())
    return record


CITED_FLAG = "has_citations"


def with_citations_flag(queryset: QuerySet) -> QuerySet:
    """`queryset` with each row's `has_citations`: whether any citation,
    current or not, points at it."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    return queryset.annotate(
        **{
            CITED_FLAG: Exists(
                Citation.objects.filter(
                    content_type=content_type, object_id=OuterRef("pk")
                )
            )
        }
    )


def citations_where_cited(rows: Iterable[Model]) -> None:
    """Each row's `citation_list`, as citations_prefetch() gives it, queried
    only for the rows `with_citations_flag` marked. Most credits cite no
    source of their own (the production's citations carry them), and the
    citations' query with its sources' snapshots is two queries of the
    ORM's costliest to build, for a page that shows none."""
    rows = list(rows)
    cited = [row for row in rows if getattr(row, CITED_FLAG)]
    for row in rows:
        if not getattr(row, CITED_FLAG):
            row.citation_list = []
    if cited:
        prefetch_related_objects(cited, citations_prefetch())


def production_get_queryset() -> QuerySet[Production]:
    return Production.objects.select_related("studio", "network").prefetch_related(
        citations_prefetch(),
        Prefetch(
            "credits",
            queryset=with_citations_flag(
                Credit.objects.select_related("person").order_by("role", "person__name")
            ),
        ),
    )


PRODUCTION_SECTIONS = (
    Section("outcome_list", "award_outcomes", _outcomes, "production"),
    Section("mention_list", "award_mentions", _mentions, "production"),
    Section("statement_list", "statements", _statements, "production"),
)


def person_get_queryset() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        Prefetch(
            "credits",
            queryset=with_citations_flag(
                Credit.objects.select_related("production").order_by(
                    "production__start_year", "production__title"
                )
            ),
        ),
    )


PERSON_SECTIONS = (
    Section("statement_list", "statements", _statements, "speaker"),
    Section(
        "statements_about_list", "statements_about", _statements, "about_coordinator"
    ),
    Section("outcome_list", "award_outcomes", _outcomes, "people"),
    Section("mentions_made_list", "award_mentions_made", _mentions, "speaker"),
    Section(
        "mentions_received_list", "award_mentions_received", _mentions, "coordinator"
    ),
)


def organization_get_queryset() -> QuerySet[Organization]:
    productions = Production.objects.order_by("start_year", "title")
    return Organization.objects.select_related("parent").prefetch_related(
        Prefetch("children", queryset=Organization.objects.order_by("name")),
        Prefetch("network_productions", queryset=productions),
        Prefetch("studio_productions", queryset=productions),
        Prefetch("award_categories", queryset=_categories()),
        Prefetch("award_mentions", queryset=_mentions()),
        Prefetch(
            "campaigns",
            queryset=Campaign.objects.select_related("proposed_category"),
        ),
        Prefetch(
            "policies",
            queryset=Policy.objects.prefetch_related(citations_prefetch()),
        ),
        Prefetch(
            "statistics",
            queryset=IndustryStatistic.objects.prefetch_related(citations_prefetch()),
        ),
    )


def source_get_queryset() -> QuerySet[Source]:
    """A source with every claim citing it (one query per kind of claim,
    each joined for what its label shows)."""
    return Source.objects.prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("content_type")
            .prefetch_related(claim_labels_prefetch())
            .order_by("content_type_id", "id"),
            to_attr="citation_list",
        )
    )


def statement_get_queryset() -> QuerySet[Statement]:
    return _statements()


def award_category_get_queryset() -> QuerySet[AwardCategory]:
    return _categories().prefetch_related(
        Prefetch("outcomes", queryset=_outcomes()),
        Prefetch("campaigns", queryset=Campaign.objects.select_related("target_body")),
        Prefetch(
            "precedent_for", queryset=Campaign.objects.select_related("target_body")
        ),
    )


def award_outcome_get_queryset() -> QuerySet[AwardOutcome]:
    return _outcomes().prefetch_related(Prefetch("mentions", queryset=_mentions()))


def _citations_at(path: str) -> Prefetch:
    """The citations prefetch for a related claim (`path__citations`)."""
    return Prefetch(
        f"{path}__citations",
        queryset=citations_prefetch().queryset,
        to_attr="citation_list",
    )


def award_mention_get_queryset() -> QuerySet[AwardMention]:
    return _mentions().prefetch_related(
        Prefetch(
            "outcomes",
            queryset=AwardOutcome.objects.select_related(
                "category__award_body", "production"
            ).prefetch_related(
                Prefetch("people", queryset=Person.objects.order_by("name")),
                citations_prefetch(),
            ),
        )
    )


def policy_get_queryset() -> QuerySet[Policy]:
    return Policy.objects.select_related("organization").prefetch_related(
        citations_prefetch()
    )


def statistic_get_queryset() -> QuerySet[IndustryStatistic]:
    return IndustryStatistic.objects.prefetch_related(
        Prefetch("publishers", queryset=Organization.objects.order_by("name")),
        citations_prefetch(),
    )


def campaign_get_queryset() -> QuerySet[Campaign]:
    return Campaign.objects.select_related(
        "target_body", "proposed_category__award_body"
    ).prefetch_related(
        _citations_at("proposed_category"),
        Prefetch("precedents", queryset=_categories()),
        Prefetch("milestones", queryset=_milestones()),
    )


def milestone_get_queryset() -> QuerySet[CampaignMilestone]:
    return CampaignMilestone.objects.select_related(
        "campaign__target_body"
    ).prefetch_related(citations_prefetch())


def milestone_list() -> QuerySet[CampaignMilestone]:
    return _milestones().select_related("campaign__target_body")


def featured_quotes() -> dict:
    """The quotes the case page leads with: the latest dedication of an
    award to an IC, and the latest statement of each stance a reader
    weighs (for, wished for, against), each with its sources."""
    dedication = (
        _mentions()
        # Which award, named on the card beside any source that says
        # another.
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=AwardOutcome.objects.select_related("category"),
            )
        )
        .filter(kind=AwardMentionKind.DEDICATION)
        .exclude(quote="")
        .order_by(F("date").desc(nulls_last=True), "id")
        .first()
    )
    statements = [
        _statements()
        .filter(stance=stance)
        .order_by(F("date").desc(nulls_last=True), "id")
        .first()
        for stance in (Stance.WISHES_HAD, Stance.OPPOSES, Stance.SUPPORTS)
    ]
    return {
        "dedication": dedication,
        "statements": [s for s in statements if s is not None],
    }


def last_changed():
    """When any record a reader sees last changed (None when empty), in one
    query: the latest change of each table, UNION ALL."""
    per_table = [
        model.objects.order_by()
        .annotate(one=Value(1, output_field=IntegerField()))
        .values("one")
        .annotate(latest=Max("updated_at"))
        .values_list("latest", flat=True)
        for model in PUBLIC_MODELS
    ]
    latest = per_table[0].union(*per_table[1:], all=True)
    return max((when for when in latest if when is not None), default=None)


def recent_productions_with_ic(limit: int) -> list[Production]:
    """The productions most recently recorded as using an IC, so a new
    record shows on the case page by name, one click from its sources."""
    return list(
        Production.objects.filter(ic_status=ICStatus.USED)
        .select_related("network", "studio")
        .prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person"))
        )
        .order_by("-created_at", "-id")[:limit]
    )


def milestone_dates() -> dict:
    """How precisely each milestone is dated ("February 2024", not
    "1 February 2024"); the summary gives bare dates."""
    milestones = CampaignMilestone.objects.filter(date__isnull=False).values_list(
        "campaign__slug", "title", "date", "date_precision"
    )
    return {
        (slug, title, date.isoformat()): CampaignMilestone(
            date=date, date_precision=precision
        ).date_display
        for slug, title, date, precision in milestones
    }


def network_slugs() -> set[str]:
    """Organizations that carry some production as its network."""
    return set(
        Production.objects.filter(network__isnull=False)
        .values_list("network__slug", flat=True)
        .distinct()
    )


def award_body_names() -> dict[str, str]:
    """Each award body's slug and the name readers know it by (BAFTA, not
    the British Academy of Film and Television Arts)."""
    return {
        slug: short or name
        for slug, name, short in Organization.objects.filter(
            kind__in=AWARD_BODY_KINDS
        ).values_list("slug", "name", "short_name")
    }


def record_changed_at(record):
    """When a record or one of its citations last changed (citations come
    prefetched as `citation_list`)."""
    times = [record.updated_at]
    times += [c.updated_at for c in getattr(record, "citation_list", ())]
    return max(times)


def recent_claims(querysets, limit: int) -> list:
    """The `limit` claims changed last, newest first, across the given
    list querysets (each already joined and prefetched for its label and
    its citations)."""
    latest = []
    for queryset in querysets:
        latest += list(queryset.order_by("-updated_at", "-pk")[:limit])
    latest.sort(key=lambda record: record.updated_at, reverse=True)
    return latest[:limit]


def _changed_fields(entry, previous) -> list[str]:
    if previous is None:
        return []
    ignored = {"id", "created_at", "updated_at"}
    return [
        field.verbose_name
        for field in entry.instance_type._meta.concrete_fields
        if field.attname not in ignored
        and getattr(entry, field.attname, None)
        != getattr(previous, field.attname, None)
    ]


def record_history(record, limit: int) -> list[dict]:
    """The record's changes and the changes to its citations, newest
    first: what the record's Atom feed carries."""
    entries = []
    history = list(record.history.order_by("-history_date", "-history_id")[: limit + 1])
    for index, entry in enumerate(history[:limit]):
        previous = history[index + 1] if index + 1 < len(history) else None
        entries.append(
            {
                "id": f"record-{entry.history_id}",
                "when": entry.history_date,
                "type": entry.history_type,
                "what": "record",
                "fields": _changed_fields(entry, previous),
            }
        )
    if hasattr(record, "citations"):
        cited = list(
            Citation.history.filter(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
            ).order_by("-history_date", "-history_id")[:limit]
        )
        sources = Source.objects.in_bulk({entry.source_id for entry in cited})
        for entry in cited:
            source = sources.get(entry.source_id)
            entries.append(
                {
                    "id": f"citation-{entry.history_id}",
                    "when": entry.history_date,
                    "type": entry.history_type,
                    "what": "citation",
                    "stance": entry.get_stance_display(),
                    "quote": entry.quote,
                    "quote_kind": entry.quote_kind,
                    "source": source,
                    "fields": [],
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]
