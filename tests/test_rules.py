"""Pure domain rules that storage and handlers only apply: status moves, invites, delegates, import plans."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.domain.absence import Someone, cut_short, may_answer, may_stand_in, valid_period
from core.domain.invites import Redeem, invited_roles, redemption
from core.domain.ledger import LedgerRow
from core.domain.ledger_plan import diff, plan_import, row_values
from core.domain.lifecycle import Event, TransitionError, can_answer, next_status
from core.domain.model import Role, Status

NOW = datetime(2024, 9, 30, 9, tzinfo=UTC)
TODAY = date(2024, 9, 30)


# --- status transitions (DOMAIN.md, Statuses) ---


@pytest.mark.parametrize(
    ("status", "event", "expected"),
    [
        (Status.NOT_STARTED, Event.ANSWER, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Event.ANSWER, Status.IN_PROGRESS),
        (Status.REOPENED, Event.ANSWER, Status.IN_PROGRESS),
        (Status.LONG_TERM, Event.ANSWER, Status.LONG_TERM),
        (Status.NOT_STARTED, Event.REQUEST_SIGNOFF, Status.PENDING_SIGNOFF),
        (Status.IN_PROGRESS, Event.REQUEST_SIGNOFF, Status.PENDING_SIGNOFF),
        (Status.REOPENED, Event.REQUEST_SIGNOFF, Status.PENDING_SIGNOFF),
        (Status.PENDING_SIGNOFF, Event.APPROVE, Status.CLOSED),
        (Status.PENDING_SIGNOFF, Event.REJECT, Status.IN_PROGRESS),
        (Status.CLOSED, Event.REBOUND, Status.REOPENED),
    ],
)
def test_allowed_transitions(status: Status, event: Event, expected: Status) -> None:
    assert next_status(status, event) is expected


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (Status.CLOSED, Event.ANSWER),
        (Status.PENDING_SIGNOFF, Event.ANSWER),
        (Status.PENDING_SIGNOFF, Event.REQUEST_SIGNOFF),
        (Status.CLOSED, Event.REQUEST_SIGNOFF),
        (Status.LONG_TERM, Event.REQUEST_SIGNOFF),  # long-term measures never close
        (Status.CLOSED, Event.APPROVE),  # the first decision wins
        (Status.IN_PROGRESS, Event.APPROVE),  # nobody closes a measure without the request
        (Status.CLOSED, Event.REJECT),
        (Status.IN_PROGRESS, Event.REBOUND),
    ],
)
def test_refused_transitions(status: Status, event: Event) -> None:
    with pytest.raises(TransitionError, match=event.value):
        next_status(status, event)


def test_only_open_work_can_be_answered() -> None:
    assert {s for s in Status if can_answer(s)} == {
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.LONG_TERM,
        Status.REOPENED,
    }


# --- invite redemption ---


def _redeem(
    *,
    used: bool = False,
    revoked: bool = False,
    expires_in: timedelta = timedelta(days=1),
    bound_to: int | None = None,
) -> Redeem:
    return redemption(
        used=used,
        revoked=revoked,
        expires_at=NOW + expires_in,
        bound_to=bound_to,
        user_id=7,
        now=NOW,
    )


def test_a_fresh_link_binds_once() -> None:
    assert _redeem() is Redeem.BOUND
    assert _redeem(bound_to=7) is Redeem.BOUND  # re-issued link of someone already bound


def test_a_used_link_welcomes_only_its_user() -> None:
    assert _redeem(used=True, bound_to=7) is Redeem.ALREADY
    assert _redeem(used=True, bound_to=8) is Redeem.USED
    assert Redeem.ALREADY.welcome and Redeem.BOUND.welcome and not Redeem.USED.welcome


def test_refusals_in_order_revoked_expired_taken() -> None:
    assert _redeem(revoked=True, used=True, bound_to=7) is Redeem.REVOKED
    assert _redeem(expires_in=timedelta(0)) is Redeem.EXPIRED  # expiry is exclusive
    assert _redeem(expires_in=timedelta(seconds=1)) is Redeem.BOUND
    assert _redeem(bound_to=8) is Redeem.TAKEN


def test_invites_go_to_unbound_owners_and_leaders() -> None:
    roles = {Role.OWNER, Role.COORDINATOR}
    assert invited_roles(roles, bound=False) == {Role.OWNER}
    assert invited_roles(roles, bound=True) == frozenset()
    assert invited_roles({Role.COORDINATOR}, bound=False) == frozenset()


# --- absences and delegates ---


@dataclass
class Absent:
    person_id: int
    delegate_id: int | None


def test_the_owner_or_their_current_delegate_answers() -> None:
    away = [Absent(person_id=1, delegate_id=2), Absent(person_id=3, delegate_id=None)]
    assert may_answer(person_id=1, owner_id=1, away=away)
    assert may_answer(person_id=2, owner_id=1, away=away)
    assert not may_answer(person_id=2, owner_id=3, away=away)  # delegate of someone else
    assert not may_answer(person_id=2, owner_id=1, away=[])  # absence over


def test_a_delegate_is_anyone_else_bound_in_the_programme() -> None:
    owner = Someone(id=1, unit_id=10, bound=True)
    assert may_stand_in(owner, Someone(id=2, unit_id=10, bound=True))
    assert may_stand_in(owner, Someone(id=2, unit_id=11, bound=True))  # a unit has one liaison
    assert not may_stand_in(owner, Someone(id=2, unit_id=10, bound=False))
    assert not may_stand_in(owner, owner)


def test_absence_periods() -> None:
    assert valid_period(TODAY, TODAY, TODAY)
    assert valid_period(TODAY - timedelta(days=3), TODAY, TODAY)
    assert not valid_period(TODAY, TODAY - timedelta(days=1), TODAY)
    assert not valid_period(TODAY - timedelta(days=5), TODAY - timedelta(days=1), TODAY)


def test_back_ends_an_absence_yesterday() -> None:
    yesterday = TODAY - timedelta(days=1)
    assert cut_short(TODAY - timedelta(days=4), TODAY + timedelta(days=4), TODAY) == (
        TODAY - timedelta(days=4),
        yesterday,
    )
    assert cut_short(TODAY + timedelta(days=2), TODAY + timedelta(days=4), TODAY) == (
        yesterday,
        yesterday,
    )


# --- import plan ---


def _row(code: str, text: str = "措施", status: Status = Status.IN_PROGRESS) -> LedgerRow:
    return LedgerRow(
        row=2,
        code=code,
        area="方面",
        problem="问题",
        measure=text,
        leader="领导",
        lead_unit="牵头单位",
        co_units=("甲", "乙"),
        owner="张三",
        deadline=date(2024, 9, 30),
        status=status,
    )


def test_plan_sorts_rows_into_new_changed_unchanged_missing() -> None:
    stored = {
        "1": {**row_values(_row("1")), "removed": False},
        "2": {**row_values(_row("2")), "removed": False},
        "3": {**row_values(_row("3")), "removed": False},
        "4": {**row_values(_row("4")), "removed": True},
    }
    plan = plan_import([_row("1"), _row("2", text="改过"), _row("5")], stored)
    assert (plan.new, plan.changed, plan.unchanged, plan.missing) == (["5"], ["2"], 1, ["3"])
    assert plan.writes


def test_nothing_to_write_when_the_file_matches() -> None:
    stored = {"1": {**row_values(_row("1")), "removed": False}}
    plan = plan_import([_row("1")], stored)
    assert (plan.new, plan.changed, plan.unchanged, plan.writes) == ([], [], 1, False)


def test_diff_names_each_change_and_a_comeback() -> None:
    old = {**row_values(_row("1")), "removed": True}
    assert diff(old, row_values(_row("1", status=Status.CLOSED))) == {
        "status": "closed",
        "removed": False,
    }
    assert row_values(_row("1"))["co_units"] == "甲、乙"


def test_a_status_set_in_chat_is_kept_unless_the_coordinator_chooses_the_file() -> None:
    # imported as in progress, then asked for sign-off in chat
    stored = {
        "1": {
            **row_values(_row("1")),
            "status": "pending_signoff",
            "imported_status": "in_progress",
            "removed": False,
        }
    }
    edited = _row("1", status=Status.IN_PROGRESS)
    edited = replace(edited, deadline=date(2024, 10, 31))
    plan = plan_import([edited], stored)
    assert plan.kept == {"1": ("pending_signoff", "in_progress")}
    assert plan.fields == {"1": {"deadline": ("2024-09-30", "2024-10-31")}}
    chosen = plan_import([edited], stored, keep_chat=False)
    assert chosen.fields["1"]["status"] == ("pending_signoff", "in_progress")


def test_a_deadline_extended_in_chat_is_kept_unless_the_coordinator_chooses_the_file() -> None:
    # imported due 30 September, extended in chat to 30 November
    stored = {
        "1": {
            **row_values(_row("1")),
            "deadline": "2024-11-30",
            "imported_deadline": "2024-09-30",
            "removed": False,
        }
    }
    plan = plan_import([_row("1")], stored)
    assert plan.kept_deadlines == {"1": ("2024-11-30", "2024-09-30")}
    assert (plan.fields, plan.unchanged) == ({}, 1)
    chosen = plan_import([_row("1")], stored, keep_chat=False)
    assert chosen.fields["1"] == {"deadline": ("2024-11-30", "2024-09-30")}
    # a deadline the file itself moved (imported as stored) is an ordinary change
    stored["1"]["imported_deadline"] = "2024-11-30"
    assert plan_import([_row("1")], stored).fields["1"] == {
        "deadline": ("2024-11-30", "2024-09-30")
    }


def test_done_rows_are_counted_as_closed_before_the_programme() -> None:
    plan = plan_import([_row("1", status=Status.CLOSED), _row("2")], {})
    assert (plan.new, plan.closed) == (["1", "2"], 1)


def test_immediate_deadlines_in_the_trail_read_as_dates() -> None:
    """Issue 22: events written before the trail recorded 立行立改's date hold "immediate"."""
    from core.domain.ledger_plan import recorded_deadline

    day = date(2024, 9, 30)
    assert recorded_deadline("immediate", day) == day
    assert recorded_deadline("2024-12-31", day) == date(2024, 12, 31)
    assert recorded_deadline(None, day) is None
    # how the replay reads both: tests/test_replay.py


def test_a_dispatch_goes_to_the_owner_else_their_bound_stand_in_else_nobody() -> None:
    from dataclasses import dataclass as dc

    from core.domain.absence import recipient

    @dc(frozen=True)
    class Off:
        person_id: int
        delegate_id: int | None

    assert recipient(1, {}, {1}) == 1
    assert recipient(1, {1: Off(1, 2)}, {1, 2}) == 2  # away: the stand-in
    assert recipient(1, {1: Off(1, 2)}, {1}) is None  # a stand-in not bound yet: paused
    assert recipient(1, {1: Off(1, None)}, {1}) is None  # away, nobody stands in: paused
    assert recipient(3, {1: Off(1, 2)}, {3}) == 3


def test_an_extension_asks_for_a_later_date_and_keeps_the_first_deadline() -> None:
    from core.domain.extension import approved, may_ask

    d = date(2024, 10, 31)
    assert [may_ask(x, d) for x in (None, d, d - timedelta(days=1), d + timedelta(days=1))] == [
        False,
        False,
        False,
        True,
    ]
    first = approved(d, None, date(2024, 11, 30))
    assert first == (date(2024, 11, 30), d)
    assert approved(*first, new=date(2024, 12, 31)) == (date(2024, 12, 31), d)
