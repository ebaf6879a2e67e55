"""Frictionless table schemas for a resource, derived from the API
serializer's declared fields: the CSV flattens nested values to text (as
the API's CSV does), the JSON keeps them as arrays and objects."""

from rest_framework import serializers as drf

from tracker.api.serializers import CitationSerializer

from .resources import Resource

CSV = "csv"
JSON = "json"


def _nested(field: drf.Field) -> str | None:
    """'array' or 'object' for a field whose JSON value is nested."""
    if isinstance(field, drf.ListSerializer | drf.ListField | drf.ManyRelatedField):
        return "array"
    if isinstance(field, drf.JSONField):
        # The only JSON model fields in the read shapes are alias lists.
        return "array"
    if isinstance(field, drf.Serializer):
        return "object"
    return None


def _scalar(field: drf.Field) -> dict:
    if isinstance(field, drf.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, drf.IntegerField):
        return {"type": "integer"}
    if isinstance(field, drf.DecimalField | drf.FloatField):
        return {"type": "number"}
    if isinstance(field, drf.DateTimeField):
        return {"type": "datetime"}
    if isinstance(field, drf.DateField):
        return {"type": "date"}
    spec: dict = {"type": "string"}
    if isinstance(field, drf.ChoiceField):
        spec["constraints"] = {"enum": [str(value) for value in field.choices]}
    return spec


def _description(field: drf.Field, nested: str | None, fmt: str) -> str:
    text = str(field.help_text or field.label or "").strip()
    if nested and fmt == CSV:
        how = "'; '-separated" if nested == "array" else "its slug"
        if isinstance(getattr(field, "child", None), CitationSerializer):
            how = "one citation per line, as stance | quote | url"
        text = f"{text} (in CSV: {how}; the JSON file has the full value)".strip()
    return text


def field_descriptor(name: str, field: drf.Field, fmt: str) -> dict:
    nested = _nested(field)
    if nested:
        spec = {"type": "string"} if fmt == CSV else {"type": nested}
    else:
        spec = _scalar(field)
    descriptor = {"name": name, **spec}
    description = _description(field, nested, fmt)
    if description:
        descriptor["description"] = description
    if name == "slug":
        descriptor["constraints"] = {"required": True, "unique": True}
    return descriptor


def table_schema(resource: Resource, fmt: str) -> dict:
    return {
        "fields": [
            field_descriptor(name, field, fmt)
            for name, field in resource.fields.items()
        ],
        "primaryKey": ["slug"],
    }
