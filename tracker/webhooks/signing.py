"""The signature a receiver checks: HMAC-SHA256 over the timestamp and the
exact body, in the style of Stripe's, so a receiver can refuse an altered
payload, or a replayed one by its age. docs/open-data.md shows the check."""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Tracker-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
