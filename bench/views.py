"""The two peers the productions endpoint is measured against (row 1):
the limit, the same JSON built from `.values()` rows with orjson in a bare
view, and the naive DRF viewset a first draft would have."""

import orjson
from django.http import HttpResponse
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from tracker.choices import EVIDENCE_STRENGTH, IC_ROLES, EvidenceStrength, ICStatus
from tracker.models import Citation, Credit, Organization, Person, Production, Source

PAGE = 100


def _strength(status, evidence) -> str:
    if status == ICStatus.UNKNOWN or not evidence:
        return str(EvidenceStrength.NONE)
    return str(EVIDENCE_STRENGTH[evidence])


def _ref(slug, name):
    return None if slug is None else {"slug": slug, "name": name}


def productions_values(request):
    """The limit: one query per table, plain dicts, orjson."""
    size = min(int(request.GET.get("page_size", 25)), PAGE)
    rows = list(
        Production.objects.order_by(*Production._meta.ordering, "pk").values(
            "id",
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "aliases",
            "studio__slug",
            "studio__name",
            "network__slug",
            "network__name",
            "ic_status",
            "ic_evidence",
            "ic_notes",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
        )[:size]
    )
    ids = [row["id"] for row in rows]
    coordinators: dict[int, list] = {i: [] for i in ids}
    for credit in Credit.objects.filter(
        production_id__in=ids, role__in=IC_ROLES
    ).values("production_id", "role", "person__slug", "person__name"):
        coordinators[credit["production_id"]].append(
            {
                "slug": credit["person__slug"],
                "name": credit["person__name"],
                "role": credit["role"],
            }
        )
    citations: dict[int, list] = {i: [] for i in ids}
    for citation in (
        Citation.objects.filter(
            content_type=Production.content_type(), object_id__in=ids
        )
        .order_by("id")
        .values(
            "object_id",
            "stance",
            "quote",
            "locator",
            "source__slug",
            "source__url",
            "source__title",
            "source__publisher",
            "source__published_on",
        )
    ):
        published = citation["source__published_on"]
        citations[citation["object_id"]].append(
            {
                "source": citation["source__slug"],
                "url": citation["source__url"],
                "title": citation["source__title"],
                "publisher": citation["source__publisher"],
                "date": published.isoformat() if published else None,
                "stance": citation["stance"],
                "quote": citation["quote"],
                "locator": citation["locator"],
            }
        )
    results = [
        {
            "slug": row["slug"],
            "title": row["title"],
            "kind": row["kind"],
            "start_year": row["start_year"],
            "end_year": row["end_year"],
            "aliases": row["aliases"],
            "studio": _ref(row["studio__slug"], row["studio__name"]),
            "network": _ref(row["network__slug"], row["network__name"]),
            "ic_status": row["ic_status"],
            "ic_evidence": row["ic_evidence"],
            "ic_evidence_strength": _strength(row["ic_status"], row["ic_evidence"]),
            "ic_notes": row["ic_notes"],
            "coordinators": coordinators[row["id"]],
            "imdb_id": row["imdb_id"],
            "wikidata_qid": row["wikidata_qid"],
            "tmdb_id": row["tmdb_id"],
            "citations": citations[row["id"]],
        }
        for row in rows
    ]
    body = {
        "count": Production.objects.count(),
        "next": None,
        "previous": None,
        "results": results,
    }
    return HttpResponse(orjson.dumps(body), content_type="application/json")


class NaiveOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ("slug", "name")


class NaivePersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ("slug", "name")


class NaiveSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ("slug", "url", "title", "publisher", "published_on")


class NaiveCitationSerializer(serializers.ModelSerializer):
    source = NaiveSourceSerializer()

    class Meta:
        model = Citation
        fields = ("source", "stance", "quote", "locator")


class NaiveProductionSerializer(serializers.ModelSerializer):
    studio = NaiveOrganizationSerializer(allow_null=True)
    network = NaiveOrganizationSerializer(allow_null=True)
    coordinators = NaivePersonSerializer(many=True, read_only=True)
    citations = NaiveCitationSerializer(many=True, read_only=True)

    class Meta:
        model = Production
        fields = (
            "slug",
            "title",
            "kind",
            "start_year",
            "end_year",
            "aliases",
            "studio",
            "network",
            "ic_status",
            "ic_evidence",
            "ic_evidence_strength",
            "ic_notes",
            "coordinators",
            "imdb_id",
            "wikidata_qid",
            "tmdb_id",
            "citations",
        )


class NaivePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = PAGE


class NaiveProductionViewSet(viewsets.ReadOnlyModelViewSet):
    """What the endpoint would be without query tuning: nested
    ModelSerializers over `Production.objects.all()`."""

    queryset = Production.objects.all()
    serializer_class = NaiveProductionSerializer
    pagination_class = NaivePagination
    renderer_classes = (JSONRenderer,)
    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = ()
    filter_backends = ()
