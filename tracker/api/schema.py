"""The OpenAPI schema says what the API really answers: reads are open to
anyone, and every error a client can cause is documented with its body,
so a generated client (or a fuzzer) is never surprised by a status."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, relations, serializers

from .permissions import StaffModelPermissions

# Errors are always JSON, even when CSV was asked for (JsonErrorsMixin).
ERROR_MEDIA_TYPES = ("application/json",)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


ERROR = OpenApiResponse(ErrorSerializer)
FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Each offending parameter or field, with what is wrong with it.",
)

# Status -> (body, description). Which apply depends on the operation.
ERRORS = {
    # Filters and writes name each bad field; the request guards answer
    # {"detail": ...}, which is an object too.
    "400": FIELD_ERRORS,
    "401": OpenApiResponse(
        ErrorSerializer,
        description="The Authorization header is malformed, or "
        "the token unknown or revoked; a write without a token.",
    ),
    "403": OpenApiResponse(
        ErrorSerializer, description="The user lacks the permission to write."
    ),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such record, a page past the last, or an unknown format.",
    ),
    "406": OpenApiResponse(
        ErrorSerializer, description="The Accept header names no format served."
    ),
    "409": OpenApiResponse(
        ErrorSerializer, description="Other records still refer to this one."
    ),
    "414": OpenApiResponse(
        ErrorSerializer, description="The query string is too long."
    ),
    "415": OpenApiResponse(ErrorSerializer, description="The body is not JSON."),
    "429": OpenApiResponse(
        ErrorSerializer, description="Too many requests from this address."
    ),
}


# Django's slug alphabet, anchored: what a related record's slug looks like.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"
# Four labels of at most 46 characters and a top-level domain keep a host
# under the 253 characters DNS (and Django) allow.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,44}[A-Za-z0-9])?"
URL_PATTERN = rf"https?://(?:{_LABEL}\.){{1,4}}[A-Za-z]{{2,63}}(?:[/?#]\S*)?"


def _decimal_pattern(field: serializers.DecimalField) -> str | None:
    # drf-spectacular's pattern lets "", "-" and "." through, which DRF
    # refuses; at least one digit before the point is what it accepts.
    if field.max_digits is None or field.decimal_places is None:
        return None
    whole = field.max_digits - field.decimal_places
    return rf"^-?\d{{1,{whole}}}(?:\.\d{{1,{field.decimal_places}}})?$"


class TrackerAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict):
            return schema
        # What the write serializers refuse, said in the schema, so a
        # client learns it before the 400.
        if isinstance(field, relations.SlugRelatedField):
            # DRF reads "" as null for a relation: allowed where null is.
            schema["pattern"] = SLUG_OR_EMPTY if field.allow_null else SLUG_PATTERN
        elif isinstance(field, relations.ManyRelatedField):
            if not field.allow_empty:
                schema["minItems"] = 1
            if isinstance(field.child_relation, relations.SlugRelatedField):
                schema.setdefault("items", {})["pattern"] = SLUG_PATTERN
        elif isinstance(field, serializers.ListSerializer) and not field.allow_empty:
            schema["minItems"] = 1
        elif isinstance(field, serializers.URLField):
            # Django's URLValidator is stricter than RFC 3986's "uri" (a
            # top-level domain, a host of at most 253 characters): this
            # pattern is a subset it always accepts.
            # (spectacular adds the "or empty" alternative for blank=True.)
            schema["pattern"] = rf"^{URL_PATTERN}$"
        elif isinstance(field, serializers.DecimalField):
            pattern = _decimal_pattern(field)
            if pattern and schema.get("type") == "string":
                schema["pattern"] = pattern
        return schema

    def get_auth(self):
        auths = super().get_auth()
        # StaffModelPermissions lets anyone read; drf-spectacular only knows
        # this of AllowAny and IsAuthenticatedOrReadOnly.
        reads_open = any(
            isinstance(permission, StaffModelPermissions)
            for permission in self.view.get_permissions()
        )
        if reads_open and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _error_codes(self) -> tuple[str, ...]:
        # Any request: a query string the guards refuse (400, 414), a bad
        # token, an unknown format (404), an Accept header no renderer
        # serves, throttling.
        codes = {"400", "401", "404", "406", "414", "429"}
        if self.method not in permissions.SAFE_METHODS:
            codes.add("403")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.add("415")
        if self.method == "DELETE":
            codes.add("409")
        return tuple(sorted(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ERRORS[code], code, ERROR_MEDIA_TYPES, direction
                )
        return responses


# What drf-spectacular generates itself, and so cannot take a help_text:
# the pagination envelope and the path and format parameters.
PAGE_FIELDS = {
    "count": "How many records match the filters, on every page together.",
    "next": "The URL of the next page; null on the last one.",
    "previous": "The URL of the previous page; null on the first one.",
    "results": "This page's records.",
}
PARAMETERS = {
    "format": "json (the default) or csv: the same records as a spreadsheet.",
    "slug": "The record's slug, as in its public URL.",
    "id": "The article's number.",
}


# DRF strips surrounding white space from text before checking it is not
# blank, so a required text is one with a character other than white space.
NOT_ONLY_WHITESPACE = r"\S"


def describe_generated_parts(result, generator, request, public):
    """A postprocessing hook: every field and parameter is described, and
    a text that must not be blank says so as a pattern."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for schema in component.get("properties", {}).values():
            if (
                schema.get("type") == "string"
                and schema.get("minLength", 0) >= 1
                and "pattern" not in schema
                and "format" not in schema
                and "enum" not in schema
            ):
                schema["pattern"] = NOT_ONLY_WHITESPACE
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.startswith("Paginated"):
            continue
        for field, schema in component.get("properties", {}).items():
            if field in PAGE_FIELDS and not schema.get("description"):
                schema["description"] = PAGE_FIELDS[field]
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in PARAMETERS:
                    parameter["description"] = PARAMETERS[parameter["name"]]
    return result
