"""The admin site shaped for the job: the tracker's models first, in groups
(Evidence, Campaigns, News, Access), third-party models after them; an
index that opens on what waits for staff; and a page of recent changes
across the whole tracker."""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from tracker.http import client_ip

# Model names (lower case) of each group, in the order shown.
GROUPS = (
    (
        "Evidence",
        "evidence",
        (
            "production",
            "person",
            "organization",
            "source",
            "sourcesnapshot",
            "quotenotfound",
            "statement",
            "awardcategory",
            "awardoutcome",
            "awardmention",
            "policy",
            "industrystatistic",
            "cohort",
        ),
    ),
    ("Campaigns", "campaigns", ("campaign", "campaignmilestone")),
    (
        "News",
        "news",
        ("newsarticle", "lead", "articlematch", "ambiguousalias", "feed"),
    ),
    ("Webhooks", "webhooks", ("webhookendpoint", "webhookdelivery")),
    ("Access", "access", ("apitoken", "user", "group")),
)
ACCESS_APPS = ("auth",)


class TrackerAdminSite(admin.AdminSite):
    site_header = "Intimacy coordination awards tracker"
    site_title = "IC tracker admin"
    index_title = "Evidence for an intimacy coordination award"
    index_template = "tracker/admin/index.html"

    def get_app_list(self, request, app_label=None):
        app_dict = self._build_app_dict(request, app_label)
        if app_label:
            return super().get_app_list(request, app_label)
        ours = {}
        for label in ("tracker", *ACCESS_APPS):
            for model in app_dict.get(label, {}).get("models", []):
                ours[model["object_name"].lower()] = model
        grouped = []
        placed = set()
        for name, key, members in GROUPS:
            models = [ours[m] for m in members if m in ours]
            placed.update(m for m in members if m in ours)
            if models:
                grouped.append(
                    {
                        "name": name,
                        "app_label": key,
                        "app_url": models[0]["admin_url"].rsplit("/", 3)[0] + "/",
                        "has_module_perms": True,
                        "models": models,
                    }
                )
        # A tracker model no group names yet still shows, under Evidence's
        # neighbour "More".
        rest = [m for n, m in ours.items() if n not in placed]
        if rest:
            grouped.append(
                {
                    "name": "More",
                    "app_label": "more",
                    "app_url": rest[0]["admin_url"].rsplit("/", 3)[0] + "/",
                    "has_module_perms": True,
                    "models": sorted(rest, key=lambda m: m["name"]),
                }
            )
        others = sorted(
            (
                a
                for label, a in app_dict.items()
                if label not in ("tracker", *ACCESS_APPS)
            ),
            key=lambda a: a["name"].lower(),
        )
        for app in others:
            app["models"].sort(key=lambda m: m["name"])
        return grouped + others

    def get_urls(self):
        return [
            path(
                "recent-changes/",
                self.admin_view(self.recent_changes_view),
                name="recent_changes",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from tracker.selectors.review import CLAIM_MODELS, dashboard_get

        # Only the kinds of claim this user may open are counted and linked.
        claim_models = [
            model
            for model in CLAIM_MODELS
            if model in self._registry
            and self._registry[model].has_view_permission(request)
        ]
        extra_context = {
            **(extra_context or {}),
            "dashboard": dashboard_get(claim_models=claim_models),
            "recent": self.recent_for(request, limit=10),
        }
        return super().index(request, extra_context)

    def history_models(self, request):
        """Every registered model with a history that this user may view."""
        models = []
        for model, model_admin in self._registry.items():
            if hasattr(model, "history") and model_admin.has_view_permission(request):
                models.append(model)
        for name in ("Citation", "Credit"):
            model = apps.get_model("tracker", name)
            if request.user.has_perm(f"tracker.view_{model._meta.model_name}"):
                models.append(model)
        return models

    def recent_for(self, request, limit: int, user_id=None):
        from tracker.selectors.review import recent_changes

        return recent_changes(
            models=self.history_models(request), limit=limit, user_id=user_id
        )

    def recent_changes_view(self, request):
        user_id = request.GET.get("user", "")
        context = {
            **self.each_context(request),
            "title": "Recent changes",
            "changes": self.recent_for(
                request, limit=200, user_id=int(user_id) if user_id.isdigit() else None
            ),
        }
        return TemplateResponse(request, "tracker/admin/recent_changes.html", context)


def login_lockout(request, original_response=None, credentials=None):
    """The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE):
    the admin's own look, how long the lock lasts and how staff lift it.

    The lock is on the username and the address together, so the page names
    both: they are what an admin needs to unlock it.
    """
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Login locked",
        "username": get_client_username(request, credentials) or "",
        # Axes puts the address it counted on the request; the fallback is
        # the same rule.
        "address": getattr(request, "axes_ip_address", None) or client_ip(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return TemplateResponse(
        request,
        "tracker/admin/login_locked.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    ).render()
