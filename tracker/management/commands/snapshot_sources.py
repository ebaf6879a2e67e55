import datetime as dt
import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from tqdm import tqdm

from tracker.models import Source, SourceSnapshot
from tracker.services.archive import snapshot_take


class Command(BaseCommand):
    help = (
        "Archive a copy of cited sources now, in this process, through the "
        "feed fetcher's guard and limits: by default every source whose "
        "current URL has no copy yet. A refused or failing address is "
        "recorded on the source, never raised."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            type=int,
            metavar="DAYS",
            help="Also archive again every source whose latest copy is older "
            "than DAYS days.",
        )
        parser.add_argument(
            "--source",
            action="append",
            metavar="SLUG",
            help="Archive only this source, whatever its copies; may be repeated.",
        )

    def handle(self, *args, stale=None, source=None, **options):
        sources = self.sources_select(stale, source)
        outcomes = Counter()
        progress = tqdm(
            sources, desc="Archiving sources", unit="source", file=sys.stderr
        )
        for item in progress:
            progress.set_postfix_str(item.slug[:40])
            snapshot = snapshot_take(source_id=item.pk)
            outcomes[snapshot.outcome] += 1
            if snapshot.reason:
                self.stdout.write(f"{item.slug}: not archived: {snapshot.reason}")
            elif snapshot.text_note:
                self.stdout.write(f"{item.slug}: {snapshot.text_note}")
        summary = ", ".join(
            f"{count} {name}" for name, count in sorted(outcomes.items())
        )
        self.stdout.write(f"{len(sources)} source(s): {summary or 'nothing to do'}.")

    def sources_select(self, stale, slugs) -> list[Source]:
        with_url = Source.objects.exclude(url="").order_by("pk")
        if slugs:
            found = list(with_url.filter(slug__in=slugs))
            missing = set(slugs) - {item.slug for item in found}
            if missing:
                raise CommandError(
                    "No source with a URL has the slug(s): "
                    + ", ".join(sorted(missing))
                    + " (a source without a URL has no page to archive)."
                )
            return found
        unarchived = with_url.exclude(
            Exists(
                SourceSnapshot.objects.filter(
                    source=OuterRef("pk"), requested_url=OuterRef("url")
                )
            )
        )
        selected = list(unarchived)
        if stale is not None:
            if stale < 0:
                raise CommandError("--stale takes a number of days, 0 or more.")
            before = timezone.now() - dt.timedelta(days=stale)
            old = with_url.annotate(last=Max("snapshots__fetched_at")).filter(
                last__lt=before
            )
            seen = {item.pk for item in selected}
            selected += [item for item in old if item.pk not in seen]
        return selected
