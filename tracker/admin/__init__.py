# One module per concern; importing them registers their ModelAdmins.
from . import archive, core, news, tokens, webhooks  # noqa: F401
