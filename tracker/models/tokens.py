"""API tokens for staff who write through the API. Only a hash of the
secret is stored, so a leaked database does not leak working tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX_LENGTH = 8


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What it is for.")
    # The visible start of the token: finds the row without a full scan and
    # lets staff recognise a token in the admin without seeing the secret.
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}... ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """Create a token; the returned key is shown once and never stored."""
        while True:
            prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
            if not cls.objects.filter(prefix=prefix).exists():
                break
        secret = secrets.token_urlsafe(32)
        key = f"{prefix}.{secret}"
        token = cls.objects.create(
            user=user, name=name, prefix=prefix, key_hash=token_hash(key)
        )
        return token, key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
