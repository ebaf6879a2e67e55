"""Who and what the evidence is about: organizations, people, productions
and the credits that join people to productions."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import (
    EVIDENCE_STRENGTH,
    IC_ROLES,
    CreditRole,
    EvidenceStrength,
    ICEvidence,
    ICStatus,
    OrganizationKind,
    ProductionKind,
)

from .base import (
    YEAR_VALIDATORS,
    AliasListField,
    FieldNamedConstraintsMixin,
    SluggedModel,
    year_in_range,
)
from .sources import (
    Citation,
    CitedClaim,
    deprecation_constraints,
    deprecation_errors,
)

wikidata_validator = RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id looks like Q42.")
imdb_person_validator = RegexValidator(
    r"^nm\d{7,8}$", "An IMDb person id looks like nm0000123."
)
imdb_title_validator = RegexValidator(
    r"^tt\d{7,8}$", "An IMDb title id looks like tt0944947."
)


class ExternalIdsMixin(models.Model):
    """Identifiers in the public film databases, so records can be joined
    with other datasets. Each is unique when present."""

    wikidata_qid = models.CharField(
        "Wikidata QID",
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[wikidata_validator],
        help_text="Wikidata item id, e.g. Q123456.",
    )
    tmdb_id = models.PositiveIntegerField(
        "TMDB id",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The Movie Database (TMDB) numeric id.",
    )

    class Meta:
        abstract = True


class Organization(SluggedModel):
    name = models.CharField(
        max_length=200, db_index=True, help_text="The name it is best known by."
    )
    kind = models.CharField(
        max_length=20,
        choices=OrganizationKind.choices,
        db_index=True,
        help_text=(
            "Studio, network or streamer, award body, festival, guild or "
            "union, research institute, or training body."
        ),
    )
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="The name readers know it by, shown on the public pages "
        "where it differs from the full name: BAFTA, The Academy.",
    )
    aliases = AliasListField(help_text="Other names, one per line (e.g. BAFTA).")
    website = models.URLField(blank=True, help_text="Its website's URL.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(
        blank=True, help_text="A line or two on who they are."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Person(ExternalIdsMixin, SluggedModel):
    name = models.CharField(
        max_length=200, db_index=True, help_text="The name they are credited under."
    )
    aliases = AliasListField(
        help_text="Other names, one per line: real names, stage names, spellings."
    )
    imdb_id = models.CharField(
        "IMDb id",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[imdb_person_validator],
        help_text="IMDb person id, e.g. nm0000001.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="A line on who they are, e.g. 'intimacy coordinator'.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=("tmdb_id",),
                condition=models.Q(tmdb_id__isnull=False),
                name="person_tmdb_id_unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Production(ExternalIdsMixin, SluggedModel, CitedClaim):
    """A film or series, and the tracker's claim about whether it used an
    intimacy coordinator. The claim needs a citation once it says anything
    other than "unknown"."""

    slug_source = "title"

    title = models.CharField(
        max_length=300, db_index=True, help_text="The title it was released under."
    )
    kind = models.CharField(
        max_length=20,
        choices=ProductionKind.choices,
        db_index=True,
        help_text="Feature, series, mini-series, short or adult/indie.",
    )
    start_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        validators=YEAR_VALIDATORS,
        help_text="The year it was released or first aired.",
    )
    end_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="For a series; empty while it is still running.",
    )
    studio = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studio_productions",
    )
    network = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_productions",
        help_text="The network or streamer that carried it.",
        # production_network_title below leads with this column and serves
        # every lookup by network; a second index would only slow writes.
        db_index=False,
    )
    aliases = AliasListField(help_text="Other titles, one per line.")
    imdb_id = models.CharField(
        "IMDb id",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[imdb_title_validator],
        help_text="IMDb title id, e.g. tt0000001.",
    )
    ic_status = models.CharField(
        "IC status",
        max_length=10,
        choices=ICStatus.choices,
        default=ICStatus.UNKNOWN,
        db_index=True,
        help_text="Whether it used an intimacy coordinator: used, not used or unknown.",
    )
    ic_evidence = models.CharField(
        "IC evidence",
        max_length=30,
        choices=ICEvidence.choices,
        blank=True,
        help_text="The strongest kind of evidence for the IC status.",
    )
    ic_notes = models.TextField(
        "IC notes",
        blank=True,
        help_text="What the evidence says, in the researcher's words.",
    )

    history = HistoricalRecords()

    constraint_errors = {
        **deprecation_errors("production"),
        "production_start_year_plausible": (
            "start_year",
            "A year from 1888 to 2100.",
        ),
        "production_end_year_plausible": ("end_year", "A year from 1888 to 2100."),
        "production_ends_after_it_starts": (
            "end_year",
            "It cannot end before it starts (start_year).",
        ),
        "production_known_ic_status_has_evidence": (
            "ic_evidence",
            "Say how strong the evidence for the IC status is.",
        ),
        "production_tmdb_id_unique": (
            "tmdb_id",
            "Another production of this kind has this TMDB id.",
        ),
    }

    class Meta:
        ordering = ("title",)
        constraints = [
            models.CheckConstraint(
                condition=year_in_range("start_year"),
                name="production_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=year_in_range("end_year"),
                name="production_end_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="production_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(ic_status=ICStatus.UNKNOWN)
                | ~models.Q(ic_evidence=""),
                name="production_known_ic_status_has_evidence",
                violation_error_message="Say how strong the evidence for "
                "the IC status is.",
            ),
            models.UniqueConstraint(
                fields=("tmdb_id", "kind"),
                condition=models.Q(tmdb_id__isnull=False),
                name="production_tmdb_id_unique",
            ),
            *deprecation_constraints("production"),
        ]
        indexes = [
            models.Index(fields=("ic_status", "start_year")),
            # The list researchers filter most: one kind with one status,
            # on screen since a year. The years ride along so PostgreSQL
            # counts the page's total from the index alone (12 ms -> 2 ms
            # at 50k productions), without visiting each row.
            models.Index(
                fields=("kind", "ic_status", "start_year"),
                include=("end_year",),
                name="production_kind_status_years",
            ),
            # A network's productions in the list's order, a page at a
            # time: without it PostgreSQL walks the title index and skips
            # every other network's rows (page 2 of one network of 100:
            # 4.8 -> 0.5 ms at 50k productions).
            models.Index(fields=("network", "title"), name="production_network_title"),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_year})" if self.start_year else self.title

    @property
    def citation_required(self) -> bool:
        return self.ic_status != ICStatus.UNKNOWN

    @property
    def ic_evidence_strength(self) -> str:
        if self.ic_status == ICStatus.UNKNOWN or not self.ic_evidence:
            return EvidenceStrength.NONE
        return EVIDENCE_STRENGTH[ICEvidence(self.ic_evidence)]

    @property
    def names(self) -> list[str]:
        return [self.title, *self.aliases]

    @property
    def coordinators(self) -> list["Person"]:
        """The ICs credited on it; uses prefetched credits when present."""
        return [c.person for c in self.credits.all() if c.role in IC_ROLES]


class Credit(FieldNamedConstraintsMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="credits"
    )
    role = models.CharField(max_length=30, choices=CreditRole.choices, db_index=True)
    note = models.CharField(max_length=200, blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    constraint_errors = {
        "credit_unique_role_per_person_and_production": (
            "role",
            "The person already has this role on the production.",
        ),
    }

    class Meta:
        ordering = ("production", "role", "person")
        constraints = [
            models.UniqueConstraint(
                fields=("person", "production", "role"),
                name="credit_unique_role_per_person_and_production",
            ),
        ]

    def __str__(self):
        return f"{self.person} - {self.get_role_display()} - {self.production}"

    @property
    def is_intimacy_coordination(self) -> bool:
        return self.role in IC_ROLES
