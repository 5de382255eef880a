"""Which packages a row asks for: tick cells and Google Forms list cells."""

from dataclasses import dataclass

from hoclieu_shared.vn.text import clean_text

from .context import CataloguePackage, SchoolContext, words

# The one table of tick values (compared after trimming and case folding).
# True: the package is chosen; False: it is not. Anything else is an error.
TICKS: dict[str, bool] = {
    "x": True,
    "✓": True,
    "✔": True,
    "v": True,
    "1": True,
    "có": True,
    "true": True,
    "": False,
    "0": False,
    "không": False,
    "false": False,
}
TICK_HELP = 'đánh "x" để đăng ký gói, để trống nếu không đăng ký'

# Words left in a list cell that are not a package: the price part of a
# Google Forms label ("(150.000đ)") and joining words.
_FILLER = frozenset({"d", "vnd", "dong", "k", "va", "and", "goi"})
_NOTHING = frozenset({(), ("khong",), ("khong", "dang", "ky"), ("0",)})


def read_tick(value: object) -> bool | None:
    """True if chosen, False if not, None when the value means neither."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, (int, float)):
        return {1: True, 0: False}.get(value) if value in (0, 1) else None
    if isinstance(value, str):
        found = TICKS.get(value)
        return found if found is not None else TICKS.get(clean_text(value).casefold())
    return None


@dataclass(frozen=True, slots=True)
class ListReading:
    """The packages found in a list cell and the words that matched none."""

    packages: tuple[CataloguePackage, ...]
    unknown: str


class ListReader:
    """Reads list cells by matching catalogue names and codes, longest first.

    Labels may hold commas ("Luyện thi vào 10 (Toán, Văn, Anh)"), so the cell
    is not split on commas: its folded words are matched against the words
    of every name and code, the longest label first at each position.
    """

    def __init__(self, context: SchoolContext) -> None:
        self._by_first: dict[str, list] = {}
        for label, package in context.package_labels:
            self._by_first.setdefault(label[0], []).append((label, package))
        self._cache: dict[str, ListReading] = {}

    def read(self, text: str) -> ListReading:
        """The packages named in a cell (cached: forms repeat the same cells)."""
        found = self._cache.get(text)
        if found is None:
            found = self._read(text)
            if len(self._cache) < 10_000:
                self._cache[text] = found
        return found

    def _read(self, text: str) -> ListReading:
        tokens = words(text)
        if tokens in _NOTHING:
            return ListReading((), "")
        chosen: dict[str, CataloguePackage] = {}
        unknown: list[str] = []
        position = 0
        while position < len(tokens):
            label, package = self._match(tokens, position)
            if package is None:
                unknown.append(tokens[position])
                position += 1
            else:
                chosen.setdefault(package.code, package)
                position += len(label)
        return ListReading(tuple(chosen.values()), _unknown_text(unknown))

    def _match(self, tokens: tuple[str, ...], position: int) -> tuple:
        for label, package in self._by_first.get(tokens[position], ()):
            if tokens[position : position + len(label)] == label:
                return label, package
        return (), None


def _unknown_text(tokens: list[str]) -> str:
    meaningful = [t for t in tokens if not _is_filler(t)]
    return " ".join(meaningful)


def _is_filler(token: str) -> bool:
    if token in _FILLER or token.isdigit():
        return True
    digits = token.rstrip("dk")
    return digits.isdigit() and len(digits) < len(token)
