from django.core.management.base import BaseCommand

from tracker.services.roles import roles_setup


class Command(BaseCommand):
    help = (
        "Create (or reset) the staff groups Editor (claims and sources), "
        "Reviewer (the news queue and leads) and Viewer (read only). Add a "
        "staff user to one in the admin under Access > Groups."
    )

    def handle(self, *args, **options):
        for name, count in roles_setup().items():
            self.stdout.write(f"{name}: {count} permissions")
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
