"""Viewsets of the public API: each wires a selector, a read serializer,
a write serializer and a FilterSet; the shared behaviour (writes through
services, CSV streaming, ETags) lives in RecordViewSet."""

import hashlib

from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import models
from tracker.selectors import records
from tracker.services.records import record_create, record_delete, record_update

from . import filters, serializers
from .renderers import csv_rows
from .summary import summary_data
from .summary_serializers import SummarySerializer

CSV_CHUNK = 500


class ConditionalMixin:
    """Strong ETags over the rendered body and 304 on If-None-Match; JSON
    errors even when CSV was asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        accepted = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and getattr(accepted, "format", "") == "csv":
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and hasattr(
            response, "add_post_render_callback"
        ):
            response.add_post_render_callback(
                lambda rendered: _conditional(request, rendered)
            )
        return response


def _conditional(request, response):
    if not 200 <= response.status_code < 300:
        return None
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not response else None


class RecordViewSet(ConditionalMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    # Django's slug alphabet: the schema states it, and anything else is a
    # 404 from the router instead of a query.
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ("get", "post", "put", "patch", "delete", "head", "options")
    selector = None
    write_serializer_class = None
    csv_name = "records"

    def get_queryset(self):
        return type(self).selector()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A write reads its body only: a query parameter on it is a
        # mistake the client should hear about, as reads refuse theirs.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            unknown = sorted(set(request.query_params) - {"format"})
            if unknown:
                raise ValidationError(
                    dict.fromkeys(
                        unknown, ["Unknown parameter: a write takes only format."]
                    )
                )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") == "csv":
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


def _resource(model, selector, serializer, filterset, name, description):
    """A RecordViewSet subclass, documented for the schema."""
    plural = model._meta.verbose_name_plural
    singular = model._meta.verbose_name
    viewset = type(
        f"{model.__name__}ViewSet",
        (RecordViewSet,),
        {
            "__doc__": description,
            "selector": staticmethod(selector),
            "serializer_class": serializer,
            "write_serializer_class": serializers.write_serializer_for(model),
            "filterset_class": filterset,
            "csv_name": name,
            "queryset": model.objects.none(),
        },
    )
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
            summary=f"Add a {singular} (staff with the permission)",
            responses={201: serializer},
            tags=[name],
        ),
        update=extend_schema(
            summary=f"Replace a {singular} (staff with the permission)",
            responses={200: serializer},
            tags=[name],
        ),
        partial_update=extend_schema(
            summary=f"Change a {singular} (staff with the permission)",
            responses={200: serializer},
            tags=[name],
        ),
        destroy=extend_schema(
            summary=f"Delete a {singular} (staff with the permission)", tags=[name]
        ),
    )(viewset)


ProductionViewSet = _resource(
    models.Production,
    records.production_list,
    serializers.ProductionSerializer,
    filters.ProductionFilter,
    "productions",
    "Films and series, whether they used an intimacy coordinator, who, and "
    "the evidence.",
)
PersonViewSet = _resource(
    models.Person,
    records.person_list,
    serializers.PersonSerializer,
    filters.PersonFilter,
    "people",
    "Coordinators, performers, directors and others, with their credits.",
)
OrganizationViewSet = _resource(
    models.Organization,
    records.organization_list,
    serializers.OrganizationSerializer,
    filters.OrganizationFilter,
    "organizations",
    "Studios, networks, award bodies, festivals, guilds and institutes.",
)
SourceViewSet = _resource(
    models.Source,
    records.source_list,
    serializers.SourceSerializer,
    filters.SourceFilter,
    "sources",
    "The articles, speeches and reports every claim cites.",
)
AwardCategoryViewSet = _resource(
    models.AwardCategory,
    records.award_category_list,
    serializers.AwardCategorySerializer,
    filters.AwardCategoryFilter,
    "award-categories",
    "Award categories: existing, newly introduced (the precedents) and "
    "proposed ones for intimacy coordination.",
)
AwardOutcomeViewSet = _resource(
    models.AwardOutcome,
    records.award_outcome_list,
    serializers.AwardOutcomeSerializer,
    filters.AwardOutcomeFilter,
    "award-outcomes",
    "Awards won or nominated for, by category and ceremony year.",
)
AwardMentionViewSet = _resource(
    models.AwardMention,
    records.award_mention_list,
    serializers.AwardMentionSerializer,
    filters.AwardMentionFilter,
    "award-mentions",
    "Intimacy coordinators named in an awards context: dedications, thanks, "
    "nominations and calls for a category.",
)
StatementViewSet = _resource(
    models.Statement,
    records.statement_list,
    serializers.StatementSerializer,
    filters.StatementFilter,
    "statements",
    "What people said for or against intimacy coordinators, and where.",
)
PolicyViewSet = _resource(
    models.Policy,
    records.policy_list,
    serializers.PolicySerializer,
    filters.PolicyFilter,
    "policies",
    "Policies on intimacy coordination, such as HBO's mandate.",
)
IndustryStatisticViewSet = _resource(
    models.IndustryStatistic,
    records.statistic_list,
    serializers.IndustryStatisticSerializer,
    filters.IndustryStatisticFilter,
    "stats",
    "Industry statistics, with their exact wording and sample.",
)
CampaignViewSet = _resource(
    models.Campaign,
    records.campaign_list,
    serializers.CampaignSerializer,
    filters.CampaignFilter,
    "campaigns",
    "The campaigns for an intimacy coordination award, with milestones and precedents.",
)


class SummaryView(ConditionalMixin, APIView):
    """The figures the campaign quotes, computed over the whole tracker."""

    # Nested figures have no sensible spreadsheet shape: JSON only.
    renderer_classes = (ORJSONRenderer,)

    @extend_schema(
        summary="The case in figures",
        description="Share of productions with an IC by year and by network "
        "or studio (unknowns counted apart, never in the denominator), IC "
        "award mentions by award body and year, statements by stance, "
        "campaigns by award body and the precedents.",
        responses=SummarySerializer,
        tags=["summary"],
    )
    def get(self, request):
        return Response(summary_data())
