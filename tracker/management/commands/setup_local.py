import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.models import Production


class Command(BaseCommand):
    help = (
        "First-start setup for a local machine: loads the demo data into an "
        "empty database and creates an admin account with a random password, "
        "printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--load-demo",
            action="store_true",
            help="Load the demo data when the database holds no productions.",
        )
        parser.add_argument("--username", default="admin")

    def handle(self, *args, load_demo, username, **options):
        if load_demo and not Production.objects.exists():
            call_command("load_demo_data", stdout=self.stdout)
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists; no new password made.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        bar = "=" * 64
        self.stdout.write(
            self.style.WARNING(
                f"\n{bar}\nLocal admin account created (shown only once):\n"
                f"  URL:      http://127.0.0.1:8000/admin/\n"
                f"  user:     {username}\n  password: {password}\n"
                f"Change it with: python manage.py changepassword {username}\n"
                f"{bar}\n"
            )
        )
