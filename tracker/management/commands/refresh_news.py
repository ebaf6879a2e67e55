import json
import logging
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.choices import FeedStatus
from tracker.models import Feed
from tracker.news.services import RefreshResult, feed_refresh, feeds_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Refresh news feeds now, in this process: every active feed, due or "
        "not (the scheduled job takes only the due ones), or the one given "
        "with --feed. One failing feed never stops the others."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--feed",
            action="append",
            metavar="URL_OR_ID",
            help="Refresh only this feed (its id or URL); may be repeated.",
        )
        parser.add_argument(
            "--due", action="store_true", help="Refresh only the feeds that are due."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the results as JSON."
        )

    def handle(self, *args, feed=None, due=False, json=False, **options):
        feeds = self.feeds_select(feed, due)
        results = []
        progress = tqdm(
            feeds,
            desc="Refreshing feeds",
            unit="feed",
            file=sys.stderr,
            disable=json or not sys.stderr.isatty(),
        )
        for item in progress:
            progress.set_postfix_str(item.name[:30])
            try:
                result = feed_refresh(feed_id=item.pk)
            except Exception as exc:
                # feed_refresh records its own failures; this is what it
                # could not record (the feed deleted meanwhile, the
                # database gone), reported without stopping the others.
                logger.exception("Refreshing feed %s failed", item.pk)
                result = RefreshResult(
                    item.pk, item.url, FeedStatus.ERROR, error=f"{exc!r}"
                )
            results.append(result)
        if json:
            self.json_write(results)
        else:
            self.summary_write(results)

    def feeds_select(self, wanted, due):
        if not wanted:
            queryset = feeds_due() if due else Feed.objects.filter(active=True)
            return list(queryset.order_by("pk"))
        feeds = []
        for value in wanted:
            lookup = {"pk": int(value)} if value.isdigit() else {"url": value}
            try:
                feeds.append(Feed.objects.get(**lookup))
            except Feed.DoesNotExist as exc:
                raise CommandError(f"No feed with id or URL {value!r}.") from exc
        return feeds

    def json_write(self, results):
        keys = ("url", "status", "new", "updated", "unchanged", "error")
        feeds = [{k: getattr(r, k) for k in keys} for r in results]
        totals = {"feeds": len(results)}
        for status in (FeedStatus.OK, FeedStatus.NOT_MODIFIED, FeedStatus.ERROR):
            totals[str(status)] = sum(r.status == status for r in results)
        for key in ("new", "updated", "unchanged"):
            totals[key] = sum(getattr(r, key) for r in results)
        self.stdout.write(json.dumps({"feeds": feeds, "totals": totals}, indent=2))

    def summary_write(self, results):
        if not results:
            self.stdout.write("No feeds to refresh.")
        for r in results:
            line = (
                f"{r.url}: {r.status}, {r.new} new, {r.updated} updated, "
                f"{r.unchanged} unchanged"
            )
            if r.status == FeedStatus.ERROR:
                self.stdout.write(self.style.ERROR(f"{r.url}: failed: {r.error}"))
            elif r.error:
                self.stdout.write(self.style.WARNING(f"{line} ({r.error})"))
            else:
                self.stdout.write(self.style.SUCCESS(line))
        failed = sum(r.status == FeedStatus.ERROR for r in results)
        self.stdout.write(
            f"{len(results)} feed(s): {sum(r.new for r in results)} new, "
            f"{sum(r.updated for r in results)} updated, "
            f"{sum(r.unchanged for r in results)} unchanged, {failed} failed."
        )
