from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import archive, data, feeds, records, views
from .sitemaps import SITEMAPS

app_name = "web"

urlpatterns = [
    path("", views.case, name="case"),
    path("methodology/", views.methodology, name="methodology"),
    path("search/", views.search_page, name="search"),
    path("feeds/evidence.atom", feeds.EvidenceFeed(), name="evidence-feed"),
    path("feeds/news.atom", feeds.NewsFeed(), name="news-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("data/", data.data_index, name="data"),
    path(
        "data/<str:version>/ic-awards-tracker.zip",
        data.release_download,
        name="release-zip",
    ),
    path(
        "sources/<slug:slug>/archive/",
        archive.source_archive,
        name="source_archive",
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("tracker/favicon.svg")),
    ),
]

# Every kind of record: an index, a page per record and its Atom feed.
for kind in records.KINDS:
    converter = "int" if kind.lookup == "pk" else "slug"
    urlpatterns += [
        path(
            f"{kind.path}/",
            views.RecordListView.as_view(kind=kind),
            name=f"{kind.key}-list",
        ),
        path(
            f"{kind.path}/<{converter}:lookup>/",
            views.RecordDetailView.as_view(kind=kind),
            name=kind.key,
        ),
        path(
            f"{kind.path}/<{converter}:lookup>/feed.atom",
            feeds.RecordFeed(),
            {"kind": kind.key},
            name=f"{kind.key}-feed",
        ),
    ]
