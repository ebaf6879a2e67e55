from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracker.models import ApiToken


class Command(BaseCommand):
    help = (
        "Create an API token for an existing staff user and print it once; "
        "only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        if not user.is_active:
            raise CommandError(f"The user {username!r} is inactive.")
        if not user.is_staff:
            raise CommandError(
                f"The user {username!r} is not staff; API writes are for staff."
            )
        token, key = ApiToken.issue(user, name=name)
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.prefix}... created for {username}. It is shown only "
            "now: store it safely. Send it as 'Authorization: Token <key>'."
        )
