"""sitemap.xml: every record page, one section per kind of record."""

from django.contrib.sitemaps import Sitemap

from . import records


class RecordSitemap(Sitemap):
    """The pages of one kind of record. One plain class serves every kind:
    the kind is data (tracker.web.records), not a class of its own."""

    limit = 5000

    def __init__(self, kind: records.RecordKind):
        self.kind = kind

    def items(self):
        return self.kind.model.objects.order_by("pk").only(
            "pk", self.kind.lookup, "updated_at"
        )

    def location(self, item):
        return self.kind.detail_url(item)

    def lastmod(self, item):
        return item.updated_at


class IndexSitemap(Sitemap):
    """The case page, the index of every kind and the methodology."""

    def items(self):
        return ["/", *(kind.index_url for kind in records.KINDS)]

    def location(self, item):
        return item


SITEMAPS = {
    "pages": IndexSitemap(),
    **{kind.path: RecordSitemap(kind) for kind in records.KINDS},
}
