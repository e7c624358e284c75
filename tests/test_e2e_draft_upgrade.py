"""End to end: an answer half written before the typed drafts carries on after the upgrade."""

from __future__ import annotations

import json
from datetime import datetime

from conftest import SH, Bot, button, make_app
from rhythm_support import OWNER_A, measure_id, seed, tick
from sqlmodel import select

from bot.lifecycle import start_app, stop_app
from storage.models import ProgressUpdate
from storage.models_people import PtbState


async def test_an_answer_stored_the_old_way_is_finished_after_the_upgrade(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    asked = await bot.say(OWNER_A, "已完成方案编制")
    assert asked.plain == "目前完成进度是百分之多少（0–100）？"
    await stop_app(bot.app)
    # the row as the dict-shaped user_data wrote it at this step, and a field that no longer fits
    old = {
        "draft_seq": 1,
        "draft": {
            "id": 1, "programme_id": pid, "measure_id": m132, "code": "1.3.2", "note": "已完成方案编制",
            "files": [], "signoff": False, "health": "on_track", "step": 2,
        },
        "lookback": "left by a version long gone",
    }  # fmt: skip
    async with bot.db.session() as s:
        row = await s.get(PtbState, f"user:{OWNER_A.id}")
        assert row is not None
        row.value = json.dumps(old, ensure_ascii=False)
        s.add(PtbState(key="user:424242", value="[1, 2]"))  # not even a mapping
        await s.commit()
    bot.app = make_app(bot.settings, bot.clock)
    await start_app(bot.app, poll_timeout=1)

    files = await bot.say(OWNER_A, "80")
    assert (
        files.plain == "如有佐证资料（文件或照片），请上传后点击“完成”；如无，请点击“无佐证资料”。"
    )
    await bot.press(OWNER_A, files, button(files, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    assert confirm.plain == (
        "请核对1.3.2的反馈内容：\n推进情况：正常推进\n情况说明：已完成方案编制\n"
        "完成进度：80%\n佐证资料：0份"
    )
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        [saved] = (await s.exec(select(ProgressUpdate))).all()
    assert (saved.measure_id, saved.note, saved.percent) == (m132, "已完成方案编制", 80)
