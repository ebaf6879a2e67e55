# One module per concern; importing them registers their ModelAdmins.
from . import core, news, tokens, webhooks  # noqa: F401
