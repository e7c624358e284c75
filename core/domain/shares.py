"""Co-units' shares (多级交办): which measures a co-unit's liaison answers for, what they typed,
and which co-units never reported; pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.domain.model import code_key
from core.domain.numbers import PercentProblem, read_percent

# "60% 管网勘测已完成" or "60％，…": a percentage first is the share's progress, the rest its words
_LEADING = re.compile(r"^\s*([0-9０-９]{1,4}\s*[%％])[\s，,、；;：:]*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Binding:
    """A liaison bound to a co-unit's share of one measure, or (code None) of every measure
    that names the unit among its co-units."""

    unit: str
    code: str | None = None


def shares(
    bindings: Iterable[Binding], co_units: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, str]]:
    """(code, unit) a liaison answers for: the measures given (co_units: code → its co-units,
    the open measures only) where the unit still co-operates; in ledger order."""
    out: set[tuple[str, str]] = set()
    for b in bindings:
        for code, units in co_units.items():
            if b.unit in units and b.code in (None, code):
                out.add((code, b.unit))
    return sorted(out, key=lambda pair: (code_key(pair[0]), pair[1]))


def read_share(text: str) -> tuple[int | None, str] | PercentProblem:
    """(percent or None, words) of a share's answer; words are required, a percent optional."""
    found = _LEADING.match(text)
    if found is None:
        return None, text.strip()
    percent = read_percent(found.group(1))
    if isinstance(percent, PercentProblem):
        return percent
    words = found.group(2).strip()
    return (percent, words) if words else PercentProblem.UNREADABLE


def never_reported(
    due: Iterable[tuple[str, str]], answered: Iterable[tuple[str, str]]
) -> dict[str, list[str]]:
    """Co-unit → the codes of its shares it never answered, units by name, codes in ledger order."""
    done = set(answered)
    out: dict[str, list[str]] = {}
    for code, unit in due:
        if (code, unit) not in done:
            out.setdefault(unit, []).append(code)
    return {u: sorted(set(c), key=code_key) for u, c in sorted(out.items())}
