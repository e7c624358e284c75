"""The use cases own the transaction: no handler commits, "saved" is said only of what is, and a
decision edits the coordinators' copies through the outbox."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, measure_id
from signoff_support import COORD_B, ask_signoff, step, upload
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from test_e2e_signoff import COPY_EN, COPY_ZH, REPORT, _start

from bot.app import services_of
from storage.models import AuditEvent, EvidenceFile, OutboxMessage, ProgressUpdate, SignoffRequest
from usecases.notices import planned

HANDLERS = Path(__file__).resolve().parent.parent / "handlers"
APOLOGY = "抱歉，处理这次操作时出错，请重试。"


def test_no_handler_commits() -> None:
    # the gate's session commits once per update; a handler that commits splits the unit of work
    found = [
        f"{path.name}:{node.lineno}"
        for path in sorted(HANDLERS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]
    assert found == []


async def test_a_failed_commit_never_says_saved(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    database = bot.db
    real = database.session
    failed: list[bool] = []

    @contextlib.asynccontextmanager
    async def failing() -> AsyncIterator[AsyncSession]:
        async with real() as s:
            yield s
            if planned(s) and not failed:  # the update that planned the coordinators' copies
                failed.append(True)
                raise RuntimeError("the database went away at the commit")

    mid = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"ans:{mid}:done")
    await bot.say(OWNER_A, REPORT)
    await upload(bot, OWNER_A, "验收报告.pdf")
    await step(bot, OWNER_A, "f:")
    confirm = bot.api.last_to(OWNER_A.id)
    before = len(bot.api.messages_to(COORD_B.id))
    monkeypatch.setattr(database, "session", failing)
    query = bot.api.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    await bot.settle()
    assert failed == [True]
    answered = bot.api.answer_to(query)
    assert answered is not None and answered.get("text") == APOLOGY  # the usual apology
    assert confirm.history == [] and bot.api.last_to(OWNER_A.id) is confirm  # no "saved"
    assert len(bot.api.messages_to(COORD_B.id)) == before  # nobody was told of it
    async with bot.db.session() as s:  # nothing half-written
        for model in (SignoffRequest, ProgressUpdate, EvidenceFile):
            assert (await s.exec(select(model))).all() == [], model.__name__
        notices = select(OutboxMessage).where(OutboxMessage.beat == "notice")
        assert (await s.exec(notices)).all() == []
        actions = (await s.exec(select(AuditEvent.action))).all()
    assert "measure.signoff_request" not in actions


async def test_a_decision_edits_the_copies_through_the_outbox(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the edits are planned with the decision: a crash right after its commit (here: the sender
    # never started) loses none; the next start edits every copy
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["a.pdf", "b.pdf"])
    copy_a, copy_b = bot.api.last_to(ADMIN.id), bot.api.last_to(COORD_B.id)
    monkeypatch.setattr(services_of(bot.app).courier, "deliver_notices", lambda: None)
    bot.clock.set(datetime(2024, 9, 30, 11, 30, tzinfo=SH))
    query = bot.api.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    await bot.settle()
    answered = bot.api.answer_to(query)
    assert answered is not None and answered.get("text") == "Signed off."
    assert (copy_a.plain, copy_b.plain) == (COPY_ZH, COPY_EN)  # not edited yet
    async with bot.db.session() as s:
        rows = (await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "edit"))).all()
    assert sorted((r.chat_id, r.message_id, r.state) for r in rows) == sorted(
        [(ADMIN.id, copy_a.message_id, "queued"), (COORD_B.id, copy_b.message_id, "queued")]
    )
    monkeypatch.undo()
    await bot.restart()  # the process is gone; the next start resumes the outbox
    await bot.api.wait_until(lambda: copy_a.buttons == [] and copy_b.buttons == [])
    await bot.settle()
    assert copy_b.plain == COPY_EN + "\n\n✅ Signed off by 专班成员乙 at 30 September, 11:30."
    assert copy_a.plain == COPY_ZH + "\n\n✅ 专班成员乙已于9月30日11:30同意销号。"
    assert bot.api.last_to(OWNER_A.id).plain == (
        "1.3.2已销号。\n✅ 专班成员乙已于9月30日11:30同意销号。"
    )


async def test_setup_says_the_group_is_attached_only_once_it_is(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a report run right after the reply must find the group attached (the sandbox's spare group
    # got no report when its beat ran between the reply and the commit); a failed commit says so
    from conftest import GROUP

    from storage import programmes
    from storage.models import Programme

    await bot.say(ADMIN, "/newprogramme 巡视整改")
    database = bot.db
    real, attach = database.session, programmes.attach_chat
    failed: list[bool] = []

    async def attaching(session: AsyncSession, **kw: Any) -> None:
        await attach(session, **kw)
        session.info["attached"] = True

    @contextlib.asynccontextmanager
    async def failing() -> AsyncIterator[AsyncSession]:
        async with real() as s:
            yield s
            if s.info.get("attached") and not failed:
                failed.append(True)
                raise RuntimeError("the database went away at the commit")

    monkeypatch.setattr(programmes, "attach_chat", attaching)
    monkeypatch.setattr(database, "session", failing)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup 巡视整改")
    answers = await bot.answers(GROUP.id, mark)
    assert failed == [True]
    assert [a.plain for a in answers] == [APOLOGY]
    monkeypatch.setattr(database, "session", real)
    async with bot.db.session() as s:
        programme = (await s.exec(select(Programme))).one()
    assert programme.leadership_chat_id is None
