"""The public `news` resource: articles from the trade-press feeds that staff
approved as being about something the tracker knows, with those matches.

Read-only for everyone: the pipeline writes articles and staff review
matches in the admin. Staff (token or admin session) may also read the
review queue with `?review_status=`; anyone else giving that parameter gets
a 400 naming it, so a pending match is never mistaken for a public one.
"""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from tracker.choices import MatchEntityType, MatchField, ReviewStatus
from tracker.models import NewsArticle, Organization, Person, Production
from tracker.selectors.news import article_matches, news_article_list

from .authentication import ApiTokenAuthentication
from .filters import PASSTHROUGH_PARAMETERS, StrictBooleanFilter, StrictFilterSet
from .pagination import StrictPageSize
from .serializers import RefSerializer, _iso, _ref
from .views import RecordViewSet

REVIEW_QUEUE_STAFF_ONLY = (
    "Only staff may read the review queue; authenticate with a staff token "
    "or leave this parameter out."
)

REVIEW_STATUS = "review_status"
ENTITY_MODELS = {
    MatchEntityType.PRODUCTION: Production,
    MatchEntityType.PERSON: Person,
    MatchEntityType.ORGANIZATION: Organization,
}


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def review_status_requested(request) -> str:
    """The review status to show: approved unless staff ask for another."""
    raw = request.query_params.get(REVIEW_STATUS)
    if raw is None:
        return ReviewStatus.APPROVED
    if not _is_staff(request.user):
        raise ValidationError({REVIEW_STATUS: [REVIEW_QUEUE_STAFF_ONLY]})
    if raw not in ReviewStatus.values:
        raise ValidationError(
            {REVIEW_STATUS: [f"One of: {', '.join(ReviewStatus.values)}."]}
        )
    return raw


# Filters


class EntityField(forms.CharField):
    """`production:<slug>`, `person:<slug>` or `organization:<slug>`, cleaned
    to (entity type, the record)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        kind, colon, slug = value.partition(":")
        if not colon or not slug or kind not in ENTITY_MODELS:
            raise FormValidationError(
                "Give it as production:<slug>, person:<slug> or organization:<slug>.",
                code="invalid",
            )
        entity = ENTITY_MODELS[kind].objects.filter(slug=slug).first()
        if entity is None:
            raise FormValidationError(
                f"No {kind} has the slug {slug!r}.", code="invalid_choice"
            )
        return kind, entity


class EntityFilter(df.CharFilter):
    field_class = EntityField


class NewsFilter(StrictFilterSet):
    passthrough_parameters = PASSTHROUGH_PARAMETERS | {"cursor"}

    entity = EntityFilter(
        method="filter_entity",
        help_text="Only articles matched to this record: production:<slug>, "
        "person:<slug> or organization:<slug>.",
    )
    ic_related = StrictBooleanFilter(
        help_text="true for articles about intimacy coordination."
    )
    award_mention = StrictBooleanFilter(
        help_text="true for articles that name an award body or ceremony "
        "together with intimacy coordination."
    )
    published_after = df.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        help_text="Published on this date (YYYY-MM-DD) or later.",
    )
    published_before = df.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        help_text="Published on this date (YYYY-MM-DD) or earlier.",
    )
    review_status = df.ChoiceFilter(
        choices=ReviewStatus.choices,
        method="filter_review_status",
        help_text="Staff only: show articles with matches in this review "
        "status instead of approved ones (anyone else gets a 400).",
    )

    class Meta:
        model = NewsArticle
        fields = ()

    def shown_status(self) -> str:
        return self.form.cleaned_data.get(REVIEW_STATUS) or ReviewStatus.APPROVED

    def filter_entity(self, queryset, name, value):
        kind, entity = value
        return queryset.filter(
            Exists(
                article_matches(self.shown_status()).filter(
                    article=OuterRef("pk"), **{kind: entity}
                )
            )
        )

    def filter_review_status(self, queryset, name, value):
        # The selector already applied it: the prefetched matches depend on
        # it, so it has to be known before the filters run.
        return queryset


# Serializers


class NewsMatchSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(
        choices=MatchEntityType.choices, help_text="What kind of record it names."
    )
    slug = serializers.SlugField(help_text="The record's slug in its resource.")
    name = serializers.CharField(help_text="The record's name or title.")
    alias = serializers.CharField(help_text="The name as matched in the article.")
    found_in = serializers.ChoiceField(
        choices=MatchField.choices, help_text="Where the name was found."
    )
    score = serializers.FloatField(help_text="How sure the match is, 0 to 1.")
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        help_text="Staff's verdict; always approved for anonymous readers.",
    )


def match_data(match) -> dict:
    entity = match.entity
    return {
        "entity_type": match.entity_type,
        "slug": entity.slug,
        "name": getattr(entity, "title", None) or entity.name,
        "alias": match.alias,
        "found_in": match.field,
        "score": match.score,
        "review_status": match.review_status,
    }


class NewsArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Look the article up by this id.")
    title = serializers.CharField(help_text="The headline.")
    url = serializers.URLField(
        help_text="The article's canonical address (tracking parameters removed)."
    )
    feed = serializers.CharField(help_text="The feed it was first seen in.")
    publisher = RefSerializer(
        allow_null=True, help_text="The organization publishing that feed."
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="When the feed says it was published."
    )
    summary = serializers.CharField(
        help_text="The feed's summary as HTML, cleaned to an allow-list of tags."
    )
    ic_related = serializers.BooleanField(
        help_text="Whether it is about intimacy coordination."
    )
    award_mention = serializers.BooleanField(
        help_text="Whether it likely mentions intimacy coordination in an "
        "awards context."
    )
    matches = NewsMatchSerializer(
        many=True, help_text="The records it names, as reviewed by staff."
    )

    def to_representation(self, article):
        return {
            "id": article.pk,
            "title": article.title,
            "url": article.canonical_url,
            "feed": article.feed.name,
            "publisher": _ref(article.feed.publisher),
            "published_at": _iso(article.published_at),
            "summary": article.summary,
            "ic_related": article.ic_related,
            "award_mention": article.award_mention,
            "matches": [match_data(m) for m in article.shown_matches],
        }


# The viewset


class NewsCursor(StrictPageSize, CursorPagination):
    """A growing feed reads best by cursor: a new article does not shift the
    pages a reader is walking through."""

    ordering = ("-dated_at", "-id")


CSV_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="csv streams every matching article as a spreadsheet.",
)
DESCRIPTION = (
    "Trade-press articles naming productions, people or organizations the "
    "tracker holds, newest first, once staff approved the match. Filter by "
    "record with ?entity=production:<slug> (or person:, organization:)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List news articles",
        description=DESCRIPTION,
        parameters=[CSV_PARAMETER],
        tags=["news"],
    ),
    retrieve=extend_schema(
        summary="One news article, by id",
        parameters=[
            OpenApiParameter(
                REVIEW_STATUS,
                str,
                enum=ReviewStatus.values,
                description="Staff only: read an article waiting for review.",
            )
        ],
        tags=["news"],
    ),
)
class NewsArticleViewSet(RecordViewSet):
    __doc__ = DESCRIPTION
    # Read-only: any other method is a JSON 401/403 (permissions come first)
    # or 405.
    http_method_names = ("get", "head", "options")
    # Staff reviewing in the admin can read the queue from the same browser.
    authentication_classes = (ApiTokenAuthentication, SessionAuthentication)
    queryset = NewsArticle.objects.none()
    serializer_class = NewsArticleSerializer
    filterset_class = NewsFilter
    pagination_class = NewsCursor
    lookup_field = "pk"
    lookup_value_regex = r"\d+"
    csv_name = "news"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NewsArticle.objects.none()
        return news_article_list(review_status=review_status_requested(self.request))
