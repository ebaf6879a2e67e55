"""What a backup holds and how a row is written: the models backed up,
each row's canonical line, and the checksum over them, shared by the
export and the restore so both compute the same figures."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from importlib import metadata
from itertools import islice

import orjson
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers import python as python_serializer
from django.db import (
    DEFAULT_DB_ALIAS,
    connections,
    models,
)
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from tqdm import tqdm

FORMAT_NAME = "tracker-backup"
FORMAT_VERSION = 1
CHUNK_SIZE = 2000

# Created by `migrate` in every database; rows point at them by natural key.
MIGRATE_OWNED = (ContentType, Permission)

# Left out on purpose; everything else in the database is backed up.
EXCLUDED = {
    # Content types and permissions: recreated by `migrate` (see above).
    "contenttypes.contenttype",
    "auth.permission",
    # Sessions: a restored session would log someone back in, and a leaked
    # backup would carry live logins; they are void under a new SECRET_KEY.
    "sessions.session",
    # Celery results: task outcomes that celery's backend_cleanup deletes
    # after a day; nothing in the tracker reads them back.
    "django_celery_results.taskresult",
    "django_celery_results.groupresult",
    "django_celery_results.chordcounter",
    # Axes lockout counters: they expire after the cool-off hour, and a
    # restore must not lock staff out. Axes' access logs, the audit trail of
    # logins, are kept.
    "axes.accessattempt",
    "axes.accessattemptexpiration",
}

# Accounts: who may log in, with what rights, and the keys to the API. A
# backup holds them, but a restore brings them back only when asked for by
# name (`import_data --include users --include tokens`): a file, even a
# signed one, must not hand out logins by default. Each part names the
# models it restores.
ACCOUNT_PARTS = {
    # Users with their password hashes and permissions, groups with theirs,
    # and the admin's action log, each row of which belongs to a user.
    "users": ("auth.user", "auth.group", "admin.logentry"),
    # API tokens (hashed), each of which belongs to a user of the backup.
    "tokens": ("tracker.apitoken",),
}

# `migrate` seeds the periodic jobs (tracker 0003_schedules), so these
# tables are not empty in a fresh database: a restore replaces them with the backup's
# schedule, which may have been edited by staff, rather than refusing.
SEEDED_BY_MIGRATE = frozenset(
    {
        "django_celery_beat.intervalschedule",
        "django_celery_beat.periodictask",
        "django_celery_beat.periodictasks",
        "django_celery_beat.crontabschedule",
        "django_celery_beat.solarschedule",
        "django_celery_beat.clockedschedule",
    }
)

# Named in the header so a restore on other code can be judged.
VERSIONED_DISTRIBUTIONS = (
    "Django",
    "django-simple-history",
    "django-celery-beat",
    "django-axes",
    "psycopg",
)


class BackupError(Exception):
    """A backup cannot be written or a restore is refused; nothing changed."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, or what a database holds, in the same terms."""

    counts: dict[str, int]
    checksum: str
    model_checksums: dict[str, str] = dataclass_field(
        default_factory=dict, compare=False
    )
    # After a restore: the models it left as they were (ACCOUNT_PARTS not
    # asked for), and how many references to accounts it cleared.
    left_out: tuple[str, ...] = dataclass_field(default=(), compare=False)
    references_cleared: int = dataclass_field(default=0, compare=False)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def restored_total(self) -> int:
        return sum(
            count for label, count in self.counts.items() if label not in self.left_out
        )


def backup_models() -> list[type[models.Model]]:
    """Every model whose rows go into a backup, in a stable order.

    Auto-created many-to-many tables travel inside their owner's rows;
    proxies and unmanaged models have no table of their own.
    """
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.label_lower not in EXCLUDED
            and model._meta.managed
            and not model._meta.proxy
        ),
        key=lambda model: model._meta.label_lower,
    )


# --- Canonical rows and the checksum -----------------------------------------


def _encode_default(value):
    # orjson writes datetimes with their microseconds (Django's JSON encoder
    # would cut them to milliseconds); Decimals go as text to stay exact.
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Cannot back up a value of type {type(value).__name__}")


def canonical_line(row: dict) -> bytes:
    return orjson.dumps(row, default=_encode_default, option=orjson.OPT_SORT_KEYS)


def canonical_row(row: dict, m2m_names: Iterable[str]) -> dict:
    # The database returns many-to-many rows in no promised order.
    for name in m2m_names:
        row["fields"][name] = sorted(
            row["fields"][name], key=lambda item: orjson.dumps(item)
        )
    return row


class Checksum:
    """A SHA-256 per model over its canonical rows in primary-key order,
    combined over the models sorted by label, so the checksum does not
    depend on the order models are written in."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._digests: dict[str, hashlib._Hash] = {}

    def add(self, label: str, line: bytes) -> None:
        if label not in self._digests:
            self._digests[label] = hashlib.sha256()
            self.counts[label] = 0
        self._digests[label].update(line + b"\n")
        self.counts[label] += 1

    def summary(self, labels: Iterable[str] = ()) -> BackupSummary:
        for label in labels:
            self.counts.setdefault(label, 0)
            self._digests.setdefault(label, hashlib.sha256())
        model_checksums = {
            label: self._digests[label].hexdigest() for label in sorted(self.counts)
        }
        total = hashlib.sha256()
        for label, digest in model_checksums.items():
            total.update(f"{label} {self.counts[label]} {digest}\n".encode())
        return BackupSummary(
            counts={label: self.counts[label] for label in sorted(self.counts)},
            checksum=total.hexdigest(),
            model_checksums=model_checksums,
        )


class BackupSerializer(python_serializer.Serializer):
    """Django's serializer, with natural keys only for the rows `migrate`
    owns: everything else keeps its primary key."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in MIGRATE_OWNED
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in MIGRATE_OWNED
        super().handle_m2m_field(obj, field)


def m2m_fields(model) -> list:
    return [
        field
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def model_queryset(model, using: str) -> models.QuerySet:
    """Rows in primary-key order with what their natural keys need."""
    queryset = model._base_manager.using(using).order_by("pk")
    natural_fks = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.model in MIGRATE_OWNED
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    prefetches = []
    for field in m2m_fields(model):
        target = field.remote_field.model
        if target is Permission:
            prefetches.append(
                Prefetch(
                    field.name,
                    queryset=Permission.objects.select_related("content_type"),
                )
            )
        else:
            prefetches.append(
                Prefetch(field.name, queryset=target._base_manager.only("pk"))
            )
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return queryset


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def model_rows(model, using: str) -> Iterator[tuple[str, bytes]]:
    """(label, canonical line) for every row of one model, streamed."""
    serializer = BackupSerializer()
    m2m_names = [field.name for field in m2m_fields(model)]
    for chunk in chunks(
        model_queryset(model, using).iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE
    ):
        for row in serializer.serialize(chunk):
            yield row["model"], canonical_line(canonical_row(row, m2m_names))


def database_summary(
    *, using: str = DEFAULT_DB_ALIAS, labels: Iterable[str] | None = None
) -> BackupSummary:
    """Counts and checksum of what a backup of this database would hold
    (of the models named in `labels` only, when given)."""
    checksum = Checksum()
    models_ = backup_models()
    if labels is not None:
        models_ = [model for model in models_ if model._meta.label_lower in labels]
    for model in models_:
        for label, line in model_rows(model, using):
            checksum.add(label, line)
    return checksum.summary(model._meta.label_lower for model in models_)


# --- Versions ----------------------------------------------------------------


def versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in VERSIONED_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections[using])
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


# --- Progress -----------------------------------------------------------------


def progress_bar(total: int, enabled: bool, desc: str) -> tqdm:
    # tqdm writes to stderr; disable=None turns it off when that is no tty.
    return tqdm(total=total, desc=desc, unit="row", disable=None if enabled else True)
