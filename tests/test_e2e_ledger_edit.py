"""End to end: the ledger edited in chat (/edit: change, add, retire) and a later import (issue 29)."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, SH, Bot, button, sample
from rhythm_support import LEADER, OWNER_A, OWNER_B, seed, tick
from signoff_support import COORD_B, add_coordinator, alert
from sqlmodel import select
from test_e2e_as_of import _report

from storage import decisions
from storage.models import AuditEvent, Measure, SignoffRequest

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


async def test_retired_leaves_the_counts_from_that_day_and_a_new_measure_joins(bot: Bot) -> None:
    pid = await seed(bot)
    september = await _report(bot, "2024-09")
    assert "截至9月底，42项整改措施已完成35项" in september
    bot.clock.set(datetime(2024, 10, 15, 10, 0, tzinfo=SH))
    # only coordinators edit; a second /edit makes the first form out of date
    said = (await bot.say(OWNER_A, "/edit 1.3.3")).plain
    assert said == "抱歉，此功能仅限整改专班成员使用。"
    old = await bot.say(ADMIN, "/edit 1.3.3")
    form = await bot.say(ADMIN, "/edit 1.3.3")
    stale = await alert(bot, ADMIN, old, button(old, "ed:", ":retire"))
    assert stale == "此表单已过期，请使用最新的表单，或重新发送 /edit 编号。"
    # a measure whose owner's request waits is decided first, not retired
    async with bot.db.session() as s:
        m = await _measure(bot, "1.3.3")
        request = await decisions.request_extension(
            s, measure=m, person_id=m.owner_id, actor="test", now=bot.clock.now(),
            new_deadline=date(2025, 3, 31), reason="冬季停工。",
        )  # fmt: skip
    await bot.press(ADMIN, form, button(form, "ed:", ":retire"))
    confirm = await bot.say(ADMIN, "已并入1.3.2统一实施。")
    said = await alert(bot, ADMIN, confirm, button(confirm, "ed:", ":save"))
    assert said == "1.3.3尚有申请待审核（/pending），请先作出决定，再撤销该整改措施。"
    async with bot.db.session() as s:
        decided = await s.get(SignoffRequest, request.id)
        assert decided is not None
        decided.state = "rejected"  # decided meanwhile
        s.add(decided)
    await bot.press(ADMIN, form, button(form, "ed:", ":retire"))
    assert bot.api.last_to(ADMIN.id).plain == (
        "请发送撤销1.3.3的理由，理由将记入其记录并告知责任人。发送 /cancel 可不保存退出。"
    )
    confirm = await bot.say(ADMIN, "已并入1.3.2统一实施。")
    assert confirm.plain == (
        "撤销整改措施1.3.3 推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题\n"
        "撤销理由：已并入1.3.2统一实施。\n"
        "自今日起，该措施不再计入整改台账各项数据、每周调度和汇报；其记录予以保留，此前的汇报不受影响。"
    )
    before = len(bot.api.messages_to(OWNER_A.id))
    await bot.press(ADMIN, confirm, button(confirm, "ed:", ":save"))
    assert confirm.plain == (
        "整改措施1.3.3已撤销，自今日起不再计入各项数据，其记录予以保留。已通知1名责任人。"
    )
    [told] = [m.plain for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert told.startswith("整改专班已撤销P台账中的整改措施1.3.3 推进城市供水管网延伸工程")
    assert (await _measure(bot, "1.3.3")).removed_at is not None
    # from that day on the counts leave it out; September's report says what it said
    assert "截至10月底，41项整改措施已完成35项" in await _report(bot, "2024-10")
    assert await _report(bot, "2024-09") == september
    summary = (await bot.say(ADMIN, "/summary")).plain
    assert summary.split("\n")[1] == "截至10月15日，41项整改措施已完成35项，其余6项正在按时序推进。"
    # its code stays taken, in any width
    for code in ("1.3.3", "１.３.３"):
        said = (await bot.say(ADMIN, f"/edit {code}")).plain
        assert said == (
            "编号1.3.3已在整改台账中使用（已撤销的整改措施仍保留其编号）。新增整改措施请另选编号。"
        )

    # a new code adds a measure: every field but the co-units, then Save
    form = await bot.say(ADMIN, "/edit 5.1.1")
    assert form.plain.split("\n")[:3] == [
        "新增整改措施5.1.1",
        "整改措施：尚未填写",
        "方面：尚未填写",
    ]
    said = await alert(bot, ADMIN, form, button(form, "ed:", ":save"))
    assert said == "尚需填写：整改措施、方面、问题、牵头单位、责任人和完成时限。"
    for field, typed in (
        ("text", "建立供水管网巡查长效机制"), ("area", "其他方面"), ("problem", "供水保障"),
        ("lead_unit", "城市管理局"), ("owner", "城市管理局联络员"), ("deadline", "长期"),
    ):  # fmt: skip
        await _fill(bot, ADMIN, form, field, typed)
        form = bot.api.last_to(ADMIN.id)
    assert "完成时限：长期坚持" in form.plain.split("\n")
    before = len(bot.api.messages_to(OWNER_A.id))
    await bot.press(ADMIN, form, button(form, "ed:", ":save"))
    assert form.plain == "整改措施5.1.1已加入整改台账。已通知1名责任人。"
    [told] = [m.plain for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert told == (
        "整改专班已在P台账中新增整改措施5.1.1 建立供水管网巡查长效机制，责任人为您，"
        "完成时限为长期坚持。该措施将列入您的每周调度。"
    )
    assert "截至10月底，42项整改措施已完成35项" in await _report(bot, "2024-10")
    assert await _report(bot, "2024-09") == september
    # /cancel closes an open form; nothing is saved
    form = await bot.say(ADMIN, "/edit 1.3.2")
    await bot.press(ADMIN, form, button(form, "ed:", ":owner"))
    assert (await bot.say(ADMIN, "/cancel")).plain == "已取消，未保存任何内容。"
    # the text after it is no field's value
    assert (await bot.say(ADMIN, "建设局联络员")).plain.startswith("报送进展，请点击每周调度消息")
    # the next Monday's dispatch lists the new measure, not the retired one
    await tick(bot, pid, datetime(2024, 10, 21, 9, 30, tzinfo=SH))
    dispatch = bot.api.last_to(OWNER_A.id).plain
    assert "5.1.1" in dispatch and "1.3.2" in dispatch and "1.3.3" not in dispatch


async def test_a_change_of_owner_tells_both_and_find_follows_it(bot: Bot) -> None:
    pid = await seed(bot)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    other = await bot.say(ADMIN, "/edit 1.3.2")  # another coordinator's form, open meanwhile
    form = await bot.say(COORD_B, "/edit 1.3.2")
    assert form.plain.split("\n")[0] == "Edit measure 1.3.2"
    await _fill(bot, COORD_B, form, "owner", "建设局联络员")
    form = bot.api.last_to(COORD_B.id)
    await _fill(bot, COORD_B, form, "lead_unit", "建设局")
    form = bot.api.last_to(COORD_B.id)
    said = await _fill(bot, COORD_B, form, "co_units", "财政局，自然资源局")
    assert said.split("\n")[1:] == [
        f"Measure: {TEXT_132}",
        "Lead unit: 建设局",
        "Co-units: 财政局、自然资源局",
        "Owner: 建设局联络员",
        "Deadline: 31 October 2024",
        "Not saved yet: Lead unit 城市管理局 → 建设局; Co-units 建设局 → 财政局、自然资源局;"
        " Owner 城市管理局联络员 → 建设局联络员",
        "Press Save to record the change, or change another field.",
    ]
    form = bot.api.last_to(COORD_B.id)
    was_a, was_b = len(bot.api.messages_to(OWNER_A.id)), len(bot.api.messages_to(OWNER_B.id))
    await bot.press(COORD_B, form, button(form, "ed:", ":save"))
    assert form.plain == (
        "Saved. 1.3.2: Lead unit 城市管理局 → 建设局; Co-units 建设局 → 财政局、自然资源局;"
        " Owner 城市管理局联络员 → 建设局联络员. 2 owners were told."
    )
    [to_a] = [m.plain for m in bot.api.messages_to(OWNER_A.id)[was_a:]]
    [to_b] = [m.plain for m in bot.api.messages_to(OWNER_B.id)[was_b:]]
    assert to_a.startswith(
        "整改专班修改了P台账中的整改措施：\n• 1.3.2：牵头单位由城市管理局改为建设局"
    )
    assert to_b == (
        "The task force changed a measure in the ledger of P:\n"
        "• 1.3.2: Lead unit 城市管理局 → 建设局; Co-units 建设局 → 财政局、自然资源局;"
        " Owner 城市管理局联络员 → 建设局联络员"
    )

    # the other form was opened on values that are no longer the ledger's: nothing is written
    await _fill(bot, ADMIN, other, "deadline", "2024-12-31")
    other = bot.api.last_to(ADMIN.id)
    await bot.press(ADMIN, other, button(other, "ed:", ":save"))
    assert other.plain == "1.3.2在打开本表单后已有变动，未作保存。请重新发送 /edit 1.3.2。"
    assert (await _measure(bot, "1.3.2")).deadline == date(2024, 10, 31)

    # /find: a Chinese substring, among the measures the caller may see
    found = await bot.say(OWNER_B, "/find 水厂")
    assert found.plain == "1 measure matches “水厂”. Press one to see it."
    assert [label for label, _ in found.buttons] == [f"1.3.2 {TEXT_132}"]
    await bot.press(OWNER_B, found, found.buttons[0][1])
    history = bot.api.last_to(OWNER_B.id).plain.split("\n")
    assert history[0].startswith("History of 1.3.2 建成虎峰山乡镇水厂")
    assert history[-1].endswith(" · 专班成员乙 · Edited in chat: Lead unit, Co-units, and Owner")
    # the former owner no longer sees it, and a forged press on it shows nothing
    none = await bot.say(OWNER_A, "/find 水厂")
    assert none.plain == (
        "在您可查看的整改措施中，没有与“水厂”相符的。请换用更短的词语、编号、单位或姓名再试。"
    )
    assert none.buttons == []
    assert await alert(bot, OWNER_A, none, found.buttons[0][1]) == "此按钮已失效。"
    # a leader sees the programme: the units' and owners' names match too, ten to a page
    found = await bot.say(LEADER, "/find 联络员")
    assert found.plain == "找到42项与“联络员”相符的整改措施。第1页，共5页。点击可查看详情。"
    assert len(found.buttons) == 11 and found.buttons[-1][0] == "下一页 ▶"
    first = [label for label, _ in found.buttons[:10]]
    await bot.press(LEADER, found, button(found, "fp:", ":1"))
    assert found.plain == "找到42项与“联络员”相符的整改措施。第2页，共5页。点击可查看详情。"
    assert [label for label, _ in found.buttons[-2:]] == ["◀ 上一页", "下一页 ▶"]
    assert not set(first) & {label for label, _ in found.buttons}
    # an older search's page buttons are out of date; /find alone says how
    older = found
    await bot.say(LEADER, "/find 建设局")
    said = await alert(bot, LEADER, older, button(older, "fp:", ":0"))
    assert said == "此查找结果已过期，请使用最新一次的查找结果，或重新发送 /find。"
    assert (await bot.say(OWNER_B, "/find")).plain.startswith("Please say what to look for:")
