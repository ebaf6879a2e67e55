"""The public API. Other resources join by registering on `router`."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("productions", views.ProductionViewSet, basename="production")
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("sources", views.SourceViewSet, basename="source")
router.register(
    "award-categories", views.AwardCategoryViewSet, basename="award-category"
)
router.register("award-outcomes", views.AwardOutcomeViewSet, basename="award-outcome")
router.register("award-mentions", views.AwardMentionViewSet, basename="award-mention")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("stats", views.IndustryStatisticViewSet, basename="statistic")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("cohorts", views.CohortViewSet, basename="cohort")
router.register("news", views.NewsArticleViewSet, basename="news")

RESOURCES = tuple((prefix, basename) for prefix, _, basename in router.registry)

urlpatterns = [
    path(
        "v1/",
        views.ApiRootView.as_view(resources=RESOURCES),
        name="api-root",
    ),
    path("v1/summary/", views.SummaryView.as_view(), name="api-summary"),
    path("v1/", include(router.urls)),
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path(
        "docs/",
        views.SwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "docs/redoc/",
        views.RedocView.as_view(url_name="api-schema"),
        name="api-redoc",
    ),
]
