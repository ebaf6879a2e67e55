"""Keeping each article's matches in the database in step with its text,
and the automaton that finds them, rebuilt only when the names change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from tracker.choices import MatchEntityType, OrganizationKind, ReviewStatus
from tracker.models import (
    AmbiguousAlias,
    ArticleMatch,
    Credit,
    NewsArticle,
    Organization,
    Person,
    Production,
)

from .match import Entity, Matcher

MATCH_FIELDS = ("alias", "field", "position", "score", "ic_related", "award_mention")
AWARD_BODY_KINDS = (OrganizationKind.AWARD_BODY, OrganizationKind.FESTIVAL)

_matcher: tuple[tuple, Matcher] | None = None


def _names_stamp() -> tuple:
    """Changes whenever a name, alias or credit is added, changed or
    removed; read from the database so every process sees the same stamp.

    Every refresh reads it, so it is one statement of index lookups, never
    a scan (COUNT(*) over 300k credits cost PostgreSQL 40-90 ms a refresh):
    - the newest history row of productions, people, organizations and
      credits: django-simple-history writes one on every save and delete;
    - the newest id of each of those tables: bulk_create writes no history;
    - the count and newest change of the ambiguous aliases, a table of a
      few rows staff keep (it has no history)."""
    quote = connection.ops.quote_name
    parts = []
    for model in (Production, Person, Organization, Credit):
        history = model.history.model
        parts.append((history._meta.db_table, f"MAX({quote(history._meta.pk.column)})"))
        parts.append((model._meta.db_table, f"MAX({quote(model._meta.pk.column)})"))
    aliases = AmbiguousAlias._meta.db_table
    parts += [(aliases, "COUNT(*)"), (aliases, f"MAX({quote('updated_at')})")]
    # As text: the branches of a UNION must agree on their types. Every
    # name in it is a model's own table or column, quoted: no input.
    statement = " UNION ALL ".join(
        f"SELECT {i}, CAST({aggregate} AS TEXT) FROM {quote(table)}"  # noqa: S608  # nosec B608
        for i, (table, aggregate) in enumerate(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return tuple(sorted(cursor.fetchall()))


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
