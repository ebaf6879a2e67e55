"""Changes to inline rows (citations, credits) shown on their parent's
history page, each with its diff, and the "recent changes" page's reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.contenttypes.admin import GenericInlineModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import _get_foreign_key
from simple_history.models import HistoricalChanges


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One historical record with what changed since the one before it."""

    label: str
    record: HistoricalChanges
    changes: list[Change] = field(default_factory=list)
    title: str = ""


def _label(value, names: dict) -> str:
    if value is None or value == "":
        return "-"
    return names.get(value, str(value))


def entries_with_diffs(model, records, label: str) -> list[HistoryEntry]:
    """Diffs of consecutive records of each row, computed in Python from
    records fetched once (prev_record would cost a query per record).
    Foreign keys are named through one query per related model."""
    records = list(records)
    by_row: dict = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_row.setdefault(record.id, []).append(record)
    pairs = []
    for rows in by_row.values():
        previous = None
        for record in rows:
            pairs.append((record, previous))
            previous = record
    fk_ids: dict = {}
    fks = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not ContentType
    ]
    for record in records:
        for f in fks:
            value = getattr(record, f.attname)
            if value is not None:
                fk_ids.setdefault(f.related_model, set()).add(value)
    deltas = {}
    for record, previous in pairs:
        if previous is None:
            continue
        delta = record.diff_against(previous, foreign_keys_are_objs=False)
        deltas[record.history_id] = delta.changes
        for change in delta.changes:
            target = _fk_model(model, change.field)
            if target is not None:
                fk_ids.setdefault(target, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    names = {
        target: {
            pk: str(obj) for pk, obj in target._default_manager.in_bulk(ids).items()
        }
        for target, ids in fk_ids.items()
    }
    entries = []
    for record, previous in pairs:
        changes = []
        for change in deltas.get(record.history_id, []):
            target = _fk_model(model, change.field)
            lookup = names.get(target, {}) if target else {}
            changes.append(
                Change(
                    str(model._meta.get_field(change.field).verbose_name),
                    _label(change.old, lookup),
                    _label(change.new, lookup),
                )
            )
        if previous is None and record.history_type == "+":
            changes = [Change("", "", "added")]
        elif record.history_type == "-":
            changes = [Change("", "", "removed")]
        parts = [
            names.get(f.related_model, {}).get(getattr(record, f.attname), "")
            for f in fks
        ]
        role = getattr(record, "role", "")
        title = " - ".join(p for p in [*parts, role] if p)
        entries.append(HistoryEntry(label, record, changes, title))
    entries.sort(
        key=lambda e: (e.record.history_date, e.record.history_id), reverse=True
    )
    return entries


def _fk_model(model, name: str):
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return f.related_model if isinstance(f, models.ForeignKey) else None


def inline_history(model_admin, object_id) -> list[HistoryEntry]:
    """The history of every inline row of one record, newest first."""
    parent = model_admin.model
    entries = []
    for inline_class in model_admin.inlines:
        inline_model = inline_class.model
        history = getattr(inline_model, "history", None)
        if history is None:
            continue
        label = str(inline_model._meta.verbose_name)
        if issubclass(inline_class, GenericInlineModelAdmin):
            content_type = ContentType.objects.get_for_model(parent)
            records = history.filter(
                **{
                    inline_class.ct_field: content_type,
                    inline_class.ct_fk_field: object_id,
                }
            )
        elif issubclass(inline_class, InlineModelAdmin):
            fk = _get_foreign_key(parent, inline_model, inline_class.fk_name)
            records = history.filter(**{fk.attname: object_id})
        else:
            continue
        records = records.select_related("history_user")
        entries += entries_with_diffs(inline_model, records, label)
    entries.sort(
        key=lambda e: (e.record.history_date, e.record.history_id), reverse=True
    )
    return entries
