"""Spreadsheets in and out for every record type (django-import-export).

One resource per record type, each a plain class. What they share:

- records are found by slug (milestones, which have none, by id); a blank
  slug makes a new record with a slug derived from its name;
- related records are named by slug, several in one cell separated by `|`;
  aliases likewise;
- blank cells of unique ids (IMDb, Wikidata) are stored as NULL, so two
  records without an id never collide;
- every claim carries its citations in numbered column groups,
  `citation_1_source_url`, `citation_1_stance`, `citation_1_quote`,
  `citation_1_locator`, then `citation_2_...`: the source (its URL, or its
  slug for a source without one) must already be in the tracker (the
  sources sheet imports them), and a claim that needs a citation is
  refused without one. Citations in a sheet are added or
  updated, never removed (that is done in the admin, where the rule that a
  claim keeps one source is checked);
- credits travel with productions and people, one per line:
  `person-slug:role` (or `production-slug:role`), with `:note` after it
  when there is one; likewise added or updated, never removed;
- a cohort's members are its productions' slugs, separated by `|`, and
  its list source is named as a citation's source is (URL, or slug);
- an unknown column or the same key on two rows refuses the whole sheet
  before any row is read; an unknown record in a cell is named by its row
  and column.

A sheet exported from the tracker imports back as "no changes".
"""

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from import_export import fields, resources, widgets

from tracker.choices import CitationStance, CreditRole
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

CITATION_PARTS = ("source_url", "stance", "quote", "locator")
CITATION_COLUMN = re.compile(r"^citation_(\d+)_(source_url|stance|quote|locator)$")


def column_letter(index: int) -> str:
    """The spreadsheet's name for a 0-based column index: 0 is A, 26 AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def source_ref(source: Source) -> str:
    """How a sheet names a source: its URL, or its slug for one with none
    (a speech heard in person)."""
    return source.url or source.slug


def source_find(ref: str) -> Source | None:
    if "://" in ref:
        return Source.objects.filter(url=ref).first()
    return Source.objects.filter(slug=ref, url="").first()


class NullableCharWidget(widgets.CharWidget):
    """A blank cell is NULL, not '': unique ids left empty never collide."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TextWidget(widgets.CharWidget):
    """Text that is never NULL: an empty cell (None from XLSX) is ''."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value)


class AliasesWidget(widgets.Widget):
    """Aliases as one cell, separated by `|`, which names rarely contain."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return []
        return [part.strip() for part in str(value).split("|") if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return "|".join(value or [])


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error that
    says what to add."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        try:
            return self.model.objects.get(slug=str(value).strip())
        except self.model.DoesNotExist as exc:
            raise ValueError(
                f"No {self.model._meta.verbose_name} with slug '{value}': add it first."
            ) from exc


class SlugsWidget(widgets.ManyToManyWidget):
    """Several related records by slug, separated by `|`."""

    def __init__(self, model):
        super().__init__(model, separator="|", field="slug")

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return self.model.objects.none()
        slugs = [s.strip() for s in str(value).split("|") if s.strip()]
        found = self.model.objects.filter(slug__in=slugs)
        missing = sorted(set(slugs) - {o.slug for o in found})
        if missing:
            raise ValueError(
                f"No {self.model._meta.verbose_name} with slug "
                f"{', '.join(repr(s) for s in missing)}: add it first."
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "|".join(sorted(o.slug for o in value.all()))


class SourceRefWidget(widgets.ForeignKeyWidget):
    """A source named as citations name it: its URL, or its slug for one
    without a URL."""

    def __init__(self):
        super().__init__(Source, field="slug")

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        ref = str(value).strip()
        source = source_find(ref)
        if source is None:
            raise ValueError(
                f"No source with URL or slug {ref}: add it to the tracker first "
                "(the sources sheet, or the admin)."
            )
        return source

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else source_ref(value)


def slug_field(name: str, model) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=SlugWidget(model))


def slugs_field(name: str, model) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=SlugsWidget(model))


class RecordResource(resources.ModelResource):
    """What every tracker sheet shares; see the module docstring."""

    class Meta:
        abstract = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.JSONField):
            return AliasesWidget
        if isinstance(f, models.CharField) and f.null:
            return NullableCharWidget
        if isinstance(f, models.CharField | models.TextField):
            return TextWidget
        return super().widget_from_django_field(f, default)

    # --- import ------------------------------------------------------------

    @property
    def cited(self) -> bool:
        return issubclass(self._meta.model, CitedClaim)

    def known_columns(self) -> set[str]:
        return {f.column_name for f in self.fields.values()}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        dataset.headers = [str(h or "").strip() for h in dataset.headers or []]
        for key in self.get_import_id_fields():
            column = self.fields[key].column_name
            if column not in dataset.headers:
                # A sheet of new records may leave the key out.
                dataset.append_col([""] * len(dataset), header=column)
        headers = dataset.headers
        known = self.known_columns()
        for index, header in enumerate(headers):
            if header in known or (self.cited and CITATION_COLUMN.match(header)):
                continue
            raise ValueError(
                f"Column {column_letter(index)} ('{header}') is not a column "
                f"of the {self._meta.model._meta.verbose_name_plural} sheet; "
                f"the columns are: {', '.join(self.column_names())}."
            )
        duplicates = Counter(headers)
        for header, count in duplicates.items():
            if count > 1:
                raise ValueError(f"Column '{header}' appears {count} times.")
        self.citation_groups = sorted(
            {int(m.group(1)) for m in (CITATION_COLUMN.match(h) for h in headers) if m}
        )
        for key in self.get_import_id_fields():
            column = self.fields[key].column_name
            if column not in headers:
                continue
            seen: dict[str, int] = {}
            for number, value in enumerate(dataset[column], start=2):
                if blank(value):
                    continue
                value = str(value).strip()
                if value in seen:
                    raise ValueError(
                        f"Row {number}, column {column}: '{value}' is also "
                        f"on row {seen[value]}; each record takes one row."
                    )
                seen[value] = number

    def column_names(self) -> list[str]:
        names = [f.column_name for f in self.fields.values()]
        if self.cited:
            names += [f"citation_1_{part}" for part in CITATION_PARTS]
        return names

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Many-to-many cells are only read when the row is saved, where an
        # unknown slug would be an error of the row without its column:
        # read them here too, so the column is named.
        for field in self.get_import_fields():
            if (
                isinstance(field.widget, widgets.ManyToManyWidget)
                and field.column_name in row
            ):
                try:
                    field.clean(row, **kwargs)
                except ValueError as exc:
                    errors[field.column_name] = [str(exc)]
        if self.cited:
            errors.update(self.citations_read(instance, row))
        errors.update(self.extras_read(instance, row))
        if errors:
            raise ValidationError(errors)

    def citations_read(self, instance, row) -> dict:
        """The citations of the row, checked, kept on the instance until it
        is saved; returns errors keyed by column."""
        errors, citations = {}, []
        for group in getattr(self, "citation_groups", []):
            prefix = f"citation_{group}_"
            url = row.get(prefix + "source_url")
            if blank(url):
                if any(not blank(row.get(prefix + p)) for p in CITATION_PARTS[1:]):
                    errors[prefix + "source_url"] = (
                        "A citation needs the URL of its source."
                    )
                continue
            url = str(url).strip()
            source = source_find(url)
            if source is None:
                errors[prefix + "source_url"] = (
                    f"No source with URL {url}: add it to the tracker first "
                    "(the sources sheet, or the admin)."
                )
                continue
            stance = row.get(prefix + "stance")
            stance = CitationStance.SUPPORTS if blank(stance) else str(stance).strip()
            if stance not in CitationStance.values:
                errors[prefix + "stance"] = (
                    f"'{stance}' is not a stance: use "
                    f"{' or '.join(CitationStance.values)}."
                )
                continue
            citations.append(
                {
                    "source": source,
                    "stance": stance,
                    "quote": "" if blank(q := row.get(prefix + "quote")) else str(q),
                    "locator": ""
                    if blank(loc := row.get(prefix + "locator"))
                    else str(loc).strip(),
                }
            )
        instance._sheet_citations = citations
        return errors

    def extras_read(self, instance, row) -> dict:
        """Reads the resource's own extra columns; errors keyed by column."""
        return {}

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        if self.cited and not errors:
            sheet = getattr(instance, "_sheet_citations", [])
            new_sources = {c["source"].pk for c in sheet}
            kept = 0
            if instance.pk:
                kept = instance.citations.exclude(source_id__in=new_sources).count()
            try:
                instance.ensure_cited(pending_citations=kept + len(sheet))
            except ValidationError:
                name = instance._meta.verbose_name
                errors["citation_1_source_url"] = [
                    f"This {name} needs a source: put the URL of a source "
                    "already in the tracker in citation_1_source_url."
                ]
        super().validate_instance(instance, errors or None, validate_unique)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged means the fields, and the citations and credits of the
        sheet too (they are compared with what the database holds)."""
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if instance.pk is None:
            return False
        return not self.citations_changed(instance) and not self.extras_changed(
            instance
        )

    def citations_changed(self, instance) -> bool:
        if not self.cited:
            return False
        sheet = getattr(instance, "_sheet_citations", None) or []
        current = {
            c.source_id: (c.stance, c.quote, c.locator)
            for c in instance.citations.all()
        }
        return any(
            current.get(c["source"].pk) != (c["stance"], c["quote"], c["locator"])
            for c in sheet
        )

    def extras_changed(self, original) -> bool:
        return False

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if self.cited:
            content_type = instance.content_type()
            for citation in getattr(instance, "_sheet_citations", []):
                Citation.objects.update_or_create(
                    source=citation["source"],
                    content_type=content_type,
                    object_id=instance.pk,
                    defaults={k: citation[k] for k in ("stance", "quote", "locator")},
                )
        self.extras_save(instance)

    def extras_save(self, instance) -> None:
        """Saves what extras_read kept on the instance."""

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        progress = getattr(self, "progress", None)
        if progress is not None:
            progress()

    # --- export ------------------------------------------------------------

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.cited:
            queryset = queryset.prefetch_related("citations__source")
        return queryset

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        if self.cited:
            most = max(
                (
                    row["n"]
                    for row in queryset.order_by()
                    .annotate(n=Count("citations"))
                    .values("n")
                ),
                default=0,
            )
            self.citation_groups = list(range(1, max(most, 1) + 1))
        return super().export(queryset, **kwargs)

    def get_export_headers(self, selected_fields=None):
        headers = super().get_export_headers(selected_fields)
        for group in getattr(self, "citation_groups", []) if self.cited else []:
            headers += [f"citation_{group}_{part}" for part in CITATION_PARTS]
        return headers

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields, **kwargs)
        if self.cited:
            citations = sorted(instance.citations.all(), key=lambda c: c.pk)
            for index, _group in enumerate(getattr(self, "citation_groups", [])):
                if index < len(citations):
                    c = citations[index]
                    values += [source_ref(c.source), c.stance, c.quote, c.locator]
                else:
                    values += ["", "", "", ""]
        progress = getattr(self, "progress", None)
        if progress is not None:
            progress()
        return values


class CreditsMixin:
    """Credits as one cell, one per line: `other-slug:role[:note]`."""

    credit_other: str  # "person" on productions, "production" on people

    def other_model(self):
        return Person if self.credit_other == "person" else Production

    def extras_read(self, instance, row) -> dict:
        instance._sheet_credits = None
        cell = row.get("credits")
        if "credits" not in row or blank(cell):
            return {}
        credits, problems = [], []
        model = self.other_model()
        for line in str(cell).splitlines():
            if not line.strip():
                continue
            slug, _, rest = line.strip().partition(":")
            role, _, note = rest.partition(":")
            slug, role = slug.strip(), role.strip()
            other = model.objects.filter(slug=slug).first()
            if other is None:
                problems.append(f"no {model._meta.verbose_name} with slug '{slug}'")
            elif role not in CreditRole.values:
                problems.append(
                    f"'{role}' is not a role (one of {', '.join(CreditRole.values)})"
                )
            else:
                credits.append((other, role, note.strip()))
        if problems:
            return {"credits": "; ".join(problems) + "."}
        instance._sheet_credits = credits
        return {}

    def _credit_key(self, instance, other, role):
        if self.credit_other == "person":
            return {"person": other, "production": instance, "role": role}
        return {"person": instance, "production": other, "role": role}

    def extras_changed(self, instance) -> bool:
        sheet = getattr(instance, "_sheet_credits", None)
        if not sheet:
            return False
        other_id = f"{self.credit_other}_id"
        current = {
            (getattr(c, other_id), c.role): c.note for c in instance.credits.all()
        }
        return any(current.get((o.pk, role)) != note for o, role, note in sheet)

    def extras_save(self, instance) -> None:
        for other, role, note in getattr(instance, "_sheet_credits", None) or []:
            Credit.objects.update_or_create(
                **self._credit_key(instance, other, role), defaults={"note": note}
            )

    def dehydrate_credits(self, instance):
        other = self.credit_other
        lines = []
        for credit in sorted(
            instance.credits.all(), key=lambda c: (getattr(c, other).slug, c.role)
        ):
            line = f"{getattr(credit, other).slug}:{credit.role}"
            lines.append(f"{line}:{credit.note}" if credit.note else line)
        return "\n".join(lines)


class SourceResource(RecordResource):
    class Meta:
        model = Source
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "url",
            "title",
            "publisher",
            "published_on",
            "published_precision",
            "kind",
            "notes",
        )
        skip_unchanged = True
        clean_model_instances = True


class OrganizationResource(RecordResource):
    parent = slug_field("parent", Organization)

    class Meta:
        model = Organization
        import_id_fields = ("slug",)
        fields = ("slug", "name", "kind", "aliases", "website", "parent", "description")
        skip_unchanged = True
        clean_model_instances = True

    def export(self, queryset=None, **kwargs):
        # Parents before their children, so the sheet imports into a fresh
        # tracker: a row may only name a parent that is already there.
        if queryset is None:
            queryset = self.get_queryset()
        parents = dict(Organization.objects.values_list("pk", "parent_id"))

        def depth(pk, seen=()):
            parent = parents.get(pk)
            return (
                0
                if parent is None or parent in seen
                else 1 + depth(parent, (*seen, pk))
            )

        rows = sorted(queryset, key=lambda o: (depth(o.pk), o.name, o.pk))
        return super().export(rows, **kwargs)


class PersonResource(CreditsMixin, RecordResource):
    credit_other = "production"
    # Read by extras_read, written by extras_save: never set as an attribute.
    credits = fields.Field(column_name="credits", readonly=True)

    class Meta:
        model = Person
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "aliases",
            "description",
            "wikidata_qid",
            "imdb_id",
            "tmdb_id",
            "credits",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("credits__production")


class ProductionResource(CreditsMixin, RecordResource):
    credit_other = "person"
    credits = fields.Field(column_name="credits", readonly=True)
    studio = slug_field("studio", Organization)
    network = slug_field("network", Organization)

    class Meta:
        model = Production
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "studio",
            "network",
            "aliases",
            "ic_status",
            "ic_evidence",
            "ic_notes",
            "wikidata_qid",
            "imdb_id",
            "tmdb_id",
            "credits",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("studio", "network")
            .prefetch_related("credits__person")
        )


class StatementResource(RecordResource):
    speaker = slug_field("speaker", Person)
    production = slug_field("production", Production)
    about_coordinator = slug_field("about_coordinator", Person)

    class Meta:
        model = Statement
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "speaker",
            "production",
            "about_coordinator",
            "quote",
            "stance",
            "venue",
            "date",
            "date_precision",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("speaker", "production", "about_coordinator")
        )


class AwardCategoryResource(RecordResource):
    award_body = slug_field("award_body", Organization)

    class Meta:
        model = AwardCategory
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "award_body",
            "name",
            "status",
            "year_introduced",
            "is_intimacy_coordination",
            "description",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("award_body")


class AwardOutcomeResource(RecordResource):
    category = slug_field("category", AwardCategory)
    production = slug_field("production", Production)
    people = slugs_field("people", Person)

    class Meta:
        model = AwardOutcome
        import_id_fields = ("slug",)
        fields = ("slug", "category", "ceremony_year", "production", "people", "result")
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("category", "production")
            .prefetch_related("people")
        )


class AwardMentionResource(RecordResource):
    speaker = slug_field("speaker", Person)
    coordinator = slug_field("coordinator", Person)
    award_bodies = slugs_field("award_bodies", Organization)
    outcomes = slugs_field("outcomes", AwardOutcome)
    production = slug_field("production", Production)

    class Meta:
        model = AwardMention
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "kind",
            "speaker",
            "coordinator",
            "award_bodies",
            "outcomes",
            "production",
            "quote",
            "quote_kind",
            "date",
            "date_precision",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("speaker", "coordinator", "production")
            .prefetch_related("award_bodies", "outcomes")
        )


class PolicyResource(RecordResource):
    organization = slug_field("organization", Organization)

    class Meta:
        model = Policy
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "organization",
            "title",
            "scope",
            "status",
            "effective_on",
            "effective_precision",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("organization")


class IndustryStatisticResource(RecordResource):
    publishers = slugs_field("publishers", Organization)

    class Meta:
        model = IndustryStatistic
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "publishers",
            "report",
            "metric",
            "value",
            "unit",
            "sample",
            "year",
            "quoted_wording",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("publishers")


class CampaignResource(RecordResource):
    target_body = slug_field("target_body", Organization)
    proposed_category = slug_field("proposed_category", AwardCategory)
    precedents = slugs_field("precedents", AwardCategory)

    class Meta:
        model = Campaign
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "target_body",
            "proposed_category",
            "precedents",
            "status",
            "summary",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("target_body", "proposed_category")
            .prefetch_related("precedents")
        )


class CampaignMilestoneResource(RecordResource):
    campaign = slug_field("campaign", Campaign)

    class Meta:
        model = CampaignMilestone
        import_id_fields = ("id",)
        fields = ("id", "campaign", "title", "description", "date", "date_precision")
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("campaign")


class CohortResource(RecordResource):
    list_source = fields.Field(
        attribute="list_source", column_name="list_source", widget=SourceRefWidget()
    )
    members = slugs_field("members", Production)

    class Meta:
        model = Cohort
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "description",
            "inclusion_rule",
            "list_source",
            "year",
            "self_selected",
            "members",
        )
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("list_source")
            .prefetch_related("members")
        )


# The names `export_records` and `import_records` take, in the order a
# fresh tracker imports them (each sheet names records of the ones above).
RESOURCES: dict[str, type[RecordResource]] = {
    "sources": SourceResource,
    "organizations": OrganizationResource,
    "people": PersonResource,
    "productions": ProductionResource,
    "statements": StatementResource,
    "award-categories": AwardCategoryResource,
    "award-outcomes": AwardOutcomeResource,
    "award-mentions": AwardMentionResource,
    "policies": PolicyResource,
    "statistics": IndustryStatisticResource,
    "campaigns": CampaignResource,
    "milestones": CampaignMilestoneResource,
    "cohorts": CohortResource,
}
