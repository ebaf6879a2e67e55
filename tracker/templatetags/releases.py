"""The "cite this" block: names the latest release, and for a record
whether that release holds it."""

from django import template
from django.conf import settings

from tracker.selectors.releases import release_has_record, release_latest

register = template.Library()


@register.inclusion_tag("tracker/_cite.html")
def cite_release(resource: str = "", slug: str = "", label: str = ""):
    release = release_latest()
    in_release = bool(
        release and resource and release_has_record(release, resource, slug)
    )
    return {
        "release": release,
        "site_url": settings.TRACKER_SITE_URL.rstrip("/"),
        "resource": resource,
        "slug": slug,
        "label": label,
        "in_release": in_release,
    }
