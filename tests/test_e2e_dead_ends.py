"""End to end: nothing a person sends disappears (replies, free text, loose files, typed
percentages, evidence counts, unknown commands, /cancel), in Chinese and English."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot, button, sample
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed, tick
from sqlmodel import func, select

from core.render import callbacks
from storage.models import EvidenceFile, Measure, ProgressUpdate


async def _count(bot: Bot, model: type) -> int:
    async with bot.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(model))).one())


async def test_a_ledger_sent_as_a_reply_to_the_bot_is_imported(bot: Bot) -> None:
    created = await bot.say(ADMIN, "/newprogramme 巡视整改")
    preview = await bot.upload(ADMIN, "ledger.zh.xlsx", sample("ledger.zh.xlsx"), reply_to=created)
    assert "42" in preview.plain
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    assert await _count(bot, Measure) == 42


async def test_free_text_offers_the_measure_it_names(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    m133 = await measure_id(bot, "1.3.3")
    offer = await bot.say(OWNER_A, "1.3.3 本周又铺设了1公里")
    assert offer.plain == "是否将此内容记为1.3.3的进展？"
    assert [d for _, d in offer.buttons] == [callbacks.Answer(m133, "loose").pack()]
    await bot.press(OWNER_A, offer, callbacks.Answer(m133, "loose").pack())
    health = bot.api.last_to(OWNER_A.id)
    assert health.plain == "整改措施1.3.3进展如何？"
    await bot.press(OWNER_A, health, button(health, "h:", ":ok"))
    asked = bot.api.last_to(OWNER_A.id)
    assert asked.plain == "目前完成进度是百分之多少（0–100）？"  # the note came with the text
    await bot.press(OWNER_A, asked, button(asked, "p:"))
    files = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, files, button(files, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        [saved] = (await s.exec(select(ProgressUpdate))).all()
    assert (saved.measure_id, saved.note) == (m133, "1.3.3 本周又铺设了1公里")

    # no code named and two open measures: how to report, in the reader's language
    lost = await bot.say(OWNER_A, "本周又铺设了1公里")
    assert lost.plain == (
        "报送进展，请点击每周调度消息中的整改措施按钮，或直接回复调度消息，"
        "也可发送 /my 查看本人负责的整改措施。其他功能请发送 /help 查看。"
    )
    english = await bot.say(OWNER_B, "Site cleared")
    assert english.plain == (
        "To report progress, press a measure's button in the weekly dispatch, reply to the "
        "dispatch, or send /my to list your measures. /help lists everything else."
    )
    assert await _count(bot, ProgressUpdate) == 1


async def test_loose_file_typed_percentages_and_evidence_counts(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    m132 = await measure_id(bot, "1.3.2")
    which = await bot.upload(OWNER_A, "现场照片.pdf", b"%PDF-1.4 evidence")
    assert which.plain == "这份佐证资料属于哪项整改措施？"
    m133 = await measure_id(bot, "1.3.3")
    assert [d for _, d in which.buttons] == [
        callbacks.Answer(m132, "loose").pack(),
        callbacks.Answer(m133, "loose").pack(),
    ]
    await bot.press(OWNER_A, which, callbacks.Answer(m132, "loose").pack())
    health = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, health, button(health, "h:", ":ok"))
    await bot.say(OWNER_A, "已完成方案编制")
    skip = [("跳过", callbacks.PercentSkip(m132, 1).pack())]
    for typed, refusal in (
        ("0.4", "请按百分数填写，如0.4请填“40”，或点击“跳过”。"),
        ("120", "百分比应在0到100之间，请重新填写，或点击“跳过”。"),
        ("很多", "请填写0到100之间的整数（如“40”或“40%”），或点击“跳过”。"),
    ):
        again = await bot.say(OWNER_A, typed)
        assert (again.plain, again.buttons) == (refusal, skip)  # Skip stays on every re-ask
    files = await bot.say(OWNER_A, "四成")
    done = [("完成", callbacks.FilesDone(m132, 1).pack())]
    assert (files.plain, files.buttons) == (
        "已收到第1份佐证资料（文件），可继续上传或点击“完成”。",
        done,
    )
    mark = bot.api.mark()
    bot.api.upload_photo(OWNER_A, b"jpeg")
    [ack] = await bot.answers(OWNER_A.id, mark)
    assert (ack.plain, ack.buttons) == (
        "已收到第2份佐证资料（照片），可继续上传或点击“完成”。",
        done,
    )
    await bot.press(OWNER_A, ack, button(ack, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    assert confirm.plain == (
        "请核对1.3.2的反馈内容：\n推进情况：正常推进\n情况说明：已完成方案编制\n"
        "完成进度：40%\n佐证资料：2份"
    )
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        [saved] = (await s.exec(select(ProgressUpdate))).all()
    assert (saved.measure_id, saved.percent) == (m132, 40)
    assert await _count(bot, EvidenceFile) == 2


async def test_unknown_commands_and_cancel_with_nothing_open(bot: Bot) -> None:
    await seed(bot)
    expected = {
        OWNER_A: (
            "无法识别该命令。发送 /help 可查看可用的命令。",
            "当前没有正在填写的反馈，无需取消。",
        ),
        OWNER_B: (
            "I do not know that command. /help lists what you can do here.",
            "Nothing to cancel: no answer was being written.",
        ),
    }
    for user, (unknown, cancel) in expected.items():
        assert (await bot.say(user, "/frobnicate")).plain == unknown
        assert (await bot.say(user, "/cancel")).plain == cancel


async def test_english_percentages_and_evidence_count(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_B.id)
    m312 = await measure_id(bot, "3.1.2")
    await bot.press(OWNER_B, dispatch, callbacks.Answer(m312, "ok").pack())
    await bot.say(OWNER_B, "Foundations laid")
    refused = await bot.say(OWNER_B, "0.4")
    assert refused.plain == "Please send the percentage itself: for 0.4, send 40. Or press Skip."
    assert [d for _, d in refused.buttons] == [callbacks.PercentSkip(m312, 1).pack()]
    await bot.say(OWNER_B, "40%")
    mark = bot.api.mark()
    bot.api.upload_photo(OWNER_B, b"jpeg")
    [ack] = await bot.answers(OWNER_B.id, mark)
    assert ack.plain == "Received evidence file 1 (photo). Send more, or press Done."
