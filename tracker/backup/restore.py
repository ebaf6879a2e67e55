"""Restoring a backup: the whole file is checked before anything is
written, then loaded in one transaction and compared with its manifest.

Accounts (users, groups, the admin log, API tokens) are restored only when
asked for by name; otherwise the database's own accounts stay as they are,
and each reference the evidence makes to a user of the backup (who edited a
record, who reviewed a match) points at the account of the same username
here, or at no one."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import replace as replace_fields
from pathlib import Path

import orjson
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from .rows import (
    ACCOUNT_PARTS,
    CHUNK_SIZE,
    FORMAT_NAME,
    FORMAT_VERSION,
    SEEDED_BY_MIGRATE,
    BackupError,
    BackupSummary,
    Checksum,
    applied_migrations,
    backup_models,
    canonical_line,
    chunks,
    database_summary,
    m2m_fields,
    progress_bar,
)
from .signing import signature_check


@dataclass
class _CheckedFile:
    header: dict
    summary: BackupSummary
    # The backup's users, by primary key: what the evidence's references
    # to them are matched on when the users are not restored.
    usernames: dict[int, str]


def _left_out(include: Iterable[str]) -> tuple[str, ...]:
    """The models of the account parts not asked for, checked."""
    include = set(include)
    unknown = sorted(include - ACCOUNT_PARTS.keys())
    if unknown:
        raise BackupError(
            f"--include {unknown[0]}: there is no such part; the parts restored "
            f"only when named are {', '.join(ACCOUNT_PARTS)}."
        )
    if "tokens" in include and "users" not in include:
        raise BackupError(
            "--include tokens needs --include users too: each token belongs "
            "to a user of the backup, and would otherwise open the API to "
            "whichever account here has that user's id."
        )
    return tuple(
        label
        for part, labels in ACCOUNT_PARTS.items()
        if part not in include
        for label in labels
    )


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
    applied = applied_migrations(using)
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


def _check_file(path: Path, using: str, trust_unsigned: bool) -> _CheckedFile:
    """Read the whole file once and prove it whole before anything is written."""
    known = {model._meta.label_lower for model in backup_models()}
    checksum = Checksum()
    usernames: dict[int, str] = {}
    user_label = get_user_model()._meta.label_lower
    header = manifest = None
    header_line = b""
    for number, line in enumerate(_lines(path), start=1):
        if manifest is not None:
            raise BackupError(f"{path} is corrupt: data after the manifest.")
        record = _parse(line, number, path)
        if header is None:
            header, header_line = record, line.rstrip(b"\n")
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
            checksum.add(label, canonical_line(record))
            if label == user_label:
                usernames[record.get("pk")] = record.get("fields", {}).get(
                    get_user_model().USERNAME_FIELD
                )
    if header is None:
        raise BackupError(f"{path} is empty.")
    if manifest is None:
        raise BackupError(f"{path} is truncated: it has no manifest.")
    if not trust_unsigned:
        signature_check(header_line, manifest, path)
    summary = checksum.summary(manifest.get("counts", {}))
    if summary.counts != manifest.get("counts") or summary.checksum != manifest.get(
        "checksum"
    ):
        raise BackupError(
            f"{path} is corrupt: its rows do not match its manifest's checksum."
        )
    return _CheckedFile(header=header, summary=summary, usernames=usernames)


class _Relinker:
    """Rewrites the references rows make to models a restore leaves out.

    A reference to a user of the backup becomes one to this database's
    account of the same username, or none; any other reference into a
    left-out model becomes none. A reference that cannot be none refuses
    the restore (no such model exists today: the admin log, whose user is
    required, travels with the users)."""

    def __init__(self, left_out: Iterable[str], user_ids: dict[int, int]) -> None:
        self.left_out = set(left_out)
        self.user_ids = user_ids
        self.cleared = 0
        self._fields: dict[str, list] = {}
        self.user_model = get_user_model()

    def fields(self, label: str) -> list:
        if label not in self._fields:
            model = apps.get_model(label)
            self._fields[label] = [
                field
                for field in model._meta.concrete_fields
                if field.many_to_one
                and field.related_model._meta.label_lower in self.left_out
            ]
        return self._fields[label]

    def relink(self, record: dict) -> dict:
        for field in self.fields(record["model"]):
            value = record["fields"].get(field.name)
            if value is None:
                continue
            linked = None
            if field.related_model is self.user_model:
                linked = self.user_ids.get(value)
            if linked is None:
                if not field.null:
                    raise BackupError(
                        f"{record['model']}.{field.name} must point at a "
                        f"{field.related_model._meta.label_lower} row, and "
                        "this restore leaves those out; add the --include "
                        "that restores them."
                    )
                self.cleared += 1
            record["fields"][field.name] = linked
        return record


def _records(path: Path, relinker: _Relinker, loaded: Checksum) -> Iterator[dict]:
    """The rows to restore, as they will be written; `loaded` sums them, so
    the database can be compared with what was meant to be written."""
    lines = _lines(path)
    next(lines)  # the header
    for line in lines:
        record = orjson.loads(line)
        if "manifest" in record or record["model"] in relinker.left_out:
            continue
        record = relinker.relink(record)
        loaded.add(record["model"], canonical_line(record))
        yield record


def _user_ids(usernames: dict[int, str], using: str) -> dict[int, int]:
    """The backup's user ids mapped to this database's accounts of the
    same usernames."""
    user_model = get_user_model()
    here = dict(
        user_model._base_manager.using(using)
        .filter(**{f"{user_model.USERNAME_FIELD}__in": set(usernames.values())})
        .values_list(user_model.USERNAME_FIELD, "pk")
    )
    return {pk: here[name] for pk, name in usernames.items() if name in here}


def _non_empty_models(models_: Iterable, using: str) -> list[str]:
    return [
        model._meta.label_lower
        for model in models_
        if model._meta.label_lower not in SEEDED_BY_MIGRATE
        and model._base_manager.using(using).exists()
    ]


def _tables(models_: Iterable) -> list[str]:
    tables = []
    for model in models_:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table for field in m2m_fields(model)
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
    for chunk in chunks(objs, min(batch, 500)):
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


def _load(
    records: Iterable[dict], path: Path, using: str, advance: Callable[[int], object]
) -> None:
    loader = _Loader(using, advance)
    try:
        for deserialized in python_serializer.Deserializer(
            records, using=using, ignorenonexistent=False
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
    include: Iterable[str] = (),
    trust_unsigned: bool = False,
    progress: bool = False,
) -> BackupSummary:
    """Restore `path` into an empty database (or replace what it holds).

    The accounts (ACCOUNT_PARTS) are restored only when `include` names
    them; the database's own are otherwise left as they are. Refuses,
    writing nothing, unless the file is whole and of a known format and the
    database holds none of what is restored or `replace` is given. Returns
    what the database holds afterwards.
    """
    path = Path(path)
    left_out = _left_out(include)
    # Natural keys resolve through this cache; a flush or an earlier
    # restore in the same process may have renumbered the content types.
    ContentType.objects.clear_cache()
    checked = _check_file(path, using, trust_unsigned)
    models_ = [m for m in backup_models() if m._meta.label_lower not in left_out]
    restored_labels = [m._meta.label_lower for m in models_]
    connection = connections[using]
    with transaction.atomic(using=using):
        if not replace and (non_empty := _non_empty_models(models_, using)):
            named = ", ".join(non_empty[:5])
            if len(non_empty) > 5:
                named += f" and {len(non_empty) - 5} more"
            raise BackupError(
                f"The database is not empty (it holds rows of {named}); "
                "restore into a new database, or pass --replace to delete "
                "its data first."
            )
        empty_tokens = _tokens_of_replaced_users(left_out, using)
        # PostgreSQL refuses to TRUNCATE a table with deferred checks still
        # pending in the transaction; run them first.
        connection.check_constraints()
        # Nor will it truncate the users while the (empty) token table that
        # references them is left standing.
        _clear(models_ + empty_tokens, using)
        relinker = _Relinker(left_out, _user_ids(checked.usernames, using))
        loaded = Checksum()
        total = sum(checked.summary.counts.get(label, 0) for label in restored_labels)
        with progress_bar(total, progress, "import") as bar:
            _load(_records(path, relinker, loaded), path, using, bar.update)
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
        # What was meant to be written: the file's rows, as relinked (the
        # file itself was proved against its manifest above).
        expected = loaded.summary(restored_labels)
        restored = database_summary(using=using, labels=restored_labels)
        if restored != expected:
            differ = sorted(
                label
                for label in expected.model_checksums
                if expected.model_checksums[label]
                != restored.model_checksums.get(label)
            )
            raise BackupError(
                "The restored database differs from the backup in "
                f"{', '.join(differ) or 'its checksum'}; nothing was written."
            )
        # Raw inserts send no signals, so the cached pages learn of it here.
        transaction.on_commit(_caches_invalidate, using=using)
        held = database_summary(using=using) if left_out else restored
    return replace_fields(held, left_out=left_out, references_cleared=relinker.cleared)


def _tokens_of_replaced_users(left_out: tuple[str, ...], using: str) -> list:
    """The token models a restore keeps while it replaces the users they
    belong to; they must be empty, or each token would be left on a user id
    that now names someone else, or no one."""
    users_restored = not set(ACCOUNT_PARTS["users"]) & set(left_out)
    if not users_restored:
        return []
    kept = [
        apps.get_model(label) for label in ACCOUNT_PARTS["tokens"] if label in left_out
    ]
    if any(model._base_manager.using(using).exists() for model in kept):
        raise BackupError(
            "The database holds API tokens, and --include users replaces the "
            "accounts they belong to: add --include tokens to replace the "
            "tokens too, or revoke them first."
        )
    return kept
