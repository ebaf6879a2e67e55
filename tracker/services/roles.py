"""The three staff roles, as groups of permissions (manage.py setup_roles).

- Editor: claims and sources, and the people, organizations, productions
  and campaigns they are about (with citations and credits); reads the news
  so they can cite it.
- Reviewer: the news review queue and the leads (approve, reject, dismiss,
  clear ambiguous aliases); reads everything else.
- Viewer: reads everything, changes nothing.

Running it again sets each group's permissions to exactly these."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITOR, REVIEWER, VIEWER = "Editor", "Reviewer", "Viewer"

EVIDENCE_MODELS = (
    "source",
    "citation",
    "production",
    "credit",
    "person",
    "organization",
    "statement",
    "awardcategory",
    "awardoutcome",
    "awardmention",
    "policy",
    "industrystatistic",
    "campaign",
    "campaignmilestone",
    "cohort",
)
NEWS_MODELS = ("newsarticle", "lead", "articlematch", "ambiguousalias", "feed")
# Secrets' metadata is for administrators only.
NEVER_SHOWN = ("apitoken",)


def _perms(actions, models):
    codenames = [f"{a}_{m}" for a in actions for m in models]
    return Permission.objects.filter(
        content_type__app_label="tracker", codename__in=codenames
    )


def _viewable():
    return Permission.objects.filter(
        content_type__app_label="tracker", codename__startswith="view_"
    ).exclude(codename__in=[f"view_{m}" for m in NEVER_SHOWN])


ALL = ("add", "change", "delete", "view")


@transaction.atomic
def roles_setup() -> dict[str, int]:
    """Creates or updates the groups; returns how many permissions each
    holds."""
    wanted = {
        EDITOR: _perms(ALL, EVIDENCE_MODELS) | _viewable(),
        REVIEWER: _perms(
            ("change", "view"),
            ("newsarticle", "lead", "articlematch", "ambiguousalias"),
        )
        | _viewable(),
        VIEWER: _viewable(),
    }
    counts = {}
    for name, permissions in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions.distinct())
        counts[name] = group.permissions.count()
    return counts
