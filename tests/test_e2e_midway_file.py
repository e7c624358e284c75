"""End to end: a photo or file sent in the middle of an answer is evidence for it (issue 24)."""

from __future__ import annotations

from datetime import datetime

from conftest import SH, Bot, button
from rhythm_support import OWNER_A, measure_id, seed, tick


async def test_files_sent_mid_answer_join_it_and_keep_the_typed_note(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    # a photo before the note: it is kept, and the note is asked for again
    mark = bot.api.mark()
    bot.api.upload_photo(OWNER_A, b"\xff\xd8 site photo")
    said = [m.plain for m in await bot.answers(OWNER_A.id, mark)]
    assert said[0] == "已收到1.3.2的第1份佐证资料（照片），将随本次反馈一并提交。"
    assert said[1].startswith("请简要填写1.3.2的进展情况")
    await bot.say(OWNER_A, "已完成方案编制")
    # a file replying to the dispatch while the percentage is asked: it joins, nothing restarts
    mark = bot.api.mark()
    bot.api.upload_document(
        OWNER_A, "方案.pdf", b"%PDF-1.4 plan", caption="方案全文", reply_to=dispatch
    )
    said = [m.plain for m in await bot.answers(OWNER_A.id, mark)]
    assert said == [
        "已收到1.3.2的第2份佐证资料（文件），将随本次反馈一并提交。",
        "目前完成进度是百分之多少（0–100）？",
    ]
    files = await bot.say(OWNER_A, "80")
    assert files.plain.startswith("已收到第2份佐证资料")
    await bot.press(OWNER_A, files, button(files, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    assert confirm.plain == (
        "请核对1.3.2的反馈内容：\n推进情况：正常推进\n情况说明：已完成方案编制\n"
        "完成进度：80%\n佐证资料：2份"
    )
