"""Back up the whole database to one file and restore it, losing nothing.

The file is gzip'd JSON lines: a header (format, version, the versions of
the code and the migrations that wrote it), then one line per row, grouped
by model, in Django's serialization format, then a manifest with the count
of rows per model, a checksum and a signature. Primary keys are kept as
they are, so every citation, history entry and foreign key still points at
the same row after a restore. Only content types and permissions are
written by natural key (`["tracker", "production"]`), because `migrate`
creates those rows itself and numbers them in whatever order it meets them.

The checksum covers a canonical serialization of every row (sorted keys,
sorted many-to-many lists, full microseconds), so the same data gives the
same checksum on SQLite and on PostgreSQL. A restore checks the file before
it writes anything, loads it in one transaction, then recomputes the
checksum from the database and rolls back unless it matches. Accounts
(users, groups, the admin log, API tokens: `rows.ACCOUNT_PARTS`) are
restored only when asked for by name.

One module per concern: `rows` (what is backed up, canonical rows, the
checksum), `signing` (the HMAC that proves who wrote the file), `export`
and `restore`.
"""

from .export import backup_export
from .restore import backup_import
from .rows import BackupError, BackupSummary, backup_models, database_summary

__all__ = (
    "BackupError",
    "BackupSummary",
    "backup_export",
    "backup_import",
    "backup_models",
    "database_summary",
)
