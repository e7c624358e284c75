"""End to end: leaders' follow-up (督办) from the group, look-back (回头看) holds and rebound."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, GROUP, SH, Bot
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import (
    COORD_B,
    add_coordinator,
    alert,
    ask_signoff,
    status_of,
    step,
    upload,
)
from sqlmodel import select

from core.i18n import tr
from storage import programmes
from storage.models import AuditEvent, EvidenceFile
from storage.models_closing import FollowUp, LookBack
from usecases.report import monthly_package

STRANGER = User(778, "路人", language_code="zh-hans")
TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"


async def group_press(bot: Bot, user: User, msg: SentMessage, data: str) -> str:
    """Press a button of a group message; the callback answer's text (the group gets nothing)."""
    before = len(bot.api.messages_to(GROUP.id))
    text = await alert(bot, user, msg, data)
    assert len(bot.api.messages_to(GROUP.id)) == before
    return text


async def test_follow_up_from_the_group_reaches_the_owner_and_the_review(bot: Bot) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))  # 1.3.2 overdue since 31 October
    m132 = await measure_id(bot, "1.3.2")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, LEADER, "/summary overdue")
    [overdue] = await bot.answers(GROUP.id, mark)
    assert overdue.buttons == [("督办1.3.2", f"fu:{m132}")]

    # a stranger and an owner are refused by a callback answer; the group sees nothing new
    assert await group_press(bot, STRANGER, overdue, f"fu:{m132}") == "抱歉，我无法为您办理此事。"
    refused = await group_press(bot, OWNER_B, overdue, f"fu:{m132}")
    assert refused == "抱歉，此功能仅限责任领导和整改专班成员使用。"
    async with bot.db.session() as s:
        assert not (await s.exec(select(FollowUp))).all()

    sent = await group_press(bot, LEADER, overdue, f"fu:{m132}")
    assert sent == "督办已发给城市管理局联络员，要求11月6日前反馈。"
    asked = bot.api.last_to(OWNER_A.id)
    assert asked.plain == (
        f"【督办】责任领导管委会副主任（分管城建）督办：1.3.2{TEXT_132}\n"
        "请于11月6日前通过下方按钮反馈进展。"
    )
    assert [label for label, _ in asked.buttons][:3] == ["✅ 正常推进", "⚠️ 存在风险", "⛔ 推进受阻"]
    async with bot.db.session() as s:
        [row] = (await s.exec(select(FollowUp))).all()
        assert (row.measure_id, row.reply_by, row.answered_at) == (m132, date(2024, 11, 6), None)
        events = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "measure.followup"))
        ).all()
        assert [e.entity_id for e in events] == [m132]

    # the owner answers through the usual conversation the next morning
    bot.clock.set(datetime(2024, 11, 6, 10, 0, tzinfo=SH))
    await bot.press(OWNER_A, asked, f"ans:{m132}:ok")
    await bot.say(OWNER_A, "水厂主体已完工，正在调试。")
    await bot.say(OWNER_A, "90")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    async with bot.db.session() as s:
        [row] = (await s.exec(select(FollowUp))).all()
        assert row.answered_at is not None and row.update_id is not None

    # the review lists the follow-up and that it was answered in time, with 督办 under red items
    bot.clock.set(datetime(2024, 11, 6, 16, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if "研判" in m.plain]
    lines = review.plain.split("\n")
    at = lines.index("上次研判以来的督办事项：")
    assert lines[at + 1] == "1.3.2：管委会副主任（分管城建），11月5日督办；已按时反馈（11月6日）"
    assert [label for label, _ in review.buttons] == ["提示函1.3.2", "督办1.3.2"]

    history = (await bot.say(LEADER, "/history 1.3.2")).plain.split("\n")
    assert history[-2:] == [
        "2. 2024年11月5日9:00 · 管委会副主任（分管城建） · 督办，要求2024年11月6日前反馈 · 已于2024年11月6日反馈",
        "3. 2024年11月6日10:00 · 城市管理局联络员 · 反馈进展：正常推进 · 90% · “水厂主体已完工，正在调试。”",
    ]
    # the monthly report carries a 督办 button under each overdue item too
    bot.clock.set(datetime(2024, 12, 2, 11, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/report")
    posted = await bot.answers(GROUP.id, mark)
    [report] = [m for m in posted if m.plain.startswith("📋")]
    last = [m for m in posted if m.method == "sendMessage" and not m.plain.startswith("🔎")][-1]
    assert "2024年11月" in report.plain and last.buttons == [("督办1.3.2", f"fu:{m132}")]
    assert pid


HISTORY_ZH = f"""整改措施1.3.2的历史记录：{TEXT_132}
1. 2024年9月30日10:00 · test · 录入整改台账
2. 2024年9月30日10:00 · 城市管理局联络员 · 反馈进展：正常推进 · “水厂已投用。” · 1份佐证资料
3. 2024年9月30日10:00 · 城市管理局联络员 · 申请销号：“水厂已投用。”（1份佐证资料）
4. 2024年9月30日11:00 · Admin · 同意销号（已销号）
5. 2024年10月30日10:00 · 城市管理局联络员 · 回头看：出现反弹，已重新打开：“入户水压不足，部分村组停水。”
6. 2024年11月4日9:30 · 城市管理局联络员 · 反馈进展：正常推进 · 20% · “已启动加压泵站改造。”"""
HISTORY_EN = f"""History of 1.3.2 {TEXT_132}
1. 30 September 2024, 10:00 · test · Entered in the ledger
2. 30 September 2024, 10:00 · 城市管理局联络员 · Progress update: on track · “水厂已投用。” · 1 file
3. 30 September 2024, 10:00 · 城市管理局联络员 · Sign-off requested: “水厂已投用。” (1 file)
4. 30 September 2024, 11:00 · Admin · Signed off (closed)
5. 30 October 2024, 10:00 · 城市管理局联络员 · Look-back: rebound, reopened: “入户水压不足，部分村组停水。”
6. 4 November 2024, 9:30 · 城市管理局联络员 · Progress update: on track · 20% · “已启动加压泵站改造。”"""


async def test_look_back_rebound_reopens_and_the_next_dispatch_lists_it(bot: Bot) -> None:
    pid = await seed(bot)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    await bot.say(ADMIN, "/use P")
    refused = await bot.say(ADMIN, "/schedule lookback 0")
    assert refused.plain == "回头看时间为销号后的天数，可设为1至730天，例如 /schedule 回头看 90。"
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/schedule lookback 30")
    changed, shown = await bot.answers(ADMIN.id, mark)
    assert changed.plain == "工作节奏已修改。"
    assert "• 回头看：销号后30天（遇非工作日顺延至下一个工作日），于每周调度时间询问" in shown.plain
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None and programme.lookback_days == 30

    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["a.pdf"])
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.3", "管网已完工。", ["b.pdf"])
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    for request in (1, 2):
        copy = next(
            m for m in bot.api.messages_to(ADMIN.id) if (f"dec:{request}:ok") in str(m.buttons)
        )
        await bot.press(ADMIN, copy, f"dec:{request}:ok")

    # 30 days after 30 September: Wednesday 30 October, at the dispatch time
    await tick(bot, pid, datetime(2024, 10, 30, 8, 59, tzinfo=SH))
    assert not [m for m in bot.api.messages_to(OWNER_A.id) if m.plain.startswith("🔁")]
    await tick(bot, pid, datetime(2024, 10, 30, 9, 30, tzinfo=SH))

    def looked_back() -> list[SentMessage]:
        return [m for m in bot.api.messages_to(OWNER_A.id) if m.plain.startswith("🔁")]

    await bot.api.wait_until(lambda: len(looked_back()) == 2)  # one a second to one chat
    asked = sorted(looked_back(), key=lambda m: m.plain)  # each measure's job runs on its own
    assert [m.plain for m in asked] == [
        f"🔁 回头看：1.3.2{TEXT_132}\n该整改措施已于9月30日销号。整改成效是否巩固？请于11月6日前反馈。",
        "🔁 回头看：1.3.3推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题\n"
        "该整改措施已于9月30日销号。整改成效是否巩固？请于11月6日前反馈。",
    ]
    q132, q133 = asked
    assert [label for label, _ in q132.buttons] == ["✅ 成效巩固", "↩️ 出现反弹"]

    bot.clock.set(datetime(2024, 10, 30, 10, 0, tzinfo=SH))
    await bot.press(OWNER_A, q132, q132.buttons[1][1] or "")
    assert bot.api.last_to(OWNER_A.id).plain == (
        "请简要说明1.3.2出现的反弹情况，该整改措施将重新打开。发送 /cancel 可暂不反馈。"
    )
    done = await bot.say(OWNER_A, "入户水压不足，部分村组停水。")
    assert done.plain == "已记录：1.3.2出现反弹，已重新打开，将纳入每周调度。"
    assert bot.api.last_to(ADMIN.id).plain == (
        f"↩️ 回头看：城市管理局联络员反映1.3.2{TEXT_132}出现反弹：入户水压不足，部分村组停水。\n"
        "该整改措施已重新打开，将纳入每周调度。"
    )
    again = await alert(bot, OWNER_A, q132, q132.buttons[0][1] or "")
    assert again == "该回头看已反馈。"

    # never asked twice; the reopened measure is back in the next dispatch, and answering it
    # puts it back in progress
    await tick(bot, pid, datetime(2024, 11, 4, 9, 30, tzinfo=SH))
    assert len(looked_back()) == 2
    dispatch = bot.api.last_to(OWNER_A.id)
    assert "1.3.2" in dispatch.plain and "1.3.3" not in dispatch.plain
    m132 = await measure_id(bot, "1.3.2")
    assert f"md:{m132}" in str(dispatch.buttons)
    assert await status_of(bot, "1.3.2") == ("reopened", None)
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    await bot.say(OWNER_A, "已启动加压泵站改造。")
    await bot.say(OWNER_A, "20")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    assert await status_of(bot, "1.3.2") == ("in_progress", None)

    # the review lists the look-back nobody answered within 5 working days
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    bot.clock.set(datetime(2024, 11, 20, 16, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if "研判" in m.plain]
    assert review.plain.split("\n")[-2:] == [
        "超过5个工作日未反馈的回头看：",
        "1.3.3（回头看日期10月30日）",
    ]

    # a look-back note left unwritten does not take the text of an answer begun after it
    await bot.press(OWNER_A, q133, q133.buttons[0][1] or "")
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    percent = await bot.say(OWNER_A, "泵站设备已进场。")
    assert percent.plain == "目前完成进度是百分之多少（0–100）？"
    await bot.say(OWNER_A, "/cancel")
    async with bot.db.session() as s:
        assert not (await s.exec(select(LookBack).where(LookBack.verdict == "holds"))).all()

    # the other holds, with evidence before the note
    await bot.press(OWNER_A, q133, q133.buttons[0][1] or "")
    await upload(bot, OWNER_A, "水质检测.pdf")
    assert bot.api.last_to(OWNER_A.id).plain == "已收到第1份佐证资料，可继续上传或填写说明。"
    held = await bot.say(OWNER_A, "管网运行正常，水质检测合格。")
    assert held.plain == "已记录：1.3.3整改成效巩固。谢谢。"
    assert await status_of(bot, "1.3.3") == ("closed", date(2024, 9, 30))
    async with bot.db.session() as s:
        rows = (await s.exec(select(LookBack).order_by(LookBack.measure_id))).all()  # type: ignore[arg-type]
        assert [(r.measure_id, r.verdict) for r in rows] == [
            (m132, "rebound"),
            (await measure_id(bot, "1.3.3"), "holds"),
        ]
        files = (
            await s.exec(select(EvidenceFile).where(EvidenceFile.name == "水质检测.pdf"))
        ).all()
        assert len(files) == 1

    assert (await bot.say(OWNER_A, "/history 1.3.2")).plain == HISTORY_ZH
    held_line = (await bot.say(OWNER_A, "/history 1.3.3")).plain.split("\n")[-1]
    assert held_line == (
        "5. 2024年11月20日16:00 · 城市管理局联络员 · "
        "回头看：成效巩固：“管网运行正常，水质检测合格。” · 1份佐证资料"
    )
    assert (await bot.say(COORD_B, "/history 1.3.2")).plain == HISTORY_EN

    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        october, _ = await monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=tr("zh_CN")
        )
        november, _ = await monthly_package(
            s, programme=programme, period="2024-11", now=bot.clock.now(), t=tr("zh_CN")
        )
    # (the last line is the audit chain's anchor, tests/test_audit_trail.py)
    assert october.split("\n")[-3:-1] == [
        "本月完成回头看1项，成效巩固0项，出现反弹1项。",
        "出现反弹并重新打开：1.3.2。",
    ]
    assert november.split("\n")[-3:-1] == [
        "本月完成回头看1项，成效巩固1项，出现反弹0项。",
        "成效巩固：1.3.3。",
    ]
