"""Find the header row of a sheet and map its columns to fields by alias.

Headers are compared with vn.text.fold, so "SỐ ĐIỆN THOẠI", "so dien thoai"
and "Số  điện thoại" are the same. A header equal to an alias is the best
match; a header that contains an alias as whole words (as "Số điện thoại phụ
huynh" contains "số điện thoại") is a weaker one, and longer aliases beat
shorter ones. The field lists themselves belong to the services.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from ..vn.text import fold

CERTAIN = "certain"
UNCERTAIN = "uncertain"
SEARCH_ROWS = 30
_EXACT = 1000


@dataclass(frozen=True)
class ColumnSpec:
    """A field a sheet may have, the header texts it goes by, and if required."""

    field: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row is and which column holds which field."""

    row_index: int | None
    columns: dict[str, int]
    unmapped: dict[int, str]
    confidence: str
    missing: tuple[str, ...] = ()
    ambiguous: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def certain(self) -> bool:
        """True when the mapping needs no confirmation from the user."""
        return self.confidence == CERTAIN


def find_header(
    rows: Iterable[Sequence[object]],
    specs: Sequence[ColumnSpec],
    search_rows: int = SEARCH_ROWS,
) -> HeaderMatch:
    """The best header row among the first rows, and its column mapping."""
    best: tuple[tuple, int, HeaderMatch] | None = None
    for index, row in enumerate(islice(rows, search_rows)):
        if _filled(row) < 2:
            continue  # a title, often a merged cell, or an empty row
        match = map_columns(row, specs, row_index=index)
        score = _score(match, specs)
        if best is None or score > best[0]:
            best = (score, index, match)
    if best is None or not best[2].columns:
        return _nothing_found(specs)
    return best[2]


def map_columns(
    header: Sequence[object], specs: Sequence[ColumnSpec], row_index: int | None = None
) -> HeaderMatch:
    """Map the cells of one header row to the fields."""
    texts = {i: fold(str(cell)) for i, cell in enumerate(header) if _has_text(cell)}
    candidates = _candidates(texts, specs)
    columns, ambiguous = _assign(candidates)
    unmapped = {
        i: str(header[i]).strip() for i in texts if i not in columns.values()
    }
    missing = tuple(s.field for s in specs if s.required and s.field not in columns)
    unsure = missing or any(s.field in ambiguous for s in specs if s.required)
    confidence = UNCERTAIN if unsure else CERTAIN
    return HeaderMatch(row_index, columns, unmapped, confidence, missing, ambiguous)


def _candidates(texts: dict[int, str], specs: Sequence[ColumnSpec]) -> list[tuple]:
    """(score, field, column) for every header that matches a field's alias."""
    found = []
    for spec in specs:
        aliases = [fold(alias) for alias in spec.aliases]
        for column, text in texts.items():
            score = max((_alias_score(text, alias) for alias in aliases), default=0)
            if score:
                found.append((score, spec.field, column))
    return sorted(found, key=lambda item: (-item[0], item[2]))


def _alias_score(text: str, alias: str) -> int:
    if not alias:
        return 0
    if text == alias:
        return _EXACT
    if f" {alias} " in f" {text} ":
        return len(alias)
    return 0


def _assign(candidates: list[tuple]) -> tuple[dict[str, int], dict[str, tuple]]:
    """Best matches first; a field whose best score ties on columns is ambiguous."""
    columns: dict[str, int] = {}
    ambiguous: dict[str, tuple[int, ...]] = {}
    taken: set[int] = set()
    for score, name, column in candidates:
        if name in columns or column in taken:
            continue
        rivals = _rivals(candidates, name, score, taken)
        if len(rivals) > 1:
            ambiguous[name] = rivals
        columns[name] = column
        taken.add(column)
    return columns, ambiguous


def _rivals(candidates: list[tuple], name: str, score: int, taken: set[int]) -> tuple:
    return tuple(
        column
        for other_score, other_name, column in candidates
        if other_name == name and other_score == score and column not in taken
    )


def _score(match: HeaderMatch, specs: Sequence[ColumnSpec]) -> tuple[int, int, int]:
    required = sum(1 for s in specs if s.required and s.field in match.columns)
    return (required, len(match.columns), -len(match.ambiguous))


def _nothing_found(specs: Sequence[ColumnSpec]) -> HeaderMatch:
    missing = tuple(s.field for s in specs if s.required)
    return HeaderMatch(None, {}, {}, UNCERTAIN, missing)


def _has_text(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _filled(row: Sequence[object]) -> int:
    return sum(1 for cell in row if _has_text(cell))
