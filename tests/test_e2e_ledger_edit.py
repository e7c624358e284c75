"""End to end: the ledger edited in chat (/edit: change, add, retire) and a later import (issue 29)."""

from __future__ import annotations

from datetime import date

from conftest import ADMIN, Bot, button, sample
from rhythm_support import OWNER_A, seed
from signoff_support import alert
from sqlmodel import select

from storage.models import AuditEvent, Measure

TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"
FORM_132 = (
    "修改整改措施1.3.2\n"
    f"整改措施：{TEXT_132}\n"
    "牵头单位：城市管理局\n"
    "责任单位：建设局\n"
    "责任人：城市管理局联络员\n"
    "完成时限：2024年10月31日\n"
    "请选择要修改的内容。"
)


async def _measure(bot: Bot, code: str) -> Measure:
    async with bot.db.session() as s:
        return (await s.exec(select(Measure).where(Measure.code == code))).one()


async def _fill(bot: Bot, user: object, form: object, field: str, typed: str) -> str:
    """Press a field's button on the form, send its value; the bot's answer."""
    await bot.press(user, form, button(form, "ed:", f":{field}"))  # type: ignore[arg-type]
    return (await bot.say(user, typed)).plain  # type: ignore[arg-type]


async def test_a_change_in_chat_is_told_audited_and_kept_by_a_later_import(bot: Bot) -> None:
    await seed(bot)
    form = await bot.say(ADMIN, "/edit 1.3.2")
    assert form.plain == FORM_132
    assert [label for label, _ in form.buttons] == [
        "整改措施", "牵头单位", "责任单位", "责任人", "完成时限", "撤销", "保存", "取消",
    ]  # fmt: skip
    # an impossible date is refused and asked again; the next text is another try
    await bot.press(ADMIN, form, button(form, "ed:", ":deadline"))
    assert bot.api.last_to(ADMIN.id).plain == (
        "请发送完成时限，例如“2024年12月31日”；长期坚持的请发送“长期”。发送 /cancel 可不保存退出。"
    )
    refused = await bot.say(ADMIN, "2024-02-30")
    assert refused.plain == (
        "该日期无法识别。请发送2000年至2099年间的有效日期，例如“2024年12月31日”；长期坚持的请发送“长期”。"
    )
    assert (await bot.say(ADMIN, "立行立改")).plain.startswith("“立行立改”仅在导入整改台账时设定。")
    form = await bot.say(ADMIN, "2024年11月30日")
    assert form.plain.split("\n")[-2:] == [
        "尚未保存：完成时限由2024年10月31日改为2024年11月30日",
        "请点击“保存”予以记录，或继续修改其他内容。",
    ]
    new_text = "建成虎峰山乡镇水厂并全面投用"
    assert f"整改措施：{new_text}" in await _fill(bot, ADMIN, form, "text", new_text)
    form = bot.api.last_to(ADMIN.id)
    before = len(bot.api.messages_to(OWNER_A.id))
    save = button(form, "ed:", ":save")
    await bot.press(ADMIN, form, save)
    assert form.plain == (
        f"已保存。1.3.2：整改措施由{TEXT_132}改为{new_text}；"
        "完成时限由2024年10月31日改为2024年11月30日。已通知1名责任人。"
    )
    [told] = [m.plain for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert told == (
        "整改专班修改了P台账中的整改措施：\n"
        f"• 1.3.2：整改措施由{TEXT_132}改为{new_text}；完成时限由2024年10月31日改为2024年11月30日"
    )
    m = await _measure(bot, "1.3.2")
    assert (m.text, m.deadline) == (new_text, date(2024, 11, 30))
    async with bot.db.session() as s:
        event = (await s.exec(select(AuditEvent).where(AuditEvent.action == "measure.edit"))).one()
    assert event.actor == f"tg:{ADMIN.id}" and '"deadline": "2024-11-30"' in event.after
    # a press on the saved form finds nothing to save
    assert await alert(bot, ADMIN, form, save) == "此按钮已失效。"

    # the same file again: the chat's edit is a conflict the preview shows, kept unless chosen
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    lines = preview.plain.split("\n")
    at = lines.index("以下内容系导入后在对话中修改，除非另行选择，将予保留：")
    assert lines[at + 1] == f"• 1.3.2：整改措施{new_text}（文件为{TEXT_132}）"
    assert "• 1.3.2：2024年11月30日（文件为2024年10月31日）" in lines
    assert [label for label, _ in preview.buttons] == ["导入", "导入，以文件为准", "取消"]
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    m = await _measure(bot, "1.3.2")
    assert (m.text, m.deadline) == (new_text, date(2024, 11, 30))
    # unless the coordinator takes the file's values
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    await bot.press(ADMIN, preview, button(preview, "imp:file"))
    m = await _measure(bot, "1.3.2")
    assert (m.text, m.deadline) == (TEXT_132, date(2024, 10, 31))
    # and then nothing is left in conflict
    again = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    assert again.plain == "无需更新：台账已与ledger.csv一致。"
