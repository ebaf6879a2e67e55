"""Writing a backup: one snapshot of the database, streamed to a gzip'd
file that appears under its name only once complete."""

from __future__ import annotations

import datetime as dt
import gzip
import os
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .rows import (
    FORMAT_NAME,
    FORMAT_VERSION,
    BackupSummary,
    Checksum,
    applied_migrations,
    backup_models,
    canonical_line,
    model_rows,
    progress_bar,
    versions,
)
from .signing import backup_signature


def _private_file(path: Path):
    """`path` opened for writing with mode 0600 from its first byte: a backup
    holds password hashes and the audit trail."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # A leftover partial file keeps its old mode through O_CREAT.
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def backup_export(
    *, path: Path | str, using: str = DEFAULT_DB_ALIAS, progress: bool = False
) -> BackupSummary:
    """Write every backed-up row of the database to `path`."""
    path = Path(path)
    models_ = backup_models()
    connection = connections[using]
    checksum = Checksum()
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
            "versions": versions(),
            "migrations": applied_migrations(using),
        }
        header_line = canonical_line(header)
        # Checked before any row is read: no key, no backup.
        backup_signature(header_line, {})
        try:
            with (
                _private_file(partial) as raw,
                gzip.GzipFile(fileobj=raw, mode="wb") as out,
                progress_bar(total, progress, "export") as bar,
            ):
                out.write(header_line + b"\n")
                for model in models_:
                    for label, line in model_rows(model, using):
                        checksum.add(label, line)
                        out.write(line + b"\n")
                        bar.update()
                summary = checksum.summary(m._meta.label_lower for m in models_)
                manifest = {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "counts": summary.counts,
                    "checksum": summary.checksum,
                }
                manifest["signature"] = backup_signature(header_line, manifest)
                out.write(canonical_line({"manifest": manifest}) + b"\n")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    # Renamed only once complete, so a crash never leaves a file that looks
    # like a backup.
    partial.replace(path)
    return summary
