"""The pure parts of editing the ledger in chat: typed values, codes, conflicts, the replay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from core.domain.ledger import LedgerRow
from core.domain.ledger_edit import (
    Read,
    Refusal,
    changes,
    missing,
    new_code,
    page_count,
    read_reason,
    read_value,
)
from core.domain.ledger_plan import kept_row, plan_import
from core.domain.model import Status
from core.domain.replay import Recorded, live, replay


def test_typed_values_are_read_as_stored_or_refused() -> None:
    assert read_value("deadline", "2024年11月30日") == Read("2024-11-30")
    assert read_value("deadline", "长期") == Read("")
    assert read_value("deadline", "2024-02-30").refusal is Refusal.BAD_DATE
    assert read_value("deadline", "2024-02-29") == Read("2024-02-29")  # 2024 is a leap year
    assert read_value("deadline", "1999-12-31").refusal is Refusal.BAD_DATE
    assert read_value("deadline", "立行立改").refusal is Refusal.IMMEDIATE
    assert read_value("deadline", "9月30日").refusal is Refusal.BAD_DATE  # no year: which one?
    assert read_value("co_units", "财政局，自然资源局、财政局") == Read("财政局、自然资源局")
    assert read_value("co_units", "无") == Read("")
    assert read_value("owner", "  \u200b ").refusal is Refusal.EMPTY
    assert read_value("owner", "王" * 301) == Read(refusal=Refusal.TOO_LONG, limit=300)
    assert read_value("text", "第一行\n第二行") == Read("第一行\n第二行")
    assert read_reason("") == Read(refusal=Refusal.EMPTY)
    assert read_reason("理" * 501).refusal is Refusal.TOO_LONG


def test_a_new_code_is_free_only_when_no_measure_has_it_in_any_width() -> None:
    assert new_code("5.1.1", ["1.3.2"]) == ("5.1.1", True)
    assert new_code("１.３.２", ["1.3.2"]) == ("1.3.2", False)
    assert new_code("(一)", ["（一）"]) == ("(一)", False)
    assert new_code("A" * 51, []) == ("A" * 51, False)


def test_changes_keep_the_forms_order_and_drop_same_values() -> None:
    now = {"text": "t", "owner": "甲", "deadline": "2024-10-31"}
    wanted = {"deadline": "2024-11-30", "owner": "乙", "text": "t"}
    assert list(changes(now, wanted).items()) == [
        ("owner", ("甲", "乙")),
        ("deadline", ("2024-10-31", "2024-11-30")),
    ]
    assert missing({"text": "t", "deadline": ""}) == ["area", "problem", "lead_unit", "owner"]
    assert (page_count(0, 10), page_count(10, 10), page_count(42, 10)) == (1, 1, 5)


def _row(**kw: Any) -> LedgerRow:
    fields: dict[str, Any] = {
        "row": 2, "code": "1.1", "area": "a", "problem": "p", "measure": "file text",
        "leader": "", "lead_unit": "u", "co_units": (), "owner": "o",
        "deadline": date(2024, 10, 31), "status": Status.IN_PROGRESS,
    }  # fmt: skip
    return LedgerRow(**(fields | kw))


def _stored(**kw: Any) -> dict[str, Any]:
    values = {
        "text": "file text", "area": "a", "problem": "p", "leader": "", "co_leaders": "",
        "lead_unit": "u", "co_units": "", "owner": "o", "co_owners": "",
        "deadline": "2024-10-31", "status": "in_progress", "progress": "",
        "original_deadline": None, "removed": False, "imported_status": "in_progress",
        "imported_deadline": "2024-10-31",
    }  # fmt: skip
    return values | kw


def test_an_import_keeps_chat_edits_unless_told_and_lists_them() -> None:
    stored = {"1.1": _stored(text="chat text", owner="new", chat=["owner", "text"])}
    plan = plan_import([_row()], stored)
    assert plan.kept_edits == {"1.1": {"text": ("chat text", "file text"), "owner": ("new", "o")}}
    assert plan.changed == [] and plan.unchanged == 1
    overwrite = plan_import([_row()], stored, keep_chat=False)
    assert overwrite.fields["1.1"] == {"text": ("chat text", "file text"), "owner": ("new", "o")}
    # the row written keeps the chat's values; the file's other change goes through
    row = kept_row(_row(problem="p2"), stored["1.1"], keep_chat=True)
    assert (row.measure, row.owner, row.problem) == ("chat text", "new", "p2")
    assert kept_row(_row(), stored["1.1"], keep_chat=False) == _row()


def test_a_measure_retired_in_chat_stays_out_unless_the_file_is_chosen() -> None:
    stored = {"1.1": _stored(removed=True, chat=["removed"])}
    plan = plan_import([_row(measure="other")], stored)
    assert plan.kept_edits == {"1.1": {"removed": (True, False)}}
    assert (plan.changed, plan.unchanged, plan.missing) == ([], 1, [])
    back = plan_import([_row()], stored, keep_chat=False)
    assert back.fields["1.1"] == {"removed": (True, False)}
    # one removed by an import is not a chat edit: it comes back as before
    assert plan_import([_row()], {"1.1": _stored(removed=True)}).changed == ["1.1"]


def _e(action: str, day: int, **after: Any) -> Recorded:
    at = datetime(2024, 10, day, 2, tzinfo=UTC)
    return Recorded(7, action, at, at.date(), after)


def test_the_replay_follows_add_edit_and_retire() -> None:
    added = _e("measure.add", 1, text="t", area="a", problem="p", leader="", lead_unit="u",
               co_units="", owner="o", deadline=None, immediate=False, status="not_started")  # fmt: skip
    edited = _e(
        "measure.edit", 5, owner="o2", co_units="x、y", deadline="2024-12-31", immediate=False
    )
    retired = _e("measure.retire", 9, code="9.9", removed=True, reason="并入")
    history = [added, edited, retired]
    at4 = replay(history, datetime(2024, 10, 4, tzinfo=UTC))[7]
    assert (at4.names["owner"], at4.deadline, at4.status) == ("o", None, Status.NOT_STARTED)
    at8 = replay(history, datetime(2024, 10, 8, tzinfo=UTC))[7]
    assert (at8.names["owner"], at8.names["co_units"], at8.deadline) == (
        "o2", "x、y", date(2024, 12, 31),
    )  # fmt: skip
    assert 7 in live(replay(history, datetime(2024, 10, 9, 2, tzinfo=UTC)))  # not with it
    assert live(replay(history, datetime(2024, 10, 10, tzinfo=UTC))) == {}
