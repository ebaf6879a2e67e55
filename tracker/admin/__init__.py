# One module per concern; importing them registers their ModelAdmins.
from . import core, news, tokens  # noqa: F401
