"""End to end: corpus ledgers sent to the bot, previewed with how they were read, imported as read."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ADMIN, Bot
from ledger_corpus import Case, cases
from sqlmodel import select

from storage.ledger_current import stored_ledger
from storage.models import Person, Programme

BY_NAME = {c.name: c for c in cases()}
THROUGH_THE_BOT = [
    "old Excel (.xls) with merges, dates and a footer",
    "status under 整改完成情况",
    "hidden rows are skipped and named",
    "several responsible leaders",
    "责任人 with 联系人 and 联系电话",
]


@pytest.mark.parametrize("name", THROUGH_THE_BOT)
async def test_a_corpus_ledger_is_imported_as_read(bot: Bot, name: str) -> None:
    case: Case = BY_NAME[name]
    await bot.say(ADMIN, "/newprogramme P")
    preview = await bot.upload(ADMIN, case.filename, case.make())
    assert preview.plain.startswith("P整改台账："), preview.plain
    assert "读取的列（字段：文件中的列名，两者不同时列出）：" in preview.plain
    for line in case.preview:
        assert line in preview.plain
    keep = [d for _, d in preview.buttons if d.startswith("imp:keep")]
    await bot.press(ADMIN, preview, keep[0])
    async with bot.db.session() as s:
        programme = (await s.exec(select(Programme))).one()
        assert programme.id is not None
        stored = await stored_ledger(s, programme.id)
        phones = {p.name: p.contact for p in (await s.exec(select(Person))).all() if p.contact}
    expected = case.expected()
    assert sorted(stored) == sorted(r["code"] for r in expected)
    for row in expected:
        got = stored[row["code"]]
        deadline: date | None = row["deadline"]
        assert got["text"] == row["measure"]
        assert (got["area"], got["problem"]) == (row["area"], row["problem"])
        assert (got["leader"], got["co_leaders"]) == (row["leader"], "、".join(row["co_leaders"]))
        assert (got["lead_unit"], got["co_units"]) == (row["lead_unit"], "、".join(row["co_units"]))
        assert (got["owner"], got["co_owners"]) == (row["owner"], "、".join(row["co_owners"]))
        assert got["deadline"] == (deadline.isoformat() if deadline else None)
        assert got["status"] == row["status"].value
        for person, phone in row["contacts"]:
            assert phones[person] == phone
