from django.core.management.base import BaseCommand

from tracker.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load the demo data: the facts of the article the tracker started "
        "from. Safe to run again: nothing changes the second time."
    )

    def handle(self, *args, **options):
        loaded = demo_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {loaded.created} created, {loaded.updated} updated."
            )
        )
