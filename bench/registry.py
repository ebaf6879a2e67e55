"""The benchmark rows: each is a function registered with the comparison it
makes and its goal, returning the figures it measured and whether the goal
was met."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Context:
    scale: float
    repeats: int
    progress: Callable[[str], object] = print


@dataclass
class Outcome:
    summary: str  # one line for the table
    figures: dict  # every measured figure, for results.json
    met: bool | None  # None: the row cannot run here (e.g. PostgreSQL only)
    note: str = ""


@dataclass
class Row:
    number: str
    what: str
    against: str
    goal: str
    measure: Callable[[Context], Outcome]
    outcome: Outcome | None = field(default=None)


ROWS: dict[str, Row] = {}


def row(number: str, *, what: str, against: str, goal: str):
    def register(measure: Callable[[Context], Outcome]):
        ROWS[number] = Row(number, what, against, goal, measure)
        return measure

    return register
