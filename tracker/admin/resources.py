"""CSV import and export of productions and people (django-import-export).

An imported production that claims an IC status must name a source already
in the tracker (column `source_url`), so the citation rule holds for bulk
edits too.
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from tracker.choices import ICStatus
from tracker.models import Citation, Organization, Person, Production, Source


class AliasesWidget(widgets.Widget):
    """Aliases as one cell, separated by `|`, which names rarely contain."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return []
        return [part.strip() for part in str(value).split("|") if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return "|".join(value or [])


class OrganizationSlugWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Organization, field="slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Organization.DoesNotExist as exc:
            raise ValueError(
                f"No organization with slug '{value}': add it first."
            ) from exc


class PersonResource(resources.ModelResource):
    aliases = fields.Field(attribute="aliases", widget=AliasesWidget())

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
        )
        skip_unchanged = True
        clean_model_instances = True


class ProductionResource(resources.ModelResource):
    aliases = fields.Field(attribute="aliases", widget=AliasesWidget())
    studio = fields.Field(attribute="studio", widget=OrganizationSlugWidget())
    network = fields.Field(attribute="network", widget=OrganizationSlugWidget())
    source_url = fields.Field(column_name="source_url", readonly=True)

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
            "source_url",
        )
        skip_unchanged = True
        clean_model_instances = True

    def dehydrate_source_url(self, production):
        citation = next(iter(production.citations.all()), None)
        return citation.source.url if citation else ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance._import_source = None
        if instance.ic_status == ICStatus.UNKNOWN:
            return
        if instance.pk and instance.citations.exists():
            return
        url = (row.get("source_url") or "").strip()
        source = Source.objects.filter(url=url).first() if url else None
        if source is None:
            raise ValidationError(
                {
                    "ic_status": "An IC status other than unknown needs a "
                    "source: put the URL of a source already in the tracker "
                    "in the source_url column."
                }
            )
        instance._import_source = source

    def after_save_instance(self, instance, row, **kwargs):
        source = getattr(instance, "_import_source", None)
        if source is not None and not kwargs.get("dry_run"):
            Citation.objects.get_or_create(
                source=source,
                content_type=Production.content_type(),
                object_id=instance.pk,
            )
