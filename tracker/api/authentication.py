"""Token authentication for staff writes: `Authorization: Token <key>`."""

import hmac

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from tracker.models import ApiToken
from tracker.models.tokens import TOKEN_PREFIX_LENGTH, token_hash


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"token", b"bearer"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Give the token as 'Authorization: Token <key>'."
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Malformed token.") from error
        prefix = key.partition(".")[0]
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(prefix=prefix[:TOKEN_PREFIX_LENGTH])
            .first()
        )
        # compare_digest keeps the comparison time independent of the key.
        if token is None or not hmac.compare_digest(token.key_hash, token_hash(key)):
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Staff writes only: 'Token <key>', the key printed "
            "by `manage.py create_api_token USERNAME`.",
        }
