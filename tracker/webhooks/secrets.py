"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC with an
HMAC-SHA256 tag) under a key from the environment. Hashing would not do:
the tracker signs each payload with the secret itself."""

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SECRET_BYTES = 32


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted with the configured key."""


def _fernet() -> Fernet:
    key = settings.TRACKER_WEBHOOK_SECRET_KEY
    if key:
        return Fernet(key)
    # No key of its own: one derived from SECRET_KEY, for this purpose only.
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"ic-awards-tracker webhook secrets",
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(SECRET_BYTES)


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "The webhook secret cannot be decrypted: TRACKER_WEBHOOK_SECRET_KEY "
            "(or SECRET_KEY) changed since it was set. Set a new secret."
        ) from exc
