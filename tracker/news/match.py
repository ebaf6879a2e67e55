"""Finding what the tracker knows in an article. Plain Python.

One Aho-Corasick automaton holds every name and alias of the productions,
people and organizations (award bodies included), folded the same way as
the text: case, accents and typographic apostrophes do not matter
(`O’Brien` = `O'Brien`, `Coel’s` finds `Coel`). A hit counts only as a
whole word (`Anora` never matches `anorak`).

Names that are also ordinary words must not flood the review queue, so:

- every capitalised word of a name must be capitalised in the article
  (`The Academy` is not `the academy`); an organization acronym (`HBO`,
  `BAFTA`) must be in capitals;
- a production whose title is a single word (`Challengers`, `Bite`,
  `Anora`) needs a second signal in the same article: a person credited on
  it or its studio or network, a word about the screen (film, series,
  premiere...), or the article being about intimacy coordination. Without
  one the hit is dropped;
- an alias staff kept rejecting for one record (ambiguous, see
  tracker.services.review) counts only with context: an IC term within
  AMBIGUOUS_WINDOW characters, or the name in exactly its own case.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick
import nh3

TITLE, SUMMARY = "title", "summary"
PRODUCTION, PERSON, ORGANIZATION = "production", "person", "organization"

_APOSTROPHES = dict.fromkeys("\u2019\u2018\u02bc\u0060\u00b4\u2032", "'")
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")
_FOLD_TABLE = str.maketrans({**_APOSTROPHES, **_DASHES})

IC_TERMS = re.compile(
    r"\bintimacy[ -](?:coordinat|director|consultant|choreograph|specialist"
    r"|advis|professional|captain|expert|coach)\w*"
)
CEREMONY_TERMS = re.compile(
    r"\b(?:oscars?|academy awards?|emmys?|emmy awards?|golden globes?|baftas?"
    r"|sag awards?|critics' choice|palme d'or|acceptance speech|awards? "
    r"(?:show|ceremony|season|category|categories)|best \w+ award)\b"
)
SCREEN_TERMS = re.compile(
    r"\b(?:film|films|movie|movies|series|miniseries|mini-series|drama|comedy"
    r"|thriller|season|episode|episodes|premiere|premiered|starring|stars"
    r"|director|directed|cast|trailer|box office|streaming|short film|sequel"
    r"|festival|screening|showrunner|netflix|hbo|hulu|a24)\b"
)


# How near an IC term must be for an ambiguous alias to count.
AMBIGUOUS_WINDOW = 200

_RUNS = re.compile(r"\s+|\S+")
# Whitespace that folding changes: a run of two or more, or one character
# that is not a plain space. A lone space stays as it is.
_SPACING = re.compile(r"\s{2,}|[^\S ]")


class FoldIndex:
    """Where each folded character came from, stored as segments in which
    folded and original positions advance together: an ASCII article has
    one segment per collapsed whitespace run, not one entry per character."""

    __slots__ = ("folded_starts", "original_starts")

    def __init__(self, folded_starts: list[int], original_starts: list[int]):
        self.folded_starts = folded_starts
        self.original_starts = original_starts

    def __getitem__(self, position: int) -> int:
        k = bisect.bisect_right(self.folded_starts, position) - 1
        return self.original_starts[k] + position - self.folded_starts[k]


def _fold_ascii(text: str) -> tuple[str, FoldIndex]:
    body = text.lstrip()
    lead = len(text) - len(body)
    pieces: list[str] = []
    folded_starts, original_starts = [0], [lead]
    folded = consumed = 0
    for run in _SPACING.finditer(body):
        start, end = run.span()
        pieces.append(body[consumed:start])
        pieces.append(" ")
        folded += start - consumed + 1
        folded_starts.append(folded)
        original_starts.append(lead + end)
        consumed = end
    pieces.append(body[consumed:])
    return "".join(pieces).lower(), FoldIndex(folded_starts, original_starts)


def _fold_word(word: str, start: int, out: list[str], index: list[int]) -> None:
    for offset, char in enumerate(word):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                index.append(start + offset)


def fold(text: str) -> tuple[str, FoldIndex | list[int]]:
    """The text as the automaton sees it, and for each folded character the
    index of the original character it came from.

    Whitespace runs become one space (none at the start); letters are
    case-folded and stripped of accents. Most articles are ASCII, where
    folding is lower-casing and collapsing spaces, done at C speed; other
    text goes word by word, non-ASCII words character by character (tests
    check every path gives what folding one character at a time gives)."""
    text = text.translate(_FOLD_TABLE)
    if text.isascii():
        return _fold_ascii(text)
    out: list[str] = []
    index: list[int] = []
    for run in _RUNS.finditer(text):
        start = run.start()
        chunk = run.group()
        if chunk[0].isspace():
            if out and out[-1][-1] != " ":
                out.append(" ")
                index.append(start)
        elif chunk.isascii():
            out.append(chunk.lower())
            index.extend(range(start, run.end()))
        else:
            _fold_word(chunk, start, out, index)
    return "".join(out), index


def fold_name(name: str) -> str:
    return fold(name)[0].strip()


def html_to_text(summary_html: str) -> str:
    return html.unescape(nh3.clean(summary_html or "", tags=set()))


@dataclass(frozen=True)
class Entity:
    type: str
    id: int
    name: str
    names: tuple[str, ...]
    is_award_body: bool = False
    related: frozenset[tuple[str, int]] = frozenset()
    """Entities whose presence confirms an ambiguous name of this one: the
    people credited on a production, its studio and network."""
    ambiguous: frozenset[str] = frozenset()
    """Aliases that count only with context (staff rejected them
    repeatedly for this entity)."""

    @property
    def key(self) -> tuple[str, int]:
        return (self.type, self.id)


@dataclass(frozen=True)
class Match:
    entity_type: str
    entity_id: int
    name: str
    alias: str
    field: str
    position: int
    score: float


@dataclass
class ArticleMatches:
    matches: list[Match] = field(default_factory=list)
    ic_related: bool = False
    award_mention: bool = False


@dataclass
class _Hit:
    entity: Entity
    alias: str
    field: str
    position: int


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 1 < len(letters) <= 6 and all(c.isupper() for c in letters)


class Matcher:
    def __init__(self, entities: Iterable[Entity]):
        self.entities: dict[tuple[str, int], Entity] = {}
        self.automaton = ahocorasick.Automaton()
        patterns: dict[str, list[tuple[Entity, str]]] = {}
        for entity in entities:
            self.entities[entity.key] = entity
            for alias in dict.fromkeys(entity.names):
                folded = fold_name(alias)
                # A name of one or two characters matches too much to mean
                # anything.
                if len(folded) < 3:
                    continue
                patterns.setdefault(folded, []).append((entity, alias))
        for folded, owners in patterns.items():
            self.automaton.add_word(folded, (folded, tuple(owners)))
        self.size = len(patterns)
        if self.size:
            self.automaton.make_automaton()

    def _hits(
        self, text: str, folded: str, index: FoldIndex | list[int], field_name: str
    ) -> list[_Hit]:
        if not self.size or not text:
            return []
        hits = []
        for end, (pattern, owners) in self.automaton.iter(folded):
            start = end - len(pattern) + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end + 1 < len(folded) and folded[end + 1].isalnum():
                continue
            original = text[index[start] : index[end] + 1]
            for entity, alias in owners:
                if not self._case_fits(entity, alias, original):
                    continue
                if alias in entity.ambiguous and not (
                    original == alias
                    or IC_TERMS.search(
                        folded,
                        max(0, start - AMBIGUOUS_WINDOW),
                        end + AMBIGUOUS_WINDOW,
                    )
                ):
                    continue
                hits.append(_Hit(entity, alias, field_name, index[start]))
        return hits

    @staticmethod
    def _case_fits(entity: Entity, alias: str, original: str) -> bool:
        if entity.type == ORGANIZATION and _is_acronym(alias):
            return [c for c in original if c.isalpha()] == [
                c for c in alias if c.isalpha()
            ]
        alias_words, text_words = alias.split(), original.split()
        if len(alias_words) != len(text_words):
            # Folding merged or split a word; compare first letters only.
            alias_words, text_words = alias_words[:1], text_words[:1]
        return all(
            not a[:1].isupper() or t[:1].isupper()
            for a, t in zip(alias_words, text_words, strict=False)
        )

    def match(self, title: str, summary_html: str = "") -> ArticleMatches:
        summary = html_to_text(summary_html)
        folded_title, title_index = fold(title)
        folded_summary, summary_index = fold(summary)
        hits = self._hits(title, folded_title, title_index, TITLE) + self._hits(
            summary, folded_summary, summary_index, SUMMARY
        )
        folded_all = f"{folded_title} {folded_summary}"
        # The substring test runs at C speed and rules most articles out
        # before the regex (which cannot skip ahead to a literal after \b).
        ic_related = "intimacy" in folded_all and bool(IC_TERMS.search(folded_all))
        # Searched only when a one-word title needs it: the three term
        # regexes cost more than the automaton on a long article.
        screen_context: bool | None = None

        by_entity: dict[tuple[str, int], list[_Hit]] = {}
        for hit in hits:
            by_entity.setdefault(hit.entity.key, []).append(hit)
        found = set(by_entity)

        matches = []
        for key, entity_hits in by_entity.items():
            entity = entity_hits[0].entity
            confidence = 1.0
            if entity.type == PRODUCTION and all(
                " " not in fold_name(h.alias) for h in entity_hits
            ):
                if entity.related & found:
                    confidence = 0.8
                elif ic_related or (
                    screen_context
                    if screen_context is not None
                    else (screen_context := bool(SCREEN_TERMS.search(folded_all)))
                ):
                    confidence = 0.6
                else:
                    continue
            first = min(entity_hits, key=lambda h: (h.field != TITLE, h.position))
            longest = max(len(h.alias.split()) for h in entity_hits)
            score = 1.0 if first.field == TITLE else 0.6
            score += 0.1 * min(len(entity_hits) - 1, 3)
            score += 0.1 if longest > 1 else 0.0
            matches.append(
                Match(
                    entity_type=key[0],
                    entity_id=key[1],
                    name=entity.name,
                    alias=first.alias,
                    field=first.field,
                    position=first.position,
                    score=round(min(score, 1.0) * confidence, 2),
                )
            )
        award_body_named = any(
            self.entities[m.entity_type, m.entity_id].is_award_body for m in matches
        )
        award_mention = ic_related and (
            award_body_named or bool(CEREMONY_TERMS.search(folded_all))
        )
        matches.sort(key=lambda m: (-m.score, m.entity_type, m.entity_id))
        return ArticleMatches(
            matches=matches, ic_related=ic_related, award_mention=award_mention
        )
