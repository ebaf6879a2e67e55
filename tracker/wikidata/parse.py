"""Wikidata's entity JSON (Special:EntityData, wbgetentities) and SPARQL
query results, read into plain items. Nothing here touches the database.

Everything is checked before anything is used, and a value of the wrong
shape is refused with its path in the file, e.g.
`entities.Q42.claims.P345[0].mainsnak.datavalue.value`, so an import writes
all of a file or none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QID_RE = re.compile(r"^Q[1-9]\d*$")
ENTITY_URI_RE = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[1-9]\d*)$")
IMDB_TITLE_RE = re.compile(r"^tt\d{7,8}$")
IMDB_PERSON_RE = re.compile(r"^nm\d{7,8}$")
# +2020-06-07T00:00:00Z, the form of Wikidata's time values.
TIME_RE = re.compile(r"^[+-](\d{1,16})-(\d{2})-(\d{2})T")
YEAR_PRECISION = 9

# The properties the import reads.
INSTANCE_OF = "P31"
IMDB_ID = "P345"
TMDB_MOVIE_ID = "P4947"
TMDB_TV_ID = "P4983"
TMDB_PERSON_ID = "P4985"
PUBLICATION_DATE = "P577"
START_TIME = "P580"
END_TIME = "P582"
AWARD_RECEIVED = "P166"
NOMINATED_FOR = "P1411"
POINT_IN_TIME = "P585"
CONFERRED_BY = "P1027"
FOR_WORK = "P1686"

PROPERTY_LABELS = {
    IMDB_ID: "IMDb ID",
    TMDB_MOVIE_ID: "TMDB movie ID",
    TMDB_TV_ID: "TMDB TV series ID",
    TMDB_PERSON_ID: "TMDB person ID",
    PUBLICATION_DATE: "publication date",
    START_TIME: "start time",
    END_TIME: "end time",
    AWARD_RECEIVED: "award received",
    NOMINATED_FOR: "nominated for",
    POINT_IN_TIME: "point in time",
    CONFERRED_BY: "conferred by",
    FOR_WORK: "for work",
}

# What an item is (P31), in the tracker's kinds.
HUMAN = "Q5"
PRODUCTION_KINDS = {
    "Q11424": "feature",  # film
    "Q506240": "feature",  # television film
    "Q24862": "short",  # short film
    "Q5398426": "series",  # television series
    "Q1259759": "mini_series",  # miniseries
}
LANGUAGE = "en"


def fact(prop: str) -> str:
    """How a property is named in a citation's quote: "IMDb ID (P345)"."""
    return f"{PROPERTY_LABELS[prop]} ({prop})"


class WikidataShapeError(ValueError):
    """The file is not Wikidata's shape; `path` names the bad value."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass
class AwardStatement:
    award: str
    """QID of the award (e.g. an award category item)."""
    won: bool
    """True for award received (P166), False for nominated for (P1411)."""
    year: int | None = None
    conferred_by: str | None = None
    for_work: str | None = None


@dataclass
class Item:
    qid: str
    label: str = ""
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    instance_of: list[str] = field(default_factory=list)
    imdb_id: str | None = None
    tmdb_id: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    awards: list[AwardStatement] = field(default_factory=list)
    conferred_by: str | None = None
    """For an award item: who confers it (its own P1027)."""
    modified: str = ""
    revision: int | None = None
    facts: dict[str, str] = field(default_factory=dict)
    """What was read, property label to value, for the citation's quote."""

    @property
    def url(self) -> str:
        return f"https://www.wikidata.org/wiki/{self.qid}"

    @property
    def is_person(self) -> bool:
        return HUMAN in self.instance_of

    @property
    def production_kind(self) -> str | None:
        for qid in self.instance_of:
            if qid in PRODUCTION_KINDS:
                return PRODUCTION_KINDS[qid]
        return None


@dataclass
class Bundle:
    """Items read from one or more files or responses, by QID."""

    items: dict[str, Item] = field(default_factory=dict)

    def label(self, qid: str | None) -> str:
        item = self.items.get(qid or "")
        return item.label if item and item.label else (qid or "")

    @property
    def roots(self) -> list[Item]:
        """The items the tracker records: productions and people."""
        return [
            item
            for item in self.items.values()
            if item.is_person or item.production_kind
        ]

    def referenced(self) -> set[str]:
        """QIDs the roots' awards name (the award, who confers it, the work)
        that the bundle lacks."""
        wanted = set()
        for item in self.roots:
            for award in item.awards:
                wanted.update(
                    q for q in (award.award, award.conferred_by, award.for_work) if q
                )
                award_item = self.items.get(award.award)
                if award_item and award_item.conferred_by:
                    wanted.add(award_item.conferred_by)
        return {q for q in wanted if q not in self.items}


# --- Checked access ---------------------------------------------------------


def _expect(value, kind, path: str, what: str):
    if not isinstance(value, kind):
        raise WikidataShapeError(path, f"expected {what}, found {_kind(value)}")
    return value


def _kind(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true or false",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _qid(value, path: str) -> str:
    _expect(value, str, path, "a Wikidata id such as Q42")
    if not QID_RE.match(value):
        raise WikidataShapeError(path, f"{value!r} is not a Wikidata id such as Q42")
    return value


def _year(value: str, path: str) -> int:
    match = TIME_RE.match(value)
    if not match:
        raise WikidataShapeError(path, f"{value!r} is not a Wikidata time value")
    return int(match.group(1))


def _text(values, path: str) -> str:
    """The English text of a labels or descriptions object."""
    if values is None:
        return ""
    _expect(values, dict, path, "an object of languages")
    entry = values.get(LANGUAGE)
    if entry is None:
        return ""
    entry = _expect(entry, dict, f"{path}.{LANGUAGE}", "an object")
    return _expect(
        entry.get("value"), str, f"{path}.{LANGUAGE}.value", "a string"
    ).strip()


def _aliases(values, path: str) -> list[str]:
    if values is None:
        return []
    _expect(values, dict, path, "an object of languages")
    entries = values.get(LANGUAGE, [])
    _expect(entries, list, f"{path}.{LANGUAGE}", "a list")
    names = []
    for i, entry in enumerate(entries):
        entry = _expect(entry, dict, f"{path}.{LANGUAGE}[{i}]", "an object")
        name = _expect(
            entry.get("value"), str, f"{path}.{LANGUAGE}[{i}].value", "a string"
        )
        if name.strip():
            names.append(name.strip())
    return names


def _snak_value(snak, path: str):
    """The value of a snak, or None for "no value" and "unknown value"."""
    snak = _expect(snak, dict, path, "a snak object")
    if snak.get("snaktype", "value") != "value":
        return None
    datavalue = _expect(
        snak.get("datavalue"), dict, f"{path}.datavalue", "a datavalue object"
    )
    kind = datavalue.get("type")
    value = datavalue.get("value")
    vpath = f"{path}.datavalue.value"
    if kind == "string":
        return _expect(value, str, vpath, "a string")
    if kind == "wikibase-entityid":
        value = _expect(value, dict, vpath, "an entity id object")
        return _qid(value.get("id"), f"{vpath}.id")
    if kind == "time":
        value = _expect(value, dict, vpath, "a time object")
        time = _expect(value.get("time"), str, f"{vpath}.time", "a time string")
        return _year(time, f"{vpath}.time")
    raise WikidataShapeError(
        f"{path}.datavalue.type", f"unexpected datavalue type {kind!r}"
    )


def _statements(claims: dict, prop: str, path: str) -> list[tuple[object, dict, str]]:
    """(value, qualifiers, path) of each statement of `prop`, best rank
    first, deprecated ones left out."""
    statements = claims.get(prop, [])
    spath = f"{path}.{prop}"
    _expect(statements, list, spath, "a list of statements")
    found = []
    for i, statement in enumerate(statements):
        ipath = f"{spath}[{i}]"
        statement = _expect(statement, dict, ipath, "a statement object")
        rank = statement.get("rank", "normal")
        if rank not in ("preferred", "normal", "deprecated"):
            raise WikidataShapeError(f"{ipath}.rank", f"unknown rank {rank!r}")
        if rank == "deprecated":
            continue
        value = _snak_value(statement.get("mainsnak"), f"{ipath}.mainsnak")
        if value is None:
            continue
        qualifiers = statement.get("qualifiers", {})
        _expect(qualifiers, dict, f"{ipath}.qualifiers", "an object")
        found.append((rank != "preferred", value, qualifiers, ipath))
    found.sort(key=lambda entry: entry[0])
    return [(value, qualifiers, ipath) for _, value, qualifiers, ipath in found]


def _first(claims: dict, prop: str, path: str):
    statements = _statements(claims, prop, path)
    return statements[0][0] if statements else None


def _qualifier(qualifiers: dict, prop: str, path: str):
    snaks = qualifiers.get(prop, [])
    _expect(snaks, list, f"{path}.qualifiers.{prop}", "a list of snaks")
    for i, snak in enumerate(snaks):
        value = _snak_value(snak, f"{path}.qualifiers.{prop}[{i}]")
        if value is not None:
            return value
    return None


def _id_string(value, pattern: re.Pattern, path: str, what: str) -> str:
    _expect(value, str, path, "a string")
    if not pattern.match(value):
        raise WikidataShapeError(path, f"{value!r} is not {what}")
    return value


def _tmdb(value, path: str) -> int:
    _expect(value, str, path, "a string")
    if not value.isdigit() or int(value) < 1:
        raise WikidataShapeError(path, f"{value!r} is not a TMDB numeric id")
    return int(value)


def item_parse(entity, path: str) -> Item:
    entity = _expect(entity, dict, path, "an entity object")
    qid = _qid(entity.get("id"), f"{path}.id")
    if "missing" in entity:
        raise WikidataShapeError(path, f"Wikidata has no item {qid}")
    if entity.get("type", "item") != "item":
        raise WikidataShapeError(f"{path}.type", "expected an item")
    claims = entity.get("claims", {})
    cpath = f"{path}.claims"
    _expect(claims, dict, cpath, "an object of properties")
    item = Item(
        qid=qid,
        label=_text(entity.get("labels"), f"{path}.labels"),
        aliases=_aliases(entity.get("aliases"), f"{path}.aliases"),
        description=_text(entity.get("descriptions"), f"{path}.descriptions"),
        instance_of=[v for v, _, _ in _statements(claims, INSTANCE_OF, cpath)],
        modified=str(entity.get("modified", "")),
    )
    revision = entity.get("lastrevid")
    if revision is not None:
        item.revision = _expect(revision, int, f"{path}.lastrevid", "a number")
    item.conferred_by = _first(claims, CONFERRED_BY, cpath)
    person = item.is_person
    imdb = _first(claims, IMDB_ID, cpath)
    if imdb is not None:
        ipath = f"{cpath}.{IMDB_ID}[0].mainsnak.datavalue.value"
        pattern = IMDB_PERSON_RE if person else IMDB_TITLE_RE
        what = "an IMDb person id" if person else "an IMDb title id"
        item.imdb_id = _id_string(imdb, pattern, ipath, what)
        item.facts[fact(IMDB_ID)] = imdb
    for prop in (TMDB_PERSON_ID,) if person else (TMDB_TV_ID, TMDB_MOVIE_ID):
        value = _first(claims, prop, cpath)
        if value is not None and item.tmdb_id is None:
            item.tmdb_id = _tmdb(value, f"{cpath}.{prop}[0].mainsnak.datavalue.value")
            item.facts[fact(prop)] = value
    if not person:
        for prop in (START_TIME, PUBLICATION_DATE):
            year = _first(claims, prop, cpath)
            if year is not None:
                item.start_year = year
                item.facts[fact(prop)] = str(year)
                break
        end = _first(claims, END_TIME, cpath)
        if end is not None:
            item.end_year = end
            item.facts[fact(END_TIME)] = str(end)
    for prop, won in ((AWARD_RECEIVED, True), (NOMINATED_FOR, False)):
        for award, qualifiers, spath in _statements(claims, prop, cpath):
            item.awards.append(
                AwardStatement(
                    award=award,
                    won=won,
                    year=_qualifier(qualifiers, POINT_IN_TIME, spath),
                    conferred_by=_qualifier(qualifiers, CONFERRED_BY, spath),
                    for_work=_qualifier(qualifiers, FOR_WORK, spath),
                )
            )
    return item


def entities_parse(document, bundle: Bundle | None = None) -> Bundle:
    """Read Wikidata's entity JSON: {"entities": {"Q1": {...}, ...}}."""
    bundle = bundle or Bundle()
    document = _expect(document, dict, "(top)", "an object")
    entities = _expect(
        document.get("entities"), dict, "entities", "an object of entities"
    )
    for key, entity in entities.items():
        path = f"entities.{key}"
        item = item_parse(entity, path)
        if item.qid != key:
            raise WikidataShapeError(
                f"{path}.id", f"the id {item.qid} differs from its key {key}"
            )
        bundle.items[item.qid] = item
    return bundle


# --- SPARQL results ---------------------------------------------------------

SPARQL_ITEM_VARS = {
    "item",
    "itemLabel",
    "itemDescription",
    "itemAltLabel",
    "type",
    "imdb",
    "tmdb",
    "start",
    "end",
    "award",
    "awardLabel",
    "result",
    "pointInTime",
    "conferredBy",
    "conferredByLabel",
    "forWork",
}


def _binding(row: dict, name: str, path: str) -> str | None:
    cell = row.get(name)
    if cell is None:
        return None
    cell = _expect(cell, dict, f"{path}.{name}", "a binding object")
    return _expect(cell.get("value"), str, f"{path}.{name}.value", "a string")


def _entity_uri(value: str, path: str) -> str:
    match = ENTITY_URI_RE.match(value)
    if not match:
        raise WikidataShapeError(path, f"{value!r} is not a Wikidata entity URI")
    return match.group(1)


def sparql_parse(document, bundle: Bundle | None = None) -> Bundle:
    """Read a SPARQL JSON results file (query.wikidata.org's format), one
    row per item or per award of an item. docs/open-data.md gives a query
    with the variables read here; `item` and `itemLabel` are required."""
    bundle = bundle or Bundle()
    document = _expect(document, dict, "(top)", "an object")
    head = _expect(document.get("head"), dict, "head", "an object")
    names = _expect(head.get("vars"), list, "head.vars", "a list of variable names")
    for required in ("item", "itemLabel"):
        if required not in names:
            raise WikidataShapeError("head.vars", f"the query must select ?{required}")
    unknown = sorted(set(names) - SPARQL_ITEM_VARS)
    if unknown:
        raise WikidataShapeError(
            "head.vars", f"variables the import does not read: {', '.join(unknown)}"
        )
    results = _expect(document.get("results"), dict, "results", "an object")
    rows = _expect(results.get("bindings"), list, "results.bindings", "a list")
    for i, row in enumerate(rows):
        path = f"results.bindings[{i}]"
        row = _expect(row, dict, path, "an object of bindings")
        item_uri = _binding(row, "item", path)
        if item_uri is None:
            raise WikidataShapeError(f"{path}.item", "every row needs ?item")
        qid = _entity_uri(item_uri, f"{path}.item.value")
        item = bundle.items.setdefault(qid, Item(qid=qid))
        label = _binding(row, "itemLabel", path)
        if label and label != qid:
            item.label = label.strip()
        description = _binding(row, "itemDescription", path)
        if description:
            item.description = description.strip()
        aliases = _binding(row, "itemAltLabel", path)
        for alias in (aliases or "").split(","):
            if alias.strip() and alias.strip() not in item.aliases:
                item.aliases.append(alias.strip())
        kind = _binding(row, "type", path)
        if kind:
            kind_qid = _entity_uri(kind, f"{path}.type.value")
            if kind_qid not in item.instance_of:
                item.instance_of.append(kind_qid)
        _sparql_facts(item, row, path)
        _sparql_award(bundle, item, row, path)
    return bundle


def _sparql_facts(item: Item, row: dict, path: str) -> None:
    imdb = _binding(row, "imdb", path)
    if imdb:
        person = IMDB_PERSON_RE.match(imdb)
        pattern = IMDB_PERSON_RE if person else IMDB_TITLE_RE
        item.imdb_id = _id_string(
            imdb, pattern, f"{path}.imdb.value", "an IMDb title or person id"
        )
        item.facts[fact(IMDB_ID)] = imdb
    tmdb = _binding(row, "tmdb", path)
    if tmdb:
        item.tmdb_id = _tmdb(tmdb, f"{path}.tmdb.value")
        item.facts["TMDB ID"] = tmdb
    for name, attr, prop in (
        ("start", "start_year", START_TIME),
        ("end", "end_year", END_TIME),
    ):
        value = _binding(row, name, path)
        if value:
            year = _sparql_year(value, f"{path}.{name}.value")
            setattr(item, attr, year)
            item.facts[fact(prop)] = str(year)


def _sparql_year(value: str, path: str) -> int:
    match = re.match(r"^-?(\d{4,})-\d{2}-\d{2}", value)
    if not match:
        raise WikidataShapeError(path, f"{value!r} is not an xsd:dateTime")
    return int(match.group(1))


def _sparql_award(bundle: Bundle, item: Item, row: dict, path: str) -> None:
    award_uri = _binding(row, "award", path)
    if not award_uri:
        return
    award = _entity_uri(award_uri, f"{path}.award.value")
    result = _binding(row, "result", path) or "won"
    if result not in ("won", "nominated"):
        raise WikidataShapeError(
            f"{path}.result.value", f"expected won or nominated, not {result!r}"
        )
    point = _binding(row, "pointInTime", path)
    conferred = _binding(row, "conferredBy", path)
    for_work = _binding(row, "forWork", path)
    statement = AwardStatement(
        award=award,
        won=result == "won",
        year=_sparql_year(point, f"{path}.pointInTime.value") if point else None,
        conferred_by=_entity_uri(conferred, f"{path}.conferredBy.value")
        if conferred
        else None,
        for_work=_entity_uri(for_work, f"{path}.forWork.value") if for_work else None,
    )
    if statement not in item.awards:
        item.awards.append(statement)
    for qid, name in (
        (award, "awardLabel"),
        (statement.conferred_by, "conferredByLabel"),
    ):
        label = _binding(row, name, path)
        if qid and label:
            bundle.items.setdefault(qid, Item(qid=qid)).label = label.strip()
