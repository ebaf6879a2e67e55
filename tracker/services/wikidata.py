"""Writing what a Wikidata import read: new or enriched productions, people,
award categories and outcomes, each citing the Wikidata item it came from
(its URL, with the retrieval date and revision in the citation).

Existing records are found by QID, then by IMDb id, then by exact name
(and year, for a production); only empty fields are filled, so curated
data is never overwritten. A record that nothing new is learned about is
not saved at all, so a second import of the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from tracker.choices import (
    AwardCategoryStatus,
    AwardResult,
    ICStatus,
    OrganizationKind,
    SourceKind,
)
from tracker.models import (
    AwardCategory,
    AwardOutcome,
    Citation,
    Organization,
    Person,
    Production,
    Source,
)
from tracker.models.awards import AWARD_BODY_KINDS
from tracker.services.records import record_create
from tracker.wikidata.parse import (
    AWARD_RECEIVED,
    CONFERRED_BY,
    FOR_WORK,
    NOMINATED_FOR,
    POINT_IN_TIME,
    PROPERTY_LABELS,
    Bundle,
    Item,
)

logger = logging.getLogger(__name__)

PUBLISHER = "Wikidata"
LOCATOR_MAX = 100


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: str, kind: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed_anything(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "warnings": self.warnings,
        }


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", name.casefold()).strip()


def _category_keys(label: str) -> set[str]:
    """Names a category could go by: Wikidata's "British Academy
    Television Award for Best Mini-Series" is the tracker's "Mini-Series"."""
    keys = {_norm(label)}
    if " for " in label:
        keys.add(_norm(label.split(" for ", 1)[1]))
    return keys | {key.removeprefix("best ") for key in keys}


class _Importer:
    def __init__(self, bundle: Bundle, retrieved_on: dt.date, report: ImportReport):
        self.bundle = bundle
        self.retrieved_on = retrieved_on
        self.report = report
        self.sources: dict[str, Source] = {}

    # --- Sources and citations ----------------------------------------------

    def source(self, item: Item) -> Source:
        if item.qid in self.sources:
            return self.sources[item.qid]
        published = dt.date.fromisoformat(item.modified[:10]) if item.modified else None
        title = f"{item.label or item.qid} ({item.qid})"
        source = Source.objects.filter(url=item.url).first()
        if source is None:
            source = Source(url=item.url, publisher=PUBLISHER, kind=SourceKind.DATABASE)
            self.report.count("created", "sources")
        elif source.title == title and source.published_on == published:
            self.report.count("unchanged", "sources")
            self.sources[item.qid] = source
            return source
        else:
            self.report.count("updated", "sources")
        source.title, source.published_on = title, published
        source.full_clean()
        source.save()
        self.sources[item.qid] = source
        return source

    def locator(self, item: Item) -> str:
        locator = f"retrieved {self.retrieved_on:%Y-%m-%d}"
        if item.revision:
            locator += f", revision {item.revision}"
        return locator[:LOCATOR_MAX]

    @staticmethod
    def item_quote(item: Item) -> str:
        parts = [f'label: "{item.label}"'] if item.label else []
        if item.aliases:
            parts.append("also known as: " + ", ".join(item.aliases))
        parts += [f"{name}: {value}" for name, value in item.facts.items()]
        return "; ".join(parts)

    def cite(self, record: models.Model, item: Item, quote: str) -> bool:
        """Cite `item` for `record`; True when the citation was written.
        A citation that says the same keeps its first retrieval date."""
        source = self.source(item)
        content_type = ContentType.objects.get_for_model(record)
        citation = Citation.objects.filter(
            source=source, content_type=content_type, object_id=record.pk
        ).first()
        if citation is not None and citation.quote == quote:
            return False
        if citation is None:
            citation = Citation(
                source=source, content_type=content_type, object_id=record.pk
            )
        citation.quote, citation.locator = quote, self.locator(item)
        citation.save()
        return True

    # --- Productions and people ---------------------------------------------

    def _match(self, model, item: Item, name_field: str, extra: dict):
        found = model.objects.filter(wikidata_qid=item.qid).first()
        if found is None and item.imdb_id:
            found = model.objects.filter(imdb_id=item.imdb_id).first()
        if found is None and item.label:
            candidates = list(
                model.objects.filter(**{f"{name_field}__iexact": item.label}, **extra)
            )
            if len(candidates) == 1:
                found = candidates[0]
        if found is not None and found.wikidata_qid not in (None, item.qid):
            self.report.warnings.append(
                f"{item.qid}: matched {model._meta.verbose_name} {found.slug!r} "
                f"by IMDb id or name, but it has the Wikidata id "
                f"{found.wikidata_qid}; left alone."
            )
            return False
        return found

    def _enrich(self, record, values: dict, aliases: list[str], name: str) -> bool:
        changed = False
        for key, value in values.items():
            if value is not None and getattr(record, key) in (None, ""):
                setattr(record, key, value)
                changed = True
        known = {a.casefold() for a in [name, *record.aliases]}
        for alias in aliases:
            if alias.casefold() not in known:
                record.aliases = [*record.aliases, alias]
                known.add(alias.casefold())
                changed = True
        return changed

    def _unique_clash(self, model, record, field_name: str, value, **extra) -> bool:
        if value is None:
            return False
        clash = (
            model.objects.filter(**{field_name: value}, **extra)
            .exclude(pk=record.pk)
            .first()
        )
        if clash:
            self.report.warnings.append(
                f"{record}: {field_name} {value} belongs to {clash.slug!r} already; "
                "not set."
            )
        return bool(clash)

    def production(self, item: Item) -> Production | None:
        extra = {"start_year": item.start_year} if item.start_year else {}
        found = self._match(Production, item, "title", extra)
        if found is False:
            return None
        kind = item.production_kind
        values = {
            "wikidata_qid": item.qid,
            "imdb_id": item.imdb_id,
            "tmdb_id": item.tmdb_id,
            "start_year": item.start_year,
            "end_year": item.end_year,
        }
        aliases = [a for a in [item.label, *item.aliases] if a]
        if found is None:
            title = item.label or item.qid
            production = Production(
                title=title, kind=kind, ic_status=ICStatus.UNKNOWN, aliases=[]
            )
            if self._unique_clash(
                Production, production, "tmdb_id", item.tmdb_id, kind=kind
            ):
                values["tmdb_id"] = None
            self._enrich(production, values, aliases, title)
            production = record_create(
                model=Production,
                fields={
                    f.name: getattr(production, f.name)
                    for f in Production._meta.concrete_fields
                    if f.name not in ("id", "created_at", "updated_at", "slug")
                },
                citations=[
                    {
                        "source": self.source(item),
                        "quote": self.item_quote(item),
                        "locator": self.locator(item),
                    }
                ],
            )
            self.report.count("created", "productions")
            return production
        if self._unique_clash(
            Production, found, "tmdb_id", item.tmdb_id, kind=found.kind
        ):
            values["tmdb_id"] = None
        start = found.start_year or item.start_year
        if item.end_year and start and item.end_year < start:
            self.report.warnings.append(
                f"{found}: Wikidata's end year {item.end_year} is before its "
                f"start year {start}; not set."
            )
            values["end_year"] = None
        changed = self._enrich(found, values, aliases, found.title)
        if changed:
            found.full_clean()
            found.save()
        cited = self.cite(found, item, self.item_quote(item))
        self.report.count("updated" if changed or cited else "unchanged", "productions")
        return found

    def person(self, item: Item) -> Person | None:
        found = self._match(Person, item, "name", {})
        if found is False:
            return None
        values = {
            "wikidata_qid": item.qid,
            "imdb_id": item.imdb_id,
            "tmdb_id": item.tmdb_id,
            "description": item.description[:300] or None,
        }
        aliases = [a for a in [item.label, *item.aliases] if a]
        created = found is None
        if created:
            found = Person(name=item.label or item.qid, aliases=[])
        if self._unique_clash(Person, found, "tmdb_id", item.tmdb_id):
            values["tmdb_id"] = None
        changed = self._enrich(found, values, aliases, found.name)
        if changed or created:
            found.full_clean()
            found.save()
        cited = self.cite(found, item, self.item_quote(item))
        if created:
            self.report.count("created", "people")
        else:
            self.report.count("updated" if changed or cited else "unchanged", "people")
        return found

    # --- Awards -------------------------------------------------------------

    def award_body(self, qid: str) -> Organization:
        label = self.bundle.label(qid)
        item = self.bundle.items.get(qid)
        wanted = {_norm(name) for name in [label, *(item.aliases if item else [])]}
        for organization in Organization.objects.filter(kind__in=AWARD_BODY_KINDS):
            if wanted & {_norm(name) for name in organization.names}:
                return organization
        organization = Organization(
            name=label, kind=OrganizationKind.AWARD_BODY, aliases=[]
        )
        organization.full_clean()
        organization.save()
        self.report.count("created", "organizations")
        return organization

    def category(self, award: Item, body: Organization) -> AwardCategory:
        keys = _category_keys(award.label)
        for category in AwardCategory.objects.filter(award_body=body):
            if _category_keys(category.name) & keys:
                return category
        category = AwardCategory(
            award_body=body, name=award.label, status=AwardCategoryStatus.EXISTING
        )
        category.full_clean()
        category.save()
        quote = f'label: "{award.label}"; conferred by ({CONFERRED_BY}): {body.name}'
        self.cite(category, award, quote)
        self.report.count("created", "award categories")
        return category

    def outcomes(self, item: Item, record) -> None:
        for statement in item.awards:
            award = self.bundle.items.get(statement.award)
            if award is None or not award.label:
                self.report.warnings.append(
                    f"{item.qid}: award {statement.award} skipped: its label is "
                    "not in the input (fetch it, or add its entity to the file)."
                )
                continue
            conferrer = statement.conferred_by or award.conferred_by
            if not conferrer or self.bundle.label(conferrer) == conferrer:
                self.report.warnings.append(
                    f"{item.qid}: award {award.label!r} skipped: nothing says who "
                    f"confers it ({CONFERRED_BY} with a label)."
                )
                continue
            body = self.award_body(conferrer)
            category = self.category(award, body)
            self.outcome(item, record, statement, award, body, category)

    def outcome(self, item, record, statement, award, body, category) -> None:
        production = record if isinstance(record, Production) else None
        person = record if isinstance(record, Person) else None
        if production is None and statement.for_work:
            production = Production.objects.filter(
                wikidata_qid=statement.for_work
            ).first()
        result = AwardResult.WON if statement.won else AwardResult.NOMINATED
        prop = AWARD_RECEIVED if statement.won else NOMINATED_FOR
        parts = [f"{PROPERTY_LABELS[prop]} ({prop}): {award.label}"]
        if statement.year:
            when = PROPERTY_LABELS[POINT_IN_TIME]
            parts.append(f"{when} ({POINT_IN_TIME}): {statement.year}")
        parts.append(f"{PROPERTY_LABELS[CONFERRED_BY]} ({CONFERRED_BY}): {body.name}")
        if statement.for_work:
            work = self.bundle.label(statement.for_work)
            parts.append(f"{PROPERTY_LABELS[FOR_WORK]} ({FOR_WORK}): {work}")
        quote = "; ".join(parts)
        found = AwardOutcome.objects.filter(
            category=category,
            ceremony_year=statement.year,
            result=result,
            production=production,
        )
        if production is None and person is not None:
            found = found.filter(people=person)
        outcome = found.first()
        if outcome is None:
            record_create(
                model=AwardOutcome,
                fields={
                    "category": category,
                    "ceremony_year": statement.year,
                    "result": result,
                    "production": production,
                },
                m2m={"people": [person]} if person else {},
                citations=[
                    {
                        "source": self.source(item),
                        "quote": quote,
                        "locator": self.locator(item),
                    }
                ],
            )
            self.report.count("created", "award outcomes")
            return
        changed = False
        if person is not None and not outcome.people.filter(pk=person.pk).exists():
            outcome.people.add(person)
            changed = True
        cited = self.cite(outcome, item, quote)
        self.report.count(
            "updated" if changed or cited else "unchanged", "award outcomes"
        )


@transaction.atomic
def wikidata_import(
    *,
    bundle: Bundle,
    retrieved_on: dt.date,
    only: set[str] | None = None,
    progress: Callable[[Item], None] | None = None,
) -> ImportReport:
    """Import the bundle's productions and people (all, or the QIDs in
    `only`) with their awards; all of it or, on an error, none of it."""
    report = ImportReport()
    importer = _Importer(bundle, retrieved_on, report)
    roots = [item for item in bundle.roots if only is None or item.qid in only]
    # Productions first, so a person's award "for work" finds its production.
    roots.sort(key=lambda item: item.is_person)
    records = []
    for item in roots:
        record = importer.person(item) if item.is_person else importer.production(item)
        records.append((item, record))
        if progress:
            progress(item)
    for item, record in records:
        if record is not None:
            importer.outcomes(item, record)
    return report
