# The webhook receiver, for the curation actions that send events.
from tests.webhooks.conftest import (  # noqa: F401
    commit,
    private_webhooks_allowed,
    receiver,
)
