"""Back up the whole database to one file and restore it, losing nothing.

The file is gzip'd JSON lines: a header (format, version, the versions of
the code and the migrations that wrote it), then one line per row, grouped
by model, in Django's serialization format, then a manifest with the count
of rows per model and a checksum. Primary keys are kept as they are, so
every citation, history entry and foreign key still points at the same row
after a restore. Only content types and permissions are written by natural
key (`["tracker", "production"]`), because `migrate` creates those rows
itself and numbers them in whatever order it meets them.

The checksum covers a canonical serialization of every row (sorted keys,
sorted many-to-many lists, full microseconds), so the same data gives the
same checksum on SQLite and on PostgreSQL. A restore checks the file before
it writes anything, loads it in one transaction, then recomputes the
checksum from the database and rolls back unless it matches.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import platform
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from importlib import metadata
from itertools import islice
from pathlib import Path

import orjson
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.core.serializers.base import DeserializationError
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connections,
    models,
    transaction,
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

# `migrate` seeds the news schedule and the webhook retry sweep (tracker
# 0003 and 0006), so these tables are not
# empty in a fresh database: a restore replaces them with the backup's
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

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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


def _canonical_line(row: dict) -> bytes:
    return orjson.dumps(row, default=_encode_default, option=orjson.OPT_SORT_KEYS)


def _canonical_row(row: dict, m2m_names: Iterable[str]) -> dict:
    # The database returns many-to-many rows in no promised order.
    for name in m2m_names:
        row["fields"][name] = sorted(
            row["fields"][name], key=lambda item: orjson.dumps(item)
        )
    return row


class _Checksum:
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


class _Serializer(python_serializer.Serializer):
    """Django's serializer, with natural keys only for the rows `migrate`
    owns: everything else keeps its primary key."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in MIGRATE_OWNED
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in MIGRATE_OWNED
        super().handle_m2m_field(obj, field)


def _m2m_fields(model) -> list:
    return [
        field
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _queryset(model, using: str) -> models.QuerySet:
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
    for field in _m2m_fields(model):
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


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _rows(model, using: str) -> Iterator[tuple[str, bytes]]:
    """(label, canonical line) for every row of one model, streamed."""
    serializer = _Serializer()
    m2m_names = [field.name for field in _m2m_fields(model)]
    for chunk in _chunks(
        _queryset(model, using).iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE
    ):
        for row in serializer.serialize(chunk):
            yield row["model"], _canonical_line(_canonical_row(row, m2m_names))


def database_summary(
    *, using: str = DEFAULT_DB_ALIAS, labels: Iterable[str] | None = None
) -> BackupSummary:
    """Counts and checksum of what a backup of this database would hold
    (of the models named in `labels` only, when given)."""
    checksum = _Checksum()
    models_ = backup_models()
    if labels is not None:
        models_ = [model for model in models_ if model._meta.label_lower in labels]
    for model in models_:
        for label, line in _rows(model, using):
            checksum.add(label, line)
    return checksum.summary(model._meta.label_lower for model in models_)


# --- Versions ----------------------------------------------------------------


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in VERSIONED_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections[using])
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


# --- Export -------------------------------------------------------------------


def _progress(total: int, enabled: bool, desc: str) -> tqdm:
    # tqdm writes to stderr; disable=None turns it off when that is no tty.
    return tqdm(total=total, desc=desc, unit="row", disable=None if enabled else True)


def backup_export(
    *, path: Path | str, using: str = DEFAULT_DB_ALIAS, progress: bool = False
) -> BackupSummary:
    """Write every backed-up row of the database to `path`."""
    path = Path(path)
    models_ = backup_models()
    connection = connections[using]
    checksum = _Checksum()
    partial = path.with_name(f".{path.name}.partial")
    # One snapshot for the whole export, so a row written meanwhile cannot
    # leave a citation whose source was read before it existed. (Inside an
    # outer transaction the snapshot is already the caller's.)
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
        total = sum(model._base_manager.using(using).count() for model in models_)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC),
            "database": connection.vendor,
            "versions": _versions(),
            "migrations": _applied_migrations(using),
        }
        try:
            with (
                gzip.open(partial, "wb") as out,
                _progress(total, progress, "export") as bar,
            ):
                out.write(_canonical_line(header) + b"\n")
                for model in models_:
                    for label, line in _rows(model, using):
                        checksum.add(label, line)
                        out.write(line + b"\n")
                        bar.update()
                summary = checksum.summary(m._meta.label_lower for m in models_)
                manifest = {
                    "manifest": {
                        "format": FORMAT_NAME,
                        "version": FORMAT_VERSION,
                        "counts": summary.counts,
                        "checksum": summary.checksum,
                    }
                }
                out.write(_canonical_line(manifest) + b"\n")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    # Renamed only once complete, so a crash never leaves a file that looks
    # like a backup.
    partial.replace(path)
    return summary


# --- Import -------------------------------------------------------------------


@dataclass
class _CheckedFile:
    header: dict
    summary: BackupSummary


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with gzip.open(path, "rb") as stream:
            yield from stream
    except FileNotFoundError as error:
        raise BackupError(f"No backup at {path}.") from error
    except (OSError, EOFError, zlib.error) as error:
        # gzip's CRC and length check catch a truncated or damaged file.
        raise BackupError(
            f"{path} is corrupt or truncated: {error or type(error).__name__}."
        ) from error


def _parse(line: bytes, number: int, path: Path) -> dict:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise BackupError(f"{path} is corrupt: line {number} is not JSON.") from error
    if not isinstance(value, dict):
        raise BackupError(f"{path} is corrupt: line {number} is not a record.")
    return value


def _check_header(header: dict, path: Path, using: str) -> None:
    if header.get("format") != FORMAT_NAME:
        raise BackupError(f"{path} is not a tracker backup.")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format version {header.get('version')!r}; this "
            f"tracker reads version {FORMAT_VERSION} only."
        )
    applied = _applied_migrations(using)
    missing = sorted(
        f"{app}.{name}"
        for app, names in header.get("migrations", {}).items()
        for name in names
        if name not in applied.get(app, [])
    )
    if missing:
        raise BackupError(
            "The backup was written by a newer tracker: this database lacks "
            f"the migrations {', '.join(missing)}. Update the code and run "
            "`migrate` first."
        )


def _check_file(path: Path, using: str) -> _CheckedFile:
    """Read the whole file once and prove it whole before anything is written."""
    known = {model._meta.label_lower for model in backup_models()}
    checksum = _Checksum()
    header = manifest = None
    for number, line in enumerate(_lines(path), start=1):
        if manifest is not None:
            raise BackupError(f"{path} is corrupt: data after the manifest.")
        record = _parse(line, number, path)
        if header is None:
            header = record
            _check_header(header, path, using)
        elif "manifest" in record:
            manifest = record["manifest"]
        else:
            label = record.get("model")
            if label not in known:
                raise BackupError(
                    f"{path} line {number}: unknown model {label!r}; the backup "
                    "does not fit this tracker."
                )
            checksum.add(label, _canonical_line(record))
    if header is None:
        raise BackupError(f"{path} is empty.")
    if manifest is None:
        raise BackupError(f"{path} is truncated: it has no manifest.")
    summary = checksum.summary(manifest.get("counts", {}))
    if summary.counts != manifest.get("counts") or summary.checksum != manifest.get(
        "checksum"
    ):
        raise BackupError(
            f"{path} is corrupt: its rows do not match its manifest's checksum."
        )
    return _CheckedFile(header=header, summary=summary)


def _records(path: Path) -> Iterator[dict]:
    lines = _lines(path)
    next(lines)  # the header
    for line in lines:
        record = orjson.loads(line)
        if "manifest" not in record:
            yield record


def _non_empty_models(using: str) -> list[str]:
    return [
        model._meta.label_lower
        for model in backup_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATE
        and model._base_manager.using(using).exists()
    ]


def _tables(models_: Iterable) -> list[str]:
    tables = []
    for model in models_:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table for field in _m2m_fields(model)
        )
    return tables


def _clear(models_: list, using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sql_flush(
        no_style(), _tables(models_), reset_sequences=False
    )
    connection.ops.execute_sql_flush(statements)


def _insert(model, objs: list, using: str) -> None:
    """Insert rows as they are, in batches.

    `save()` and `bulk_create()` cannot restore faithfully: `bulk_create`
    stamps `auto_now` fields with the current time, and `save()` sends
    signals that write rows of their own (django-celery-beat's change
    marker, a history entry for every many-to-many `set()`). A raw insert,
    as `Model.save_base(raw=True)` does it, keeps every value and sends
    nothing.
    """
    if not objs:
        return
    fields = model._meta.concrete_fields
    manager = model._base_manager.using(using)
    batch = max(1, connections[using].ops.bulk_batch_size(fields, objs))
    for chunk in _chunks(objs, min(batch, 500)):
        manager._insert(chunk, fields=fields, using=using, raw=True)


class _Loader:
    """Collects deserialized rows of one model (and their many-to-many
    rows) and inserts them a batch at a time."""

    def __init__(self, using: str, advance: Callable[[int], object]) -> None:
        self.using = using
        self.advance = advance
        self.model = None
        self.objs: list = []
        self.links: dict = {}

    def add(self, deserialized) -> None:
        obj = deserialized.object
        if type(obj) is not self.model or len(self.objs) >= CHUNK_SIZE:
            self.flush()
            self.model = type(obj)
        self.objs.append(obj)
        for name, related_pks in (deserialized.m2m_data or {}).items():
            field = obj._meta.get_field(name)
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            self.links.setdefault(through, []).extend(
                through(**{source: obj.pk, target: pk}) for pk in related_pks
            )

    def flush(self) -> None:
        if self.model is not None:
            _insert(self.model, self.objs, self.using)
            self.advance(len(self.objs))
        # Through tables hold no auto_now field and no signal listens to
        # bulk_create, so it is faithful here.
        for through, rows in self.links.items():
            through._base_manager.using(self.using).bulk_create(rows, batch_size=500)
        self.objs, self.links = [], {}


def _load(path: Path, using: str, advance: Callable[[int], object]) -> None:
    loader = _Loader(using, advance)
    try:
        for deserialized in python_serializer.Deserializer(
            _records(path), using=using, ignorenonexistent=False
        ):
            loader.add(deserialized)
        loader.flush()
    except (DeserializationError, IntegrityError) as error:
        raise BackupError(f"{path} does not fit this database: {error}") from error


def _caches_invalidate() -> None:
    from tracker.caching import data_changed

    data_changed()


def backup_import(
    *,
    path: Path | str,
    using: str = DEFAULT_DB_ALIAS,
    replace: bool = False,
    progress: bool = False,
) -> BackupSummary:
    """Restore `path` into an empty database (or replace what it holds).

    Refuses, writing nothing, unless the file is whole and of a known
    format and the database is empty or `replace` is given.
    """
    path = Path(path)
    # Natural keys resolve through this cache; a flush or an earlier
    # restore in the same process may have renumbered the content types.
    ContentType.objects.clear_cache()
    checked = _check_file(path, using)
    models_ = backup_models()
    connection = connections[using]
    with transaction.atomic(using=using):
        if not replace and (non_empty := _non_empty_models(using)):
            named = ", ".join(non_empty[:5])
            if len(non_empty) > 5:
                named += f" and {len(non_empty) - 5} more"
            raise BackupError(
                f"The database is not empty (it holds rows of {named}); "
                "restore into a new database, or pass --replace to delete "
                "its data first."
            )
        # PostgreSQL refuses to TRUNCATE a table with deferred checks still
        # pending in the transaction; run them first.
        connection.check_constraints()
        _clear(models_, using)
        with _progress(checked.summary.total, progress, "import") as bar:
            _load(path, using, bar.update)
        # Foreign keys are deferred until commit; check them now so a
        # broken file fails here with a message, inside the transaction.
        try:
            connection.check_constraints(table_names=_tables(models_))
        except IntegrityError as error:
            raise BackupError(
                f"{path} does not fit together: {error}; nothing was written."
            ) from error
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(sql)
        restored = database_summary(using=using, labels=checked.summary.counts)
        if restored != checked.summary:
            differ = sorted(
                label
                for label in checked.summary.model_checksums
                if checked.summary.model_checksums[label]
                != restored.model_checksums.get(label)
            )
            raise BackupError(
                "The restored database differs from the backup in "
                f"{', '.join(differ) or 'its checksum'}; nothing was written."
            )
        # Raw inserts send no signals, so the cached pages learn of it here.
        transaction.on_commit(_caches_invalidate, using=using)
    return restored
