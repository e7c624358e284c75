"""Find a ledger's header (in one row or two) and which column holds each field."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.domain.ledger_io import Row
from core.domain.ledger_words import HEADER_KEYS, cell_text, key

REQUIRED: frozenset[str] = frozenset(
    {"code", "area", "problem", "measure", "lead_unit", "owner", "deadline"}
)
HEADER_SEARCH = 20  # rows title lines and 填报 lines may push the header down
REPEATABLE = frozenset({"contact"})  # 联系人 beside 联系电话: both give phones


def field_of(cell: object) -> str | None:
    """The ledger field a header cell names, or None."""
    return HEADER_KEYS.get(key(cell_text(cell)))


def _fields(cells: tuple[object, ...]) -> set[str]:
    found = {f for c in cells if (f := field_of(c))}
    if "owner" not in found and "contact" in found:
        found.add("owner")  # a lone 联系人 column names the owner
    return found


def _combined(upper: tuple[object, ...], lower: tuple[object, ...]) -> tuple[object, ...]:
    """A header written in two rows without merges: the lower row's name wins where it has one."""
    width = max(len(upper), len(lower))
    up = list(upper) + [None] * (width - len(upper))
    low = list(lower) + [None] * (width - len(lower))
    return tuple(
        b if field_of(b) or (a is None and b is not None) else a
        for a, b in zip(up, low, strict=True)
    )


@dataclass
class Header:
    """Where the header is and what its columns are."""

    first: int  # index (into the sheet's rows) of the header's first row
    last: int  # of its last row: data follows it
    cells: tuple[object, ...]  # the header as one row
    complete: bool
    where: dict[str, int] = field(default_factory=dict)  # field -> column index
    written: dict[str, str] = field(default_factory=dict)  # field -> header as the file wrote it
    contacts: list[int] = field(default_factory=list)  # columns giving phones
    ignored: list[str] = field(default_factory=list)  # headers of columns not read
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (field, header) seen twice


def find_header(rows: list[Row]) -> Header:
    """The first row naming every required column, else two adjacent rows that do together."""
    best, most = 0, -1
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        names = _fields(cells)
        if names >= REQUIRED:
            return _mapped(Header(i, i, cells, True))
        if len(names) > most:
            best, most = i, len(names)
    for i in range(min(len(rows), HEADER_SEARCH) - 1):
        (n1, upper), (n2, lower) = rows[i], rows[i + 1]
        both = _combined(upper, lower)
        if n2 == n1 + 1 and _fields(both) >= REQUIRED:
            return _mapped(Header(i, i + 1, both, True))
    return _mapped(Header(best, best, rows[best][1] if rows else (), False))


def _mapped(h: Header) -> Header:
    """Fill in each field's column, the columns passed over and the columns repeated."""
    lone_contact = not any(field_of(c) == "owner" for c in h.cells)
    for i, cell in enumerate(h.cells):
        text = cell_text(cell)
        found = field_of(cell)
        if (
            found == "contact"
            and lone_contact
            and "owner" not in h.where
            and key(text) in (key("联系人"), "contact")
        ):
            found = "owner"
        if found is None:
            if text:
                h.ignored.append(text)
        elif found in REPEATABLE:
            h.contacts.append(i)
            h.written.setdefault(found, text)
        elif found in h.where:
            h.repeated.append((found, text))
        else:
            h.where[found] = i
            h.written[found] = text
    return h
