"""Writing a backup: one snapshot of the database, streamed to a gzip'd
file that appears under its name only once complete."""

from __future__ import annotations

import datetime as dt
import gzip
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
        try:
            with (
                gzip.open(partial, "wb") as out,
                progress_bar(total, progress, "export") as bar,
            ):
                out.write(canonical_line(header) + b"\n")
                for model in models_:
                    for label, line in model_rows(model, using):
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
                out.write(canonical_line(manifest) + b"\n")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    # Renamed only once complete, so a crash never leaves a file that looks
    # like a backup.
    partial.replace(path)
    return summary
