"""Random spot checks (随机抽查): which measures a draw must take, from a seed nobody can choose.

The seed is the SHA-256 of the audit chain's head at the moment of the draw and the draw's day,
so anyone holding the trail recomputes the sample: nothing here reads a clock or a random source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

SHARE = 10  # percent of the candidates drawn
MINIMUM = 3  # drawn at least, or every candidate when there are fewer
DRAW = "spotcheck.draw"  # the audit action that records a draw
TRUE, UNTRUE = "true", "untrue"  # 属实, 不属实
UNTRUE_ACTION = "measure.spotcheck_untrue"  # reopens the measure as a rebound does
TRUE_ACTION = "measure.spotcheck_true"


@dataclass(frozen=True)
class Candidate:
    """A measure signed off since the last draw, with the lead unit it is spread by."""

    code: str
    unit: str


def sample_size(candidates: int) -> int:
    """10% rounded up, at least 3, never more than there are."""
    share = -(-candidates * SHARE // 100)  # ceiling in integers: no float rounding to argue about
    return min(candidates, max(MINIMUM, share))


def seed_of(head: str, day: date) -> str:
    """The draw's seed: SHA-256 of the chain's head hash, a bar, and the draw's ISO day."""
    return hashlib.sha256(f"{head}|{day.isoformat()}".encode()).hexdigest()


def _rank(seed: str, kind: str, value: str) -> str:
    return hashlib.sha256(f"{seed}|{kind}|{value}".encode()).hexdigest()


def draw(seed: str, candidates: Iterable[Candidate]) -> list[str]:
    """The codes drawn, in drawing order: lead units take turns (in an order the seed gives),
    each giving its next measure (in an order the seed gives), until the sample is full."""
    units: dict[str, list[str]] = {}
    for c in {c.code: c for c in candidates}.values():  # one code, one chance
        units.setdefault(c.unit, []).append(c.code)
    total = sum(len(codes) for codes in units.values())
    queues = [
        sorted(codes, key=lambda code: _rank(seed, "measure", code))
        for _, codes in sorted(units.items(), key=lambda kv: _rank(seed, "unit", kv[0]))
    ]
    drawn: list[str] = []
    turn = 0
    while len(drawn) < sample_size(total):
        for queue in queues:
            if turn < len(queue) and len(drawn) < sample_size(total):
                drawn.append(queue[turn])
        turn += 1
    return drawn


@dataclass(frozen=True)
class Checker:
    """A coordinator who may be given checks: their person id and unit ("" for none)."""

    person_id: int
    unit: str


def assign(
    seed: str, drawn: Sequence[Candidate], checkers: Sequence[Checker]
) -> dict[str, int | None]:
    """Per drawn code, the coordinator who checks it: never one of its lead unit; the least
    loaded so far, ties broken by the seed. None when every coordinator is of its lead unit."""
    load = dict.fromkeys((c.person_id for c in checkers), 0)
    out: dict[str, int | None] = {}
    for c in drawn:
        fit = [k for k in checkers if not k.unit or k.unit != c.unit]
        if not fit:
            out[c.code] = None
            continue
        pick = min(fit, key=lambda k: (load[k.person_id], _rank(seed, c.code, str(k.person_id))))
        load[pick.person_id] += 1
        out[c.code] = pick.person_id
    return out


def recorded(after: Mapping[str, Any]) -> tuple[str, date, list[Candidate], list[str]]:
    """A draw event's (head, day, candidates, drawn codes); ValueError when malformed."""
    try:
        head = str(after["head"])
        day = date.fromisoformat(str(after["day"]))
        candidates = [Candidate(str(code), str(unit)) for code, unit in after["candidates"]]
        drawn = [str(code) for code in after["drawn"]]
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"not a draw: {e}") from e
    return head, day, candidates, drawn


def forged(prev_hash: str, after: Mapping[str, Any]) -> str | None:
    """Why a recorded draw is not the one its seed gives, or None when it is.

    `prev_hash` is the hash of the event before the draw in the chain: the head it was drawn at.
    """
    try:
        head, day, candidates, drawn = recorded(after)
    except ValueError as e:
        return str(e)
    if head != prev_hash:
        return "its head is not the chain's head before it"
    seed = seed_of(head, day)
    if after.get("seed") != seed:
        return "its seed is not SHA-256 of the head and the day"
    expected = draw(seed, candidates)
    if drawn != expected:
        return f"it drew {', '.join(drawn) or '-'}; the seed draws {', '.join(expected) or '-'}"
    return None


@dataclass(frozen=True)
class SpotTally:
    """A period's spot checks: answered, and the codes found 不属实."""

    checked: int
    untrue: Sequence[str] = ()


def tally(verdicts: Sequence[tuple[str, str]]) -> SpotTally:
    """From (code, verdict) answered in a period."""
    return SpotTally(len(verdicts), [code for code, v in verdicts if v == UNTRUE])
