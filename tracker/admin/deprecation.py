"""Deprecating claims from their lists: an action with a page of its own
that asks for the reason and the date, as Django's delete_selected asks
for a confirmation, then deprecates each record through the service that
the API's writes share (`record_deprecate`).

Each record is deprecated in a transaction of its own, so one refusal
leaves the others deprecated; a record already deprecated is skipped and
named, never deprecated twice."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst

from tracker.models.sources import DEPRECATION_REASON_MESSAGE
from tracker.services.records import record_deprecate

TEMPLATE = "tracker/admin/deprecate_confirmation.html"
# Names listed in one message at most; the rest are counted.
NAMES_SHOWN = 10


class DeprecateForm(forms.Form):
    """Named as the model's fields, which an action's own POST fields
    (action, _selected_action, index, select_across) never are."""

    required_css_class = "required"  # the admin's bold label

    deprecation_reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        error_messages={"required": DEPRECATION_REASON_MESSAGE},
        help_text="Why they no longer stand, shown with each on its page, in "
        "the API and in the webhook, e.g. 'the studio withdrew the statement'.",
    )
    deprecated_on = forms.DateField(
        label="Deprecated on",
        required=False,
        initial=timezone.localdate,
        # The browser's own date picker: no script for the CSP to allow.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When they were found wrong; today if left empty.",
    )


def _names(records) -> str:
    shown = [f"“{record}”" for record in records[:NAMES_SHOWN]]
    if len(records) > NAMES_SHOWN:
        shown.append(f"and {len(records) - NAMES_SHOWN} more")
    return ", ".join(shown)


def _changelist_url(modeladmin, request) -> str:
    """The list the action was run from, with its filters."""
    opts = modeladmin.model._meta
    url = reverse(
        f"{modeladmin.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
    )
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _deprecate_one(modeladmin, request, record, reason, on):
    """Deprecate one record in a transaction of its own, its row locked so
    that two staff deprecating it at once do it once. Returns the record
    as it stands (None if deleted since) and whether this deprecated it:
    one deprecated already is left alone."""
    opts = modeladmin.model._meta
    with transaction.atomic():
        current = (
            modeladmin.model._default_manager.select_for_update()
            .filter(pk=record.pk)
            .first()
        )
        if current is None or current.deprecated_on is not None:
            return current, False
        # The history keeps who (the request's user) and why.
        current._change_reason = Truncator(f"Deprecated: {reason}").chars(100)
        record_deprecate(record=current, reason=reason, on=on)
        modeladmin.log_change(
            request,
            current,
            [
                {
                    "changed": {
                        "fields": [
                            str(capfirst(opts.get_field(name).verbose_name))
                            for name in ("deprecated_on", "deprecation_reason")
                        ]
                    }
                }
            ],
        )
    return current, True


def _deprecate(modeladmin, request, records, reason, on) -> None:
    opts = modeladmin.model._meta
    deprecated, skipped = [], []
    for record in records:
        try:
            current, done = _deprecate_one(modeladmin, request, record, reason, on)
        except ValidationError as exc:
            # The service refuses what the model's rules refuse (a quote no
            # longer in its source, say): said, never a server error.
            modeladmin.message_user(
                request,
                f"“{record}” was not deprecated: {' '.join(exc.messages)}",
                messages.ERROR,
            )
            continue
        if done:
            deprecated.append(current)
        elif current is not None:  # None: deleted since the list was shown
            skipped.append(current)
    if deprecated:
        count = len(deprecated)
        modeladmin.message_user(
            request,
            f"{count} {model_ngettext(opts, count)} deprecated: {_names(deprecated)}.",
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            "Not deprecated again: "
            + "; ".join(
                f"“{r}” already deprecated on {r.deprecated_on.isoformat()}"
                for r in skipped[:NAMES_SHOWN]
            )
            + (
                f"; and {len(skipped) - NAMES_SHOWN} more"
                if len(skipped) > NAMES_SHOWN
                else ""
            )
            + ". Change a reason on the record's own page.",
            messages.WARNING,
        )


@admin.action(description="Deprecate the selected claims…", permissions=("change",))
def deprecate_selected(modeladmin, request, queryset):
    """First the page listing the records with the form; once it is sent
    back (`post`) and valid, the deprecations, then the list again."""
    opts = modeladmin.model._meta
    records = list(queryset)
    form = DeprecateForm(request.POST if request.POST.get("post") else None)
    if form.is_valid():
        _deprecate(
            modeladmin,
            request,
            records,
            form.cleaned_data["deprecation_reason"],
            form.cleaned_data["deprecated_on"],
        )
        # None: the admin redirects to the list, which shows the messages.
        return None
    objects_name = model_ngettext(opts, len(records))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Deprecate {len(records)} {objects_name}",
        "subtitle": None,
        "objects_name": str(objects_name),
        "records": records,
        "current_count": sum(1 for r in records if r.deprecated_on is None),
        "form": form,
        "opts": opts,
        "action_name": "deprecate_selected",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": _changelist_url(modeladmin, request),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context)
