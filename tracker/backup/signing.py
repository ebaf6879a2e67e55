"""The HMAC that proves a backup was written by someone holding the key.

The checksum alone proves a file whole, not who wrote it: anyone can edit
rows (add a superuser) and recompute it. The signature is an HMAC-SHA256,
keyed with BACKUP_SIGNING_KEY, over the header line and the manifest (whose
checksum covers every row). The key is its own setting rather than
SECRET_KEY, so rotating SECRET_KEY does not void every backup, and so a
backup can be checked where the site's secret is not held."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from .rows import BackupError, canonical_line


def _key() -> bytes:
    key = settings.TRACKER_BACKUP_SIGNING_KEY
    if not key:
        raise BackupError(
            "BACKUP_SIGNING_KEY is not set: backups are signed with it, and "
            "a restore checks the signature with the same key "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return key.encode()


def backup_signature(header_line: bytes, manifest: dict) -> str:
    """The signature of a backup with this header and manifest (the
    manifest without its own `signature`)."""
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    message = hashlib.sha256(header_line).hexdigest().encode() + b"\n"
    message += canonical_line(unsigned)
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def signature_check(header_line: bytes, manifest: dict, path) -> None:
    given = manifest.get("signature")
    if not given:
        raise BackupError(
            f"{path} is not signed, so who wrote it cannot be told; restore "
            "it only if you know where it came from, with --trust-unsigned."
        )
    if not hmac.compare_digest(str(given), backup_signature(header_line, manifest)):
        raise BackupError(
            f"{path} does not carry this deployment's signature: it was edited "
            "after it was written, or signed with another BACKUP_SIGNING_KEY. "
            "Restore it only if you know where it came from, with "
            "--trust-unsigned."
        )
