# One module per concern; importing them registers their ModelAdmins.
from . import core  # noqa: F401
