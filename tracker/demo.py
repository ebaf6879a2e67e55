"""Loads the demo data (tracker/data/demo.yaml): the facts of the article
the project started from and of the reporting that disagrees with it, each
claim citing its sources. Loading is idempotent: a record is written only
when it is missing or differs, so a second run changes nothing, not even
history. A field the file leaves out takes the model's default, so the file
says everything about the records it names."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.timezone import now

from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    CitedClaim,
    Cohort,
    Credit,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.news.demo import demo_feeds_load
from tracker.services.archive import snapshot_ship

DEMO_FILE = Path(__file__).with_name("data") / "demo.yaml"
# A copy of shared/seeds/000_fb1f1dfb62a14d4d.txt, shipped so that a fresh
# clone has it; the demo's seed source takes it as its archived copy.
SEED_ARTICLE_TEXT = Path(__file__).with_name("data") / "seed_article.txt"
SEED_ARTICLE_SLUG = "case-for-an-oscar-for-best-intimacy-coordinator"


@dataclass(frozen=True)
class Section:
    """One list of the file: its model, the fields that find an existing
    row, and the relations named by slug."""

    model: type[models.Model]
    lookup: tuple[str, ...] = ("slug",)
    foreign: dict[str, type[models.Model]] = field(default_factory=dict)
    many: dict[str, type[models.Model]] = field(default_factory=dict)
    # Lists nested in an entry: key -> (section, the field naming the parent)
    nested: dict[str, tuple["Section", str]] = field(default_factory=dict)


MILESTONES = Section(
    CampaignMilestone, lookup=("campaign", "title"), foreign={"campaign": Campaign}
)

# In load order: a record comes after everything it names.
SECTIONS = {
    "sources": Section(Source),
    "organizations": Section(Organization, foreign={"parent": Organization}),
    "people": Section(Person),
    "productions": Section(
        Production, foreign={"network": Organization, "studio": Organization}
    ),
    "credits": Section(
        Credit,
        lookup=("person", "production", "role"),
        foreign={"person": Person, "production": Production},
    ),
    "award_categories": Section(AwardCategory, foreign={"award_body": Organization}),
    "award_outcomes": Section(
        AwardOutcome,
        foreign={"category": AwardCategory, "production": Production},
        many={"people": Person},
    ),
    "award_mentions": Section(
        AwardMention,
        foreign={"speaker": Person, "coordinator": Person, "production": Production},
        many={"award_bodies": Organization, "outcomes": AwardOutcome},
    ),
    "statements": Section(
        Statement,
        foreign={
            "speaker": Person,
            "production": Production,
            "about_coordinator": Person,
        },
    ),
    "policies": Section(Policy, foreign={"organization": Organization}),
    "statistics": Section(IndustryStatistic, many={"publishers": Organization}),
    "campaigns": Section(
        Campaign,
        foreign={"target_body": Organization, "proposed_category": AwardCategory},
        many={"precedents": AwardCategory},
        nested={"milestones": (MILESTONES, "campaign")},
    ),
    "cohorts": Section(
        Cohort, foreign={"list_source": Source}, many={"members": Production}
    ),
}
CITATION_LOOKUP = ("source", "content_type", "object_id")


@dataclass
class Loaded:
    """What a load wrote, so the command can report it and tests can
    check idempotence."""

    created: int = 0
    updated: int = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1


class DemoDataError(ValueError):
    """The file names something it does not define, or holds a record the
    models refuse; the message says which."""


def _defaults(model: type[models.Model], given: dict) -> dict:
    """The given values, and the model's default for every editable field
    they leave out."""
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        if model_field.name == "slug" and "slug" not in given:
            continue
        values[model_field.name] = given.get(
            model_field.name, model_field.get_default()
        )
    return values


def _upsert(
    model: type[models.Model], lookup: dict, values: dict, loaded: Loaded
) -> Any:
    """get_or_create that saves an existing row only when a value differs."""
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = [k for k, v in values.items() if created or getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    if changed:
        # The quote is checked once the claim's citations are written.
        obj._quote_check_deferred = True
        obj.full_clean()
        obj.save()
    loaded.count(created=created, changed=bool(changed))
    return obj


def _set_m2m(manager, objects, loaded: Loaded) -> None:
    if set(manager.all()) != set(objects):
        manager.set(objects)
        loaded.updated += 1


class _Refs:
    """Records named by slug, looked up once each."""

    def __init__(self):
        self.cache: dict[tuple[type, str], models.Model] = {}

    def get(self, model: type[models.Model], slug: str | None):
        if slug is None:
            return None
        key = (model, slug)
        if key not in self.cache:
            obj = model._default_manager.filter(slug=slug).first()
            if obj is None:
                raise DemoDataError(
                    f"No {model._meta.verbose_name} with slug '{slug}' "
                    "(define it earlier in the file)."
                )
            self.cache[key] = obj
        return self.cache[key]


def _cite(claim: CitedClaim, entry: dict, refs: _Refs, loaded: Loaded) -> None:
    entry = dict(entry)
    lookup = {
        "source": refs.get(Source, entry.pop("source")),
        "content_type": type(claim).content_type(),
        "object_id": claim.pk,
    }
    values = {
        key: value
        for key, value in _defaults(Citation, entry).items()
        if key not in CITATION_LOOKUP
    }
    _upsert(Citation, lookup, values, loaded)


def _claim_check(obj: models.Model) -> None:
    """The rules that need a claim's relations and citations in place."""
    check = getattr(obj, "relations_errors", None)
    if check is not None:
        errors = check(list(obj.award_bodies.all()), list(obj.outcomes.all()))
        if errors:
            raise ValidationError(errors)
    if isinstance(obj, CitedClaim):
        obj.ensure_cited()
        obj.ensure_quote_found()


def _entry_load(
    section: Section, entry: dict, refs: _Refs, loaded: Loaded, parent=None
) -> models.Model:
    entry = dict(entry)
    citations = entry.pop("citations", [])
    nested = {key: entry.pop(key, []) for key in section.nested}
    many = {
        name: [refs.get(model, slug) for slug in entry.pop(name, [])]
        for name, model in section.many.items()
    }
    for name, model in section.foreign.items():
        if name in entry:
            entry[name] = refs.get(model, entry[name])
    if parent is not None:
        entry.update(parent)
    unknown = set(entry) - {f.name for f in section.model._meta.concrete_fields}
    if unknown:
        raise DemoDataError(
            f"{section.model.__name__} has no field {', '.join(sorted(unknown))}."
        )
    lookup = {key: entry[key] for key in section.lookup}
    values = {
        key: value
        for key, value in _defaults(section.model, entry).items()
        if key not in lookup
    }
    obj = _upsert(section.model, lookup, values, loaded)
    for name, objects in many.items():
        _set_m2m(getattr(obj, name), objects, loaded)
    for citation in citations:
        _cite(obj, citation, refs, loaded)
    _claim_check(obj)
    for key, (child, parent_field) in section.nested.items():
        for child_entry in nested[key]:
            _entry_load(child, child_entry, refs, loaded, parent={parent_field: obj})
    return obj


def demo_data_read(path: Path = DEMO_FILE) -> dict:
    # libyaml's safe loader (PyYAML's wheels ship it): the pure-Python one
    # takes a second over this file.
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise DemoDataError(f"Unknown lists in {path.name}: {', '.join(unknown)}.")
    return data


@transaction.atomic
def demo_data_load(path: Path = DEMO_FILE) -> Loaded:
    """Load the file; any record the models refuse stops the load and
    leaves the database as it was."""
    data = demo_data_read(path)
    loaded, refs = Loaded(), _Refs()
    for key, section in SECTIONS.items():
        for index, entry in enumerate(data.get(key) or []):
            try:
                _entry_load(section, entry, refs, loaded)
            except ValidationError as exc:
                name = entry.get("slug") or index
                raise DemoDataError(f"{key} '{name}': {exc}") from exc
    loaded.created += demo_feeds_load()
    # The seed article has no address to fetch: the text it was read from
    # is its archived copy, so its quotes are checked like any other.
    article = Source.objects.get(slug=SEED_ARTICLE_SLUG)
    if snapshot_ship(
        source=article, text=SEED_ARTICLE_TEXT.read_text("utf-8"), shipped_at=now()
    ):
        loaded.created += 1
    return loaded
