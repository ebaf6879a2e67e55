"""Views of the public API. Each viewset names its queryset (a selector,
already joined and prefetched), its read and write serializers and its
FilterSet; the shared behaviour (writes through services, CSV streaming)
lives in RecordViewSet, and `record_schema` documents the
operations from the model's names and the viewset's docstring."""

import threading

from csp.constants import NONCE
from csp.decorators import csp_update
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.caching import SUMMARY
from tracker.choices import ReviewStatus
from tracker.models import NewsArticle
from tracker.selectors import records
from tracker.selectors.cohorts import cohort_list
from tracker.selectors.news import (
    NEWS_REVIEW_STATUSES,
    UNMATCHED,
    news_article_list,
    stored_news_list,
)
from tracker.selectors.summary import case_summary
from tracker.services.records import record_create, record_delete, record_update
from tracker.services.review import article_source_take

from . import filters, serializers
from .authentication import ApiTokenAuthentication
from .pagination import NewsCursor
from .renderers import csv_rows

CSV_CHUNK = 500


class JsonErrorsMixin:
    """Errors as JSON even when CSV was asked for. (ETags and 304s for
    anonymous reads come from tracker.middleware.PublicCacheMiddleware,
    from the data version, without rendering.)"""

    def finalize_response(self, request, response, *args, **kwargs):
        accepted = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and getattr(accepted, "format", "") == "csv":
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class WritesTakeNoQueryMixin:
    """A write reads its body only: a query parameter on it is a mistake
    the client should hear about, as reads refuse theirs."""

    write_actions = ("create", "update", "partial_update", "destroy")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Only on a write the route offers: any other method is a 405.
        if (
            request.method.lower() in self.http_method_names
            and self.action in self.write_actions
        ):
            unknown = sorted(set(request.query_params) - {"format"})
            if unknown:
                raise ValidationError(
                    dict.fromkeys(
                        unknown, ["Unknown parameter: a write takes only format."]
                    )
                )


class CsvListMixin:
    """A list that streams every matching record as CSV when asked."""

    csv_name = "records"

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") == "csv":
            # A CSV holds every row, yet a malformed page_size is still the
            # 400 a JSON page gives: the parameter is documented for both.
            if self.paginator is not None:
                self.paginator.get_page_size(request)
            return self.csv_response()
        return super().list(request, *args, **kwargs)

    def csv_response(self):
        queryset = self.filter_queryset(self.get_queryset())
        serializer_class = self.serializer_class
        rows = (
            serializer_class(obj).data
            for obj in queryset.iterator(chunk_size=CSV_CHUNK)
        )
        response = StreamingHttpResponse(
            csv_rows(rows, header=list(serializer_class().fields)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        return response


class RecordViewSet(
    JsonErrorsMixin, WritesTakeNoQueryMixin, CsvListMixin, viewsets.ModelViewSet
):
    lookup_field = "slug"
    # Django's slug alphabet: the schema states it, and anything else is a
    # 404 from the router instead of a query.
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ("get", "post", "put", "patch", "delete", "head", "options")
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    # Writes: the serializer validates the shape, a service does the write
    # (full_clean, the citation rule) and the answer is the read shape.

    def _split(self, validated: dict) -> "tuple[dict, dict, list | None]":
        citations = validated.pop("citations", None)
        model = self.get_queryset().model
        m2m = {
            field.name: validated.pop(field.name)
            for field in model._meta.many_to_many
            if field.name in validated
        }
        return validated, m2m, citations

    def _read_response(self, instance, code):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.serializer_class(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, m2m, citations = self._split(dict(serializer.validated_data))
        instance = record_create(
            model=self.get_queryset().model,
            fields=fields,
            m2m=m2m,
            citations=citations,
        )
        return self._read_response(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields, m2m, citations = self._split(dict(serializer.validated_data))
        record_update(instance=instance, fields=fields, m2m=m2m, citations=citations)
        return self._read_response(instance, status.HTTP_200_OK)

    def perform_destroy(self, instance):
        record_delete(instance=instance)


def record_schema(viewset):
    """Documents a RecordViewSet's operations for the OpenAPI schema: the
    summaries from its model's names, the list description from its
    docstring, the tag from its CSV name."""
    model = viewset.queryset.model
    plural = model._meta.verbose_name_plural
    singular = model._meta.verbose_name
    # "an award category", "an organization": the summaries are read aloud.
    a = "an" if singular[0] in "aeiou" else "a"
    description = " ".join(viewset.__doc__.split())
    name = viewset.csv_name
    serializer = viewset.serializer_class
    csv_param = OpenApiParameter(
        "format",
        str,
        enum=["json", "csv"],
        description="csv streams every matching record as a spreadsheet.",
    )
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=description,
            parameters=[csv_param],
            tags=[name],
        ),
        retrieve=extend_schema(summary=f"One {singular}, by slug", tags=[name]),
        create=extend_schema(
            summary=f"Add {a} {singular} (staff with the permission)",
            responses={201: serializer},
            tags=[name],
        ),
        update=extend_schema(
            summary=f"Replace {a} {singular} (staff with the permission)",
            responses={200: serializer},
            tags=[name],
        ),
        partial_update=extend_schema(
            summary=f"Change {a} {singular} (staff with the permission)",
            responses={200: serializer},
            tags=[name],
        ),
        destroy=extend_schema(
            summary=f"Delete {a} {singular} (staff with the permission)", tags=[name]
        ),
    )(viewset)


@record_schema
class ProductionViewSet(RecordViewSet):
    """Films and series, whether they used an intimacy coordinator, who, and
    the evidence."""

    queryset = records.production_list()
    serializer_class = serializers.ProductionSerializer
    write_serializer_class = serializers.ProductionWriteSerializer
    filterset_class = filters.ProductionFilter
    csv_name = "productions"


@record_schema
class PersonViewSet(RecordViewSet):
    """Coordinators, performers, directors and others, with their credits."""

    queryset = records.person_list()
    serializer_class = serializers.PersonSerializer
    write_serializer_class = serializers.PersonWriteSerializer
    filterset_class = filters.PersonFilter
    csv_name = "people"


@record_schema
class OrganizationViewSet(RecordViewSet):
    """Studios, networks, award bodies, festivals, guilds and institutes."""

    queryset = records.organization_list()
    serializer_class = serializers.OrganizationSerializer
    write_serializer_class = serializers.OrganizationWriteSerializer
    filterset_class = filters.OrganizationFilter
    csv_name = "organizations"


@record_schema
class SourceViewSet(RecordViewSet):
    """The articles, speeches and reports every claim cites."""

    queryset = records.source_list()
    serializer_class = serializers.SourceSerializer
    write_serializer_class = serializers.SourceWriteSerializer
    filterset_class = filters.SourceFilter
    csv_name = "sources"


@record_schema
class AwardCategoryViewSet(RecordViewSet):
    """Award categories: existing, newly introduced (the precedents) and
    proposed ones for intimacy coordination."""

    queryset = records.award_category_list()
    serializer_class = serializers.AwardCategorySerializer
    write_serializer_class = serializers.AwardCategoryWriteSerializer
    filterset_class = filters.AwardCategoryFilter
    csv_name = "award-categories"


@record_schema
class AwardOutcomeViewSet(RecordViewSet):
    """Awards won or nominated for, by category and ceremony year."""

    queryset = records.award_outcome_list()
    serializer_class = serializers.AwardOutcomeSerializer
    write_serializer_class = serializers.AwardOutcomeWriteSerializer
    filterset_class = filters.AwardOutcomeFilter
    csv_name = "award-outcomes"


@record_schema
class AwardMentionViewSet(RecordViewSet):
    """Intimacy coordinators named in an awards context: dedications, thanks,
    nominations and calls for a category."""

    queryset = records.award_mention_list()
    serializer_class = serializers.AwardMentionSerializer
    write_serializer_class = serializers.AwardMentionWriteSerializer
    filterset_class = filters.AwardMentionFilter
    csv_name = "award-mentions"


@record_schema
class StatementViewSet(RecordViewSet):
    """What people said for or against intimacy coordinators, and where."""

    queryset = records.statement_list()
    serializer_class = serializers.StatementSerializer
    write_serializer_class = serializers.StatementWriteSerializer
    filterset_class = filters.StatementFilter
    csv_name = "statements"


@record_schema
class PolicyViewSet(RecordViewSet):
    """Policies on intimacy coordination, such as HBO's mandate."""

    queryset = records.policy_list()
    serializer_class = serializers.PolicySerializer
    write_serializer_class = serializers.PolicyWriteSerializer
    filterset_class = filters.PolicyFilter
    csv_name = "policies"


@record_schema
class IndustryStatisticViewSet(RecordViewSet):
    """Industry statistics, with their exact wording and sample."""

    queryset = records.statistic_list()
    serializer_class = serializers.IndustryStatisticSerializer
    write_serializer_class = serializers.IndustryStatisticWriteSerializer
    filterset_class = filters.IndustryStatisticFilter
    csv_name = "stats"


@record_schema
class CampaignViewSet(RecordViewSet):
    """The campaigns for an intimacy coordination award, with milestones and
    precedents."""

    queryset = records.campaign_list()
    serializer_class = serializers.CampaignSerializer
    write_serializer_class = serializers.CampaignWriteSerializer
    filterset_class = filters.CampaignFilter
    csv_name = "campaigns"


# --- News: read-only for the public. The pipeline writes articles and
# staff review matches in the admin. Staff (token or admin session) may also
# read the review queue with ?review_status=, the articles matching nothing
# with ?review_status=unmatched and the leads with ?leads=; anyone else
# giving those parameters gets a 400 naming them, so a pending match is
# never taken for a public one. The one write is staff making a source of
# an article.

REVIEW_QUEUE_STAFF_ONLY = (
    "Only staff may read the review queue and the leads; authenticate with "
    "a staff token or leave this parameter out."
)
LEADS_MATCH_NOTHING = (
    "The leads match nothing tracked: leave review_status out, or give "
    f"review_status={UNMATCHED}."
)


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def _staff_parameter(request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if raw is not None and not _is_staff(request.user):
        raise ValidationError({name: [REVIEW_QUEUE_STAFF_ONLY]})
    return raw


def leads_requested(request) -> bool | None:
    """True for only the leads, False for none of them, None for either."""
    raw = _staff_parameter(request, filters.LEADS)
    if raw is None:
        return None
    try:
        return filters.StrictBooleanField().clean(raw)
    except DjangoValidationError as error:
        raise ValidationError({filters.LEADS: error.messages}) from error


def review_status_requested(request, *, leads: bool | None = None) -> str:
    """The review status to show: approved unless staff ask for another
    (the leads, which match nothing, are shown as unmatched)."""
    raw = _staff_parameter(request, filters.REVIEW_STATUS)
    if raw is None:
        return UNMATCHED if leads else ReviewStatus.APPROVED
    if raw not in NEWS_REVIEW_STATUSES:
        raise ValidationError(
            {filters.REVIEW_STATUS: [f"One of: {', '.join(NEWS_REVIEW_STATUSES)}."]}
        )
    if leads and raw != UNMATCHED:
        raise ValidationError({filters.LEADS: [LEADS_MATCH_NOTHING]})
    return raw


class MayMakeSources(BasePermission):
    """Staff holding the permission to add sources: the Editor role. Anyone
    without credentials gets a 401, anyone else without it a 403."""

    def has_permission(self, request, view):
        user = request.user
        return _is_staff(user) and user.has_perm("tracker.add_source")


CSV_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="csv streams every matching article as a spreadsheet.",
)
DESCRIPTION = (
    "Trade-press articles naming productions, people or organizations the "
    "tracker holds, newest first, once staff approved the match. Filter by "
    "record with ?entity=production:<slug> (or person:, organization:). "
    "Staff also read the review queue (?review_status=), the articles that "
    "match nothing (?review_status=unmatched) and the leads (?leads=true)."
)
STAFF_PARAMETERS = [
    OpenApiParameter(
        filters.REVIEW_STATUS,
        str,
        enum=list(NEWS_REVIEW_STATUSES),
        description="Staff only: read an article waiting for review, or one "
        "that matches nothing (unmatched).",
    ),
    OpenApiParameter(
        filters.LEADS,
        bool,
        description="Staff only: true to read a lead (an IC or award article "
        "matching nothing tracked), false for any other article.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List news articles",
        description=DESCRIPTION,
        parameters=[CSV_PARAMETER],
        tags=["news"],
    ),
    retrieve=extend_schema(
        summary="One news article, by id",
        parameters=STAFF_PARAMETERS,
        tags=["news"],
    ),
)
class NewsArticleViewSet(
    JsonErrorsMixin,
    WritesTakeNoQueryMixin,
    CsvListMixin,
    viewsets.ReadOnlyModelViewSet,
):
    __doc__ = DESCRIPTION
    # Staff reviewing in the admin can read the queue from the same browser.
    authentication_classes = (ApiTokenAuthentication, SessionAuthentication)
    queryset = NewsArticle.objects.none()
    serializer_class = serializers.NewsArticleSerializer
    filterset_class = filters.NewsFilter
    pagination_class = NewsCursor
    lookup_field = "pk"
    lookup_value_regex = r"\d+"
    csv_name = "news"
    write_actions = ("source",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NewsArticle.objects.none()
        if self.action == "source":
            return stored_news_list()
        leads = leads_requested(self.request)
        return news_article_list(
            review_status=review_status_requested(self.request, leads=leads),
            leads=leads,
        )

    def filter_queryset(self, queryset):
        # A write takes no filters (WritesTakeNoQueryMixin refused them).
        if self.action == "source":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(
        summary="Make a source of an article (staff who may add sources)",
        description="The article as a source: its URL, title, publisher (the "
        "feed's organization) and date. A source already holding its URL is "
        "returned instead (200, not 201); an open lead is promoted. Any stored "
        "article, matched or not.",
        request=None,
        responses={
            201: serializers.SourceSerializer,
            200: serializers.SourceSerializer,
        },
        tags=["news"],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="source",
        permission_classes=(MayMakeSources,),
    )
    def source(self, request, pk=None):
        source, created = article_source_take(
            article=self.get_object(), reviewer=request.user
        )
        fresh = records.source_list().get(pk=source.pk)
        return Response(
            serializers.SourceSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


COHORTS_DESCRIPTION = (
    "Cohorts: the named sets of productions every share is a share of, each "
    "with its rule, the source of its list, its figures (the summary's: "
    "members, known, used, not_used, unknown, share and its 95% Wilson "
    "interval) and its member productions."
)


@extend_schema_view(
    list=extend_schema(
        summary="List cohorts", description=COHORTS_DESCRIPTION, tags=["cohorts"]
    ),
    retrieve=extend_schema(summary="One cohort, by slug", tags=["cohorts"]),
)
class CohortViewSet(JsonErrorsMixin, viewsets.ReadOnlyModelViewSet):
    __doc__ = COHORTS_DESCRIPTION
    # Read-only: staff edit cohorts in the admin or with import_cohort.
    http_method_names = ("get", "head", "options")
    # Figures and a member list have no sensible spreadsheet shape.
    renderer_classes = (ORJSONRenderer,)
    lookup_field = "slug"
    lookup_value_regex = RecordViewSet.lookup_value_regex
    queryset = cohort_list()
    serializer_class = serializers.CohortSerializer
    filterset_class = filters.CohortFilter


def summary_data() -> dict:
    """The summary, cached whole under the data version (tracker.caching),
    so any write to tracker data recomputes it."""
    return SUMMARY.get_or_compute(case_summary)


class SummaryView(APIView):
    """The figures the campaign quotes, computed over the whole tracker."""

    # Nested figures have no sensible spreadsheet shape: JSON only.
    renderer_classes = (ORJSONRenderer,)

    @extend_schema(
        summary="The case in figures",
        description="Share of productions with an IC by year and by network "
        "or studio (unknowns counted apart, never in the denominator), IC "
        "award mentions by award body and year, statements by stance, "
        "campaigns by award body and the precedents.",
        responses=serializers.SummarySerializer,
        tags=["summary"],
    )
    def get(self, request):
        return Response(summary_data())


# --- The front door ------------------------------------------------------------


class ApiRootView(APIView):
    """Every resource of the API, with where to read it and its
    documentation."""

    renderer_classes = (ORJSONRenderer,)
    # The resources, in the order the router registers them (urls.py).
    resources: tuple[tuple[str, str], ...] = ()

    @extend_schema(
        summary="Every resource, by name",
        responses={200: serializers.ApiRootSerializer},
        tags=["api"],
    )
    def get(self, request):
        absolute = request.build_absolute_uri
        return Response(
            {
                "resources": {
                    name: absolute(reverse(f"{basename}-list"))
                    for name, basename in self.resources
                },
                "summary": absolute(reverse("api-summary")),
                "schema": absolute(reverse("api-schema")),
                "docs": absolute(reverse("api-docs")),
                "redoc": absolute(reverse("api-redoc")),
            }
        )


# What the documentation pages need beyond the site-wide policy, added to
# these two responses only (the policy of every other page is unchanged):
# Swagger UI's and ReDoc's stylesheets draw their icons as data: images.
DOCS_IMAGES = {"img-src": ["data:"]}
# ReDoc (the pinned drf-spectacular-sidecar build) inserts two <style>
# elements when its bundle loads, before it can be given a nonce: allowed
# by their hashes (the empty one and perfect-scrollbar's; a new sidecar
# build that changes them fails tests/browser/test_api_docs.py). Later
# styles carry this response's nonce. Its search index runs in a worker
# made from a blob: URL. (Its sidebar's logo from Redocly's CDN is replaced
# in static/api/redoc-init.js rather than allowed.)
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # pragma: allowlist secret
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # pragma: allowlist secret
]
REDOC_POLICY = {
    "style-src": [NONCE, *REDOC_STYLE_HASHES],
    "img-src": ["data:"],
    "worker-src": ["'self'", "blob:"],
}


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated one request at a time per process:
    drf-spectacular keeps generation state in module globals, so two first
    requests at once in a threaded server can fail with a 500
    (tfranzel/drf-spectacular#1123, #1368)."""

    generation = threading.Lock()

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with self.generation:
            return super().get(request, *args, **kwargs)


@method_decorator(csp_update(DOCS_IMAGES), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's CSP: its init code is served apart (the
    split view's ?script) and its page has no inline style."""

    template_name = "api/swagger_ui.html"


@method_decorator(csp_update(REDOC_POLICY), name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc under the site's CSP: the init code is a static file, and the
    styles ReDoc injects carry a nonce that this page alone allows."""

    template_name = "api/redoc.html"
