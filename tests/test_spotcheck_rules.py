"""The spot-check sampling rule: size, spread over lead units, reproducible, checkers apart."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest

from core.domain.spotcheck import (
    Candidate,
    Checker,
    assign,
    draw,
    forged,
    sample_size,
    seed_of,
)

SEED = seed_of("ab" * 32, date(2024, 10, 15))


@pytest.mark.parametrize(
    ("n", "size"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (30, 3), (31, 4), (42, 5), (100, 10)]
)
def test_sample_size_is_ten_percent_rounded_up_at_least_three(n: int, size: int) -> None:
    assert sample_size(n) == size


def test_seed_is_sha256_of_head_and_day() -> None:
    head = "0f" * 32
    expected = hashlib.sha256(f"{head}|2024-10-15".encode()).hexdigest()
    assert seed_of(head, date(2024, 10, 15)) == expected
    assert seed_of(head, date(2024, 10, 16)) != expected


def test_draw_spreads_over_lead_units_before_taking_a_second_from_any() -> None:
    # 40 measures: 30 of unit A, 5 of B, 5 of C; 4 drawn: one of each unit first, then one more
    pool = [Candidate(f"A{i}", "A") for i in range(30)]
    pool += [Candidate(f"B{i}", "B") for i in range(5)] + [
        Candidate(f"C{i}", "C") for i in range(5)
    ]
    drawn = draw(SEED, pool)
    assert len(drawn) == 4
    units = Counter(code[0] for code in drawn)
    assert set(units) == {"A", "B", "C"} and max(units.values()) == 2
    assert len(set(drawn)) == 4


def test_draw_is_reproducible_and_order_free_but_moves_with_the_seed() -> None:
    pool = [Candidate(f"{u}{i}", u) for u in "ABCDE" for i in range(8)]
    assert draw(SEED, pool) == draw(SEED, list(reversed(pool)))
    other = seed_of("cd" * 32, date(2024, 10, 15))
    assert draw(SEED, pool) != draw(other, pool)


def test_draw_takes_all_when_fewer_than_three_and_nothing_from_nothing() -> None:
    assert sorted(draw(SEED, [Candidate("1", "A"), Candidate("2", "A")])) == ["1", "2"]
    assert draw(SEED, []) == []
    # a code listed twice has one chance
    assert len(draw(SEED, [Candidate("1", "A"), Candidate("1", "A"), Candidate("2", "B")])) == 2


def test_checkers_never_of_the_lead_unit_and_load_is_shared() -> None:
    drawn = [Candidate("1", "A"), Candidate("2", "A"), Candidate("3", "B"), Candidate("4", "C")]
    checkers = [Checker(10, "A"), Checker(11, "B"), Checker(12, "")]
    got = assign(SEED, drawn, checkers)
    assert got["1"] in (11, 12) and got["2"] in (11, 12) and got["1"] != got["2"]
    assert got["3"] in (10, 12)
    assert max(Counter(got.values()).values()) == 2


def test_no_checker_outside_the_lead_unit_leaves_the_check_unassigned() -> None:
    got = assign(SEED, [Candidate("1", "A"), Candidate("2", "B")], [Checker(10, "A")])
    assert got == {"1": None, "2": 10}


def test_a_recorded_draw_is_checked_against_its_seed() -> None:
    head = "12" * 32
    day = date(2024, 10, 15)
    pool = [Candidate(f"{u}{i}", u) for u in "AB" for i in range(20)]
    seed = seed_of(head, day)
    honest = {
        "head": head,
        "day": day.isoformat(),
        "seed": seed,
        "candidates": [[c.code, c.unit] for c in pool],
        "drawn": draw(seed, pool),
    }
    assert forged(head, honest) is None
    picked = {**honest, "drawn": ["A1", "A2", "B3", "B4"]}
    assert forged(head, picked) is not None and "the seed draws" in str(forged(head, picked))
    assert forged("34" * 32, honest) == "its head is not the chain's head before it"
    assert forged(head, {**honest, "seed": "0" * 64}) is not None
    assert forged(head, {"head": head}) is not None
