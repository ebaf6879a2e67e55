"""API tokens: staff see who holds which and revoke them; the secret is
never shown (only its hash is stored), so tokens are created with
`manage.py create_api_token`."""

from django.contrib import admin

from tracker.models import ApiToken
from tracker.services.tokens import tokens_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "active")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    fields = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    @admin.display(boolean=True)
    def active(self, token):
        return token.is_active

    @admin.action(description="Revoke the selected tokens", permissions=("change",))
    def revoke(self, request, queryset):
        count = tokens_revoke(token_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} token(s) revoked.")
