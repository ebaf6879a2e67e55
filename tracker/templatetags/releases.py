"""The "cite this" block: names the latest release, and for a record
whether that release holds it."""

from django import template
from django.conf import settings

from tracker.selectors.releases import release_has_record, release_latest

register = template.Library()


@register.inclusion_tag("tracker/_cite.html", takes_context=True)
def cite_release(context, resource: str = "", slug: str = "", label: str = ""):
    release = release_latest()
    kind, record = context.get("kind"), context.get("record")
    if (
        resource
        and not slug
        and getattr(kind, "api_via", None)
        and resource == kind.api_resource
        and isinstance(record, kind.model)
    ):
        # The page of a record that has no slug because the API and the
        # release show it inside another (a milestone in its campaign):
        # look for it there, and cite the record that holds it.
        slug = kind.api_record(record).slug
        in_release = bool(release and kind.release_holds(release, record))
    else:
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
