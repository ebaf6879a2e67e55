"""The API's FilterSets as a plain GET form for the index pages.

The filters themselves stay defined once, in tracker/api/filters.py; this
module only reads the query string the way a form sends it (empty fields
mean "any") and dresses each field for people: readable labels, "Any" as
the empty choice, a list of records to pick from where there are few."""

from django import forms
from django.http import QueryDict

from tracker.api.filters import StrictBooleanField

# Above this many records, a select would be a page of its own: the field
# takes the record's slug as typed text instead.
MAX_OPTIONS = 200
ANY = "Any"
LABELS = {
    "ic_status": "IC status",
    "ic_evidence": "IC evidence",
    "year_min": "On screen in or after",
    "year_max": "Started in or before",
    "body": "Award body",
    "is_intimacy_coordination": "Honours intimacy coordination",
    "published_after": "Published on or after",
    "published_before": "Published on or before",
    "ordering": "Sort by",
    "search": "Words",
}
NOT_FILTERS = ("page",)


def filter_data(params: QueryDict) -> QueryDict:
    """The query string without the empty fields a GET form always sends
    (the API refuses a blank filter; here it means "any") or the page."""
    data = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept and key not in NOT_FILTERS:
            data.setlist(key, kept)
    return data


def _record_choices(field: forms.ModelChoiceField) -> list | None:
    queryset = field.queryset
    model = queryset.model
    if model._meta.model_name == "awardcategory":
        queryset = queryset.select_related("award_body")
    records = list(queryset[: MAX_OPTIONS + 1])
    if len(records) > MAX_OPTIONS:
        return None
    return [("", ANY), *((r.slug, str(r)) for r in records)]


def dress(form: forms.Form) -> forms.Form:
    for name, field in form.fields.items():
        field.label = LABELS.get(name, name.replace("_", " ").capitalize())
        field.required = False
        if isinstance(field, forms.ModelChoiceField):
            choices = _record_choices(field)
            if choices is None:
                field.widget = forms.TextInput(attrs={"placeholder": "slug"})
            else:
                field.widget = forms.Select(choices=choices)
        elif isinstance(field, StrictBooleanField):
            field.widget = forms.Select(
                choices=[("", ANY), ("true", "Yes"), ("false", "No")]
            )
        elif isinstance(field, forms.ChoiceField):
            # django-filter's choice fields add their own empty choice
            # ("---------") as they are iterated; "Any" replaces it.
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = None
            field.choices = [("", ANY), *(c for c in field.choices if c[0] != "")]
        elif isinstance(field, forms.IntegerField):
            field.widget.attrs.update({"inputmode": "numeric"})
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        elif name == "search":
            field.widget = forms.TextInput(attrs={"type": "search"})
    return form
