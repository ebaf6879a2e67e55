"""What every public page's head and footer say: its canonical address,
the data licence and when the data last changed. Lazy, so pages that do
not show them (the admin) run no query for them."""

from django.utils.functional import SimpleLazyObject

from tracker.caching import LAST_CHANGED
from tracker.selectors.pages import last_changed

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Intimacy coordination awards tracker, licensed under CC BY 4.0",
}
SITE_NAME = "Intimacy coordination awards tracker"


def _last_changed():
    # The footer is on every page; the answer only moves with the data.
    # An empty tracker caches "" (None would mean "not cached").
    return LAST_CHANGED.get_or_compute(lambda: last_changed() or "") or None


def site(request):
    return {
        "site_name": SITE_NAME,
        "licence": LICENCE,
        "site_origin": SimpleLazyObject(lambda: request.build_absolute_uri("/")[:-1]),
        "site_last_changed": _last_changed,
    }
