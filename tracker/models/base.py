"""Building blocks shared by the tracker's models."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router
from django.utils.text import slugify

from tracker.choices import DatePrecision

# The first commercial film screenings were in 1888; nothing the tracker
# covers can predate them, and a year past 2100 is a typing error.
EARLIEST_YEAR = 1888
LATEST_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]


def year_in_range(field: str) -> models.Q:
    """A Q object for a CheckConstraint keeping a nullable year plausible."""
    return models.Q(**{f"{field}__isnull": True}) | models.Q(
        **{f"{field}__gte": EARLIEST_YEAR, f"{field}__lte": LATEST_YEAR}
    )


# How each precision shows a date to a reader and to a machine (a <time>
# attribute): no more precise than it is known, since a year-precision date
# is stored as 1 January and must not read as that day.
_DATE_FORMATS = {
    DatePrecision.YEAR: ("%Y", "%Y"),
    DatePrecision.MONTH: ("%B %Y", "%Y-%m"),
    DatePrecision.DAY: ("%-d %B %Y", "%Y-%m-%d"),
}


def date_display(date, precision: str) -> str:
    """A date as precisely as it is known: "2021", "October 2018" or
    "6 June 2021"."""
    if date is None:
        return "undated"
    return date.strftime(_DATE_FORMATS.get(precision, _DATE_FORMATS["day"])[0])


def date_machine(date, precision: str) -> str:
    """The same date for a <time datetime> attribute: "2021", "2018-10"
    or "2021-06-06"."""
    if date is None:
        return ""
    return date.strftime(_DATE_FORMATS.get(precision, _DATE_FORMATS["day"])[1])


class AliasListFormField(forms.CharField):
    """Aliases edited as one per line, stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            lines = value
        else:
            lines = (super().to_python(value) or "").splitlines()
        seen, aliases = set(), []
        for line in (item.strip() for item in lines):
            if line and line.casefold() not in seen:
                seen.add(line.casefold())
                aliases.append(line)
        return aliases


def validate_aliases(value):
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise ValidationError("Aliases must be a list of non-empty names.")


class AliasListField(models.JSONField):
    """Other names a person, production or organization goes by: the news
    matcher looks for each of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_aliases])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return models.Field.formfield(
            self, form_class=AliasListFormField, required=False, **kwargs
        )


class FieldNamedConstraintsMixin:
    """A broken constraint is reported against the field it is about, in
    words, never as `{"__all__": ["Constraint “name” is violated."]}`
    with the constraint's internal name. `constraint_errors` maps each
    check constraint (and unique constraint over several fields) to
    `(field, message)`; tests/test_models.py checks none is missing."""

    constraint_errors: dict[str, tuple[str, str]] = {}

    def validate_constraints(self, exclude=None):
        # Django's own loop (Model.validate_constraints), which puts every
        # error but a one-field unique one under NON_FIELD_ERRORS.
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self._constraint_field(constraint, error)
                    if field is None:
                        errors = error.update_error_dict(errors)
                        continue
                    if constraint.name in self.constraint_errors:
                        error = ValidationError(
                            self.constraint_errors[constraint.name][1],
                            code=error.code,
                        )
                    errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)

    def _constraint_field(self, constraint, error) -> str | None:
        if constraint.name in self.constraint_errors:
            return self.constraint_errors[constraint.name][0]
        fields = getattr(constraint, "fields", ())
        if getattr(error, "code", None) == "unique" and len(fields) == 1:
            return fields[0]
        return None


class TimeStampedModel(FieldNamedConstraintsMixin, models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SluggedModel(TimeStampedModel):
    """A record with a public URL. The slug is derived from `slug_source`
    once and then kept, so shared links never break when a name is fixed."""

    slug_source = "name"
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Used in public URLs; derived from the name when left empty.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(str(getattr(self, self.slug_source)))[:100] or "record"
        manager = type(self)._default_manager
        slug, n = base, 2
        while manager.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class DatedMixin(models.Model):
    """When something was said or happened, as precisely as the source says."""

    date = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="For a month or a year only, enter its first day and set "
        "the precision.",
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date is known: day, month or year.",
    )

    class Meta:
        abstract = True

    @property
    def date_display(self) -> str:
        return date_display(self.date, self.date_precision)
