"""Atom 1.0 feeds to follow the evidence: new and changed claims with
their sources, the changes to one record, and the approved news."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from tracker.selectors.news import approved_news_list
from tracker.selectors.pages import recent_claims, record_changed_at, record_history

from . import records
from .context_processors import LICENCE, SITE_NAME

FEED_LENGTH = 50
# The kinds whose records are claims citing sources.
CLAIM_KINDS = (
    records.PRODUCTION,
    records.STATEMENT,
    records.AWARD_CATEGORY,
    records.AWARD_OUTCOME,
    records.AWARD_MENTION,
    records.POLICY,
    records.STATISTIC,
    records.MILESTONE,
)
HISTORY_TYPES = {"+": "Added", "~": "Changed", "-": "Deleted"}


class TrackerFeed(Feed):
    feed_type = Atom1Feed
    author_name = SITE_NAME
    feed_copyright = LICENCE["attribution"]


class EvidenceFeed(TrackerFeed):
    title = "New and changed evidence"
    subtitle = (
        "Claims about intimacy coordination as they are added or changed, "
        "each with the sources it cites."
    )

    def link(self):
        return reverse("web:case")

    def items(self):
        return recent_claims(
            (kind.list_selector() for kind in CLAIM_KINDS), FEED_LENGTH
        )

    def item_title(self, item):
        kind = records.kind_of(item)
        return f"{kind.singular.capitalize()}: {item}"

    def item_description(self, item):
        return render_to_string(
            "tracker/feeds/claim.html",
            {"claim": item, "kind": records.kind_of(item)},
        )

    def item_link(self, item):
        return records.record_url(item)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return record_changed_at(item)


class RecordFeed(TrackerFeed):
    """The changes to one record and to its citations."""

    def get_object(self, request, kind, lookup):
        kind = records.BY_KEY[kind]
        try:
            record = kind.model.objects.get(**{kind.lookup: lookup})
        except (kind.model.DoesNotExist, ValueError):
            raise Http404(f"No {kind.singular} {lookup!r}.") from None
        return record

    def title(self, obj):
        return f"Changes to {obj}"

    def subtitle(self, obj):
        return f"Every change to this {records.kind_of(obj).singular} and its sources."

    def link(self, obj):
        return records.record_url(obj)

    def items(self, obj):
        return [{**entry, "record": obj} for entry in record_history(obj, FEED_LENGTH)]

    def item_title(self, item):
        verb = HISTORY_TYPES.get(item["type"], "Changed")
        if item["what"] == "citation":
            source = item["source"].title if item["source"] else "a source"
            return f"Citation {verb.lower()}: {source}"
        if item["fields"]:
            return f"{verb}: {', '.join(item['fields'])}"
        return f"{verb}: {item['record']}"

    def item_description(self, item):
        return render_to_string("tracker/feeds/change.html", {"entry": item})

    def item_link(self, item):
        return records.record_url(item["record"])

    def item_guid(self, item):
        return f"{records.record_url(item['record'])}#{item['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["when"]

    def item_updateddate(self, item):
        return item["when"]


class NewsFeed(TrackerFeed):
    title = "News about intimacy coordination, checked by staff"
    subtitle = "Articles staff approved as being about a record the tracker holds."

    def link(self):
        return reverse("web:case") + "#news"

    def items(self):
        return approved_news_list(limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_to_string("tracker/feeds/article.html", {"article": item})

    def item_link(self, item):
        return item.canonical_url

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.published_at or item.created_at
