"""Writing parsed entries and their matches: each article once, in bulk.

An entry is found again first through its feed's guid (ArticleSighting),
then through its canonical URL, so a re-run updates instead of duplicating
and a second feed carrying the same story adds a sighting, not an article.
Running the same entries twice writes nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from tracker.choices import MatchEntityType, OrganizationKind, ReviewStatus
from tracker.models import (
    AmbiguousAlias,
    ArticleMatch,
    ArticleSighting,
    Credit,
    Feed,
    NewsArticle,
    Organization,
    Person,
    Production,
)

from .match import Entity, Matcher
from .parse import ParsedEntry
from .urls import url_canonicalize

ARTICLE_FIELDS = ("url", "title", "summary", "published_at", "content_hash")
MATCH_FIELDS = ("alias", "field", "position", "score", "ic_related", "award_mention")
AWARD_BODY_KINDS = (OrganizationKind.AWARD_BODY, OrganizationKind.FESTIVAL)


@dataclass
class StoreResult:
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0

    @property
    def touched(self) -> list[int]:
        return [*self.new, *self.updated]


def content_hash(entry: ParsedEntry, canonical_url: str) -> str:
    """What makes a change worth writing; tracking parameters are not."""
    published = entry.published_at.isoformat() if entry.published_at else ""
    payload = "\x00".join((canonical_url, entry.title, entry.summary, published))
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def entries_store(feed: Feed, entries: Iterable[ParsedEntry]) -> StoreResult:
    by_guid: dict[str, tuple[ParsedEntry, str, str]] = {}
    for entry in entries:
        canonical = url_canonicalize(entry.url)
        by_guid[entry.guid] = (entry, canonical, content_hash(entry, canonical))
    # Within one document the same story under two guids is still one.
    by_canonical = {item[1]: item for item in by_guid.values()}
    wanted = {item[0].guid: item for item in by_canonical.values()}
    result = StoreResult()
    if not wanted:
        return result

    sighted = dict(
        ArticleSighting.objects.filter(feed=feed, guid__in=wanted).values_list(
            "guid", "article_id"
        )
    )
    canonicals = [canonical for _, canonical, _ in wanted.values()]
    articles = {
        a.pk: a
        for a in NewsArticle.objects.filter(pk__in=sighted.values())
        | NewsArticle.objects.filter(canonical_url__in=canonicals)
    }
    by_url = {a.canonical_url: a for a in articles.values()}

    to_create, to_update, new_sightings = [], [], []
    for guid, (entry, canonical, digest) in wanted.items():
        article = articles.get(sighted.get(guid)) or by_url.get(canonical)
        if article is None:
            to_create.append(
                NewsArticle(
                    feed=feed,
                    canonical_url=canonical,
                    url=entry.url,
                    title=entry.title,
                    summary=entry.summary,
                    published_at=entry.published_at,
                    content_hash=digest,
                )
            )
            continue
        if guid not in sighted:
            new_sightings.append(ArticleSighting(feed=feed, article=article, guid=guid))
        if article.content_hash == digest:
            result.unchanged += 1
            continue
        article.url = entry.url
        article.title = entry.title
        article.summary = entry.summary
        article.published_at = entry.published_at or article.published_at
        article.content_hash = digest
        article.updated_at = timezone.now()
        to_update.append(article)

    if to_update:
        NewsArticle.objects.bulk_update(to_update, [*ARTICLE_FIELDS, "updated_at"])
        result.updated = [a.pk for a in to_update]
    if to_create:
        # A concurrent refresh of another feed may store the same story
        # first; the conflict is skipped and the row read back below.
        NewsArticle.objects.bulk_create(to_create, ignore_conflicts=True)
        created = dict(
            NewsArticle.objects.filter(
                canonical_url__in=[a.canonical_url for a in to_create]
            ).values_list("canonical_url", "pk")
        )
        canonical_guid = {canonical: guid for guid, (_, canonical, _) in wanted.items()}
        for article in to_create:
            pk = created[article.canonical_url]
            result.new.append(pk)
            new_sightings.append(
                ArticleSighting(
                    feed=feed, article_id=pk, guid=canonical_guid[article.canonical_url]
                )
            )
    if new_sightings:
        ArticleSighting.objects.bulk_create(new_sightings, ignore_conflicts=True)
    return result


# --- the matcher, built once per change of names ---------------------------

_matcher: tuple[tuple, Matcher] | None = None


def _names_stamp() -> tuple:
    """Changes whenever a name, alias or credit is added, changed or
    removed; read from the database so every process sees the same stamp."""
    stamp = []
    for model in (Production, Person, Organization):
        row = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        stamp.append((row["n"], row["last"]))
    credit = Credit.objects.aggregate(n=Count("pk"), last=Max("pk"))
    stamp.append((credit["n"], credit["last"]))
    ambiguous = AmbiguousAlias.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    stamp.append((ambiguous["n"], ambiguous["last"]))
    return tuple(stamp)


def _ambiguous_aliases() -> dict[tuple[str, int], frozenset[str]]:
    found: dict[tuple[str, int], set[str]] = {}
    for kind, production, person, organization, alias in AmbiguousAlias.objects.filter(
        cleared_at__isnull=True
    ).values_list(
        "entity_type", "production_id", "person_id", "organization_id", "alias"
    ):
        found.setdefault((kind, production or person or organization), set()).add(alias)
    return {key: frozenset(aliases) for key, aliases in found.items()}


def entities_load() -> list[Entity]:
    ambiguous = _ambiguous_aliases()
    related: dict[int, set[tuple[str, int]]] = {}
    for production_id, person_id in Credit.objects.values_list(
        "production_id", "person_id"
    ):
        related.setdefault(production_id, set()).add(
            (MatchEntityType.PERSON, person_id)
        )
    entities = []
    for pk, title, aliases, studio, network in Production.objects.values_list(
        "pk", "title", "aliases", "studio_id", "network_id"
    ):
        links = related.get(pk, set())
        links |= {(MatchEntityType.ORGANIZATION, o) for o in (studio, network) if o}
        entities.append(
            Entity(
                MatchEntityType.PRODUCTION,
                pk,
                title,
                (title, *aliases),
                related=frozenset(links),
                ambiguous=ambiguous.get((MatchEntityType.PRODUCTION, pk), frozenset()),
            )
        )
    for pk, name, aliases in Person.objects.values_list("pk", "name", "aliases"):
        entities.append(
            Entity(
                MatchEntityType.PERSON,
                pk,
                name,
                (name, *aliases),
                ambiguous=ambiguous.get((MatchEntityType.PERSON, pk), frozenset()),
            )
        )
    for pk, name, aliases, kind in Organization.objects.values_list(
        "pk", "name", "aliases", "kind"
    ):
        entities.append(
            Entity(
                MatchEntityType.ORGANIZATION,
                pk,
                name,
                (name, *aliases),
                is_award_body=kind in AWARD_BODY_KINDS,
                ambiguous=ambiguous.get(
                    (MatchEntityType.ORGANIZATION, pk), frozenset()
                ),
            )
        )
    return entities


def matcher_get() -> Matcher:
    """The automaton, rebuilt only when the names it holds have changed."""
    global _matcher
    stamp = _names_stamp()
    if _matcher is None or _matcher[0] != stamp:
        _matcher = (stamp, Matcher(entities_load()))
    return _matcher[1]


def matcher_reset() -> None:
    global _matcher
    _matcher = None


@transaction.atomic
def articles_match(article_ids: Iterable[int], matcher: Matcher | None = None) -> int:
    """Matches the articles again. Reviewed matches are kept as staff left
    them; pending ones follow the text. Returns how many matches were
    created."""
    article_ids = list(article_ids)
    if not article_ids:
        return 0
    matcher = matcher or matcher_get()
    articles = list(NewsArticle.objects.filter(pk__in=article_ids))
    existing: dict[tuple[int, str, int], ArticleMatch] = {}
    for m in ArticleMatch.objects.filter(article_id__in=article_ids):
        existing[m.article_id, m.entity_type, _entity_id(m)] = m

    to_create, to_update, to_delete = [], [], []
    changed_articles = []
    for article in articles:
        found = matcher.match(article.title, article.summary)
        if (article.ic_related, article.award_mention) != (
            found.ic_related,
            found.award_mention,
        ):
            article.ic_related = found.ic_related
            article.award_mention = found.award_mention
            changed_articles.append(article)
        keep = set()
        for m in found.matches:
            key = (article.pk, m.entity_type, m.entity_id)
            keep.add(key)
            values = {
                "alias": m.alias[:300],
                "field": m.field,
                "position": m.position,
                "score": m.score,
                "ic_related": found.ic_related,
                "award_mention": found.award_mention,
            }
            current = existing.get(key)
            if current is None:
                to_create.append(
                    ArticleMatch(
                        article=article,
                        entity_type=m.entity_type,
                        **{f"{m.entity_type}_id": m.entity_id},
                        **values,
                    )
                )
            elif current.review_status == ReviewStatus.PENDING and any(
                getattr(current, k) != v for k, v in values.items()
            ):
                for k, v in values.items():
                    setattr(current, k, v)
                to_update.append(current)
        to_delete.extend(
            m.pk
            for key, m in existing.items()
            if key[0] == article.pk
            and key not in keep
            and m.review_status == ReviewStatus.PENDING
        )
    if changed_articles:
        NewsArticle.objects.bulk_update(
            changed_articles, ["ic_related", "award_mention"]
        )
    if to_update:
        ArticleMatch.objects.bulk_update(to_update, MATCH_FIELDS)
    if to_delete:
        ArticleMatch.objects.filter(pk__in=to_delete).delete()
    if to_create:
        ArticleMatch.objects.bulk_create(to_create, ignore_conflicts=True)
    return len(to_create)


def _entity_id(match: ArticleMatch) -> int:
    return match.production_id or match.person_id or match.organization_id
