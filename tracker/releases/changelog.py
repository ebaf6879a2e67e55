"""What changed between two releases, record by record: added, changed,
disputed, deprecated and removed, by slug within each resource."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.choices import CitationStance

DISPUTES = CitationStance.DISPUTES.value


def disputing_sources(row) -> set[str]:
    """Slugs of the current sources that dispute the row's claim, wherever
    a `citations` list sits in it (a campaign's are in its milestones). A
    deprecated citation no longer disputes anything."""
    found: set[str] = set()
    if isinstance(row, dict):
        for key, value in row.items():
            if key == "citations" and isinstance(value, list):
                found.update(
                    c.get("source", "")
                    for c in value
                    if isinstance(c, dict)
                    and c.get("stance") == DISPUTES
                    and not c.get("deprecated")
                )
            else:
                found |= disputing_sources(value)
    elif isinstance(row, list):
        for item in row:
            found |= disputing_sources(item)
    return found


def is_deprecated(row: dict) -> bool:
    """Whether the public record says it is deprecated (withdrawn but kept
    so old citations of it still resolve): the read shape's `deprecated`."""
    return bool(row.get("deprecated"))


@dataclass
class ResourceChanges:
    added: list[str] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "changed": self.changed,
            "disputed": self.disputed,
            "deprecated": self.deprecated,
            "removed": self.removed,
        }

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(value) for key, value in self.as_dict().items()}


def resource_changes(previous: dict[str, dict], current: Iterable[dict]):
    """Compare the previous release's rows (by slug) with the current rows.

    `current` is consumed once; `previous` is emptied as rows are matched,
    so what is left in it at the end was removed."""
    changes = ResourceChanges()
    for row in current:
        slug = row["slug"]
        before = previous.pop(slug, None)
        if before is None:
            changes.added.append(slug)
            if disputing_sources(row):
                changes.disputed.append(slug)
            if is_deprecated(row):
                changes.deprecated.append(slug)
            continue
        fields = sorted(
            key for key in row.keys() | before.keys() if row.get(key) != before.get(key)
        )
        if fields:
            changes.changed.append({"slug": slug, "fields": fields})
        if disputing_sources(row) - disputing_sources(before):
            changes.disputed.append(slug)
        if is_deprecated(row) and not is_deprecated(before):
            changes.deprecated.append(slug)
    changes.removed = sorted(previous)
    return changes


def changelog_markdown(changelog: dict) -> str:
    """The changelog as a person reads it."""
    previous = changelog["previous_version"]
    lines = [
        f"# Release {changelog['version']}",
        "",
        f"Created {changelog['created']}.",
        "",
        f"Changes since release {previous}."
        if previous
        else "The first release: every record is new.",
        "",
    ]
    for name, changes in changelog["resources"].items():
        counts = {key: len(value) for key, value in changes.items()}
        if not any(counts.values()):
            continue
        lines.append(f"## {name}")
        lines.append("")
        for key in ("added", "changed", "disputed", "deprecated", "removed"):
            items = changes[key]
            if not items:
                continue
            slugs = [i["slug"] if isinstance(i, dict) else i for i in items]
            lines.append(f"- {key} ({len(items)}): {', '.join(slugs)}")
        lines.append("")
    return "\n".join(lines)
