"""End to end: a re-import keeps what was decided in chat: an approved extension (issue 24)."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, SH, Bot, button, sample
from rhythm_support import OWNER_A, measure_id
from signoff_support import COORD_B, alert, ask_extension, ask_signoff
from sqlmodel import select
from test_e2e_signoff import _start

from storage.models import Measure, SignoffRequest


async def _extend_132(bot: Bot) -> None:
    """The owner asks for 30 November instead of 31 October; a coordinator approves."""
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await ask_extension(bot, OWNER_A, dispatch, m132, "2024年11月30日", "设备到货推迟。")
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))


async def _deadline(bot: Bot) -> date | None:
    async with bot.db.session() as s:
        return (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one().deadline


async def test_a_reimport_keeps_an_extension_unless_the_file_is_chosen(bot: Bot) -> None:
    await _start(bot)
    await _extend_132(bot)
    assert await _deadline(bot) == date(2024, 11, 30)
    # the same file again: the extension is a conflict the preview shows, not a change
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    lines = preview.plain.split("\n")
    at = lines.index("以下完成时限系导入后在对话中修改（如经批准延期），除非另行选择，将予保留：")
    assert lines[at + 1] == "• 1.3.2：2024年11月30日（文件为2024年10月31日）"
    assert "1.3.2：完成时限" not in preview.plain
    assert [label for label, _ in preview.buttons] == ["导入", "导入，完成时限以文件为准", "取消"]
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    assert await _deadline(bot) == date(2024, 11, 30)
    # unless the coordinator chooses the file's deadline
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    await bot.press(ADMIN, preview, button(preview, "imp:file"))
    assert await _deadline(bot) == date(2024, 10, 31)


async def test_a_reimport_with_the_files_statuses_withdraws_an_open_sign_off_request(
    bot: Bot,
) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["a.pdf"])
    copy_a = next(m for m in bot.api.messages_to(ADMIN.id) if "dec:1:ok" in str(m.buttons))
    copy_b = bot.api.last_to(COORD_B.id)
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    assert "• 1.3.2：待销号（文件为推进中）" in preview.plain.split("\n")
    before = len(bot.api.messages_to(OWNER_A.id))
    await bot.press(ADMIN, preview, button(preview, "imp:file"))
    told = [m.plain for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert (
        "您对1.3.2的销号申请已撤回：整改专班导入的整改台账显示其状态为推进中。"
        "如已完成，请重新申请销号。"
    ) in told
    # Approve and Send back say what happened, and decide nothing
    said = await alert(bot, ADMIN, copy_a, "dec:1:ok")
    assert said == "1.3.2的销号申请已撤回：整改台账现显示其状态为推进中，无需审核。"
    said = await alert(bot, COORD_B, copy_b, "dec:1:back")
    assert said == (
        "The sign-off request for 1.3.2 was withdrawn: the ledger now gives it as in progress."
        " There is nothing to decide."
    )
    assert (await bot.say(ADMIN, "/pending")).plain == "目前没有待审核的销号申请。"
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        request = (await s.exec(select(SignoffRequest))).one()
    assert (m.status, request.state) == ("in_progress", "withdrawn")


async def test_an_extension_stays_when_the_same_row_changes_in_another_column(bot: Bot) -> None:
    # the row is written for its other change: the deadline kept must not be written with it
    await _start(bot)
    await _extend_132(bot)
    text = sample("ledger.zh.csv").decode("utf-8-sig")
    edited = text.replace("建成虎峰山乡镇水厂并投用", "建成虎峰山乡镇水厂并全面投用", 1)
    assert edited != text
    preview = await bot.upload(ADMIN, "ledger.csv", edited.encode())
    assert "• 1.3.2：2024年11月30日（文件为2024年10月31日）" in preview.plain.split("\n")
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
    assert (m.text[:14], m.deadline) == ("建成虎峰山乡镇水厂并全面投用", date(2024, 11, 30))
