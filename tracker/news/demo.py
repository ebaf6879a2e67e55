"""The demo feeds: trade papers that cover awards and production news.
Loading is idempotent and never overwrites a feed staff have edited."""

from tracker.models import Feed, Organization

# url, name, slug of the publisher when the demo data knows it
DEMO_FEEDS = (
    ("https://variety.com/feed/", "Variety", None),
    ("https://www.hollywoodreporter.com/feed/", "The Hollywood Reporter",
     "the-hollywood-reporter"),
    ("https://deadline.com/feed/", "Deadline", None),
    ("https://www.indiewire.com/feed/", "IndieWire", None),
    ("https://www.screendaily.com/full-rss", "Screen Daily", None),
)  # fmt: skip


def demo_feeds_load() -> int:
    """Adds the demo feeds that are missing; returns how many it added."""
    publishers = Organization.objects.in_bulk(
        [slug for _, _, slug in DEMO_FEEDS if slug], field_name="slug"
    )
    created = 0
    for url, name, slug in DEMO_FEEDS:
        _, was_created = Feed.objects.get_or_create(
            url=url,
            defaults={"name": name, "publisher": publishers.get(slug)},
        )
        created += was_created
    return created
