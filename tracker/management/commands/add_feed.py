from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.news.services import feed_add


class Command(BaseCommand):
    help = (
        "Add a news feed. The URL is checked the way the fetcher checks it: "
        "http or https only, and on the public internet."
    )

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--name", default="")
        parser.add_argument("--interval", type=int, default=30, help="Minutes.")

    def handle(self, *args, url, name, interval, **options):
        try:
            feed = feed_add(url=url, name=name, interval_minutes=interval)
        except ValidationError as exc:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}"
                for field, errors in exc.message_dict.items()
            )
            raise CommandError(f"Feed not added: {messages}") from exc
        self.stdout.write(self.style.SUCCESS(f"Added feed {feed.pk}: {feed.url}"))
