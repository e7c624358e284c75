"""End to end: an owner asks for a later deadline, a coordinator approves, the old one is kept."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, measure_id
from signoff_support import COORD_B, alert, ask_extension
from sqlmodel import select
from test_e2e_signoff import TEXT_132, _start

from storage.models import Measure, SignoffRequest

REASON = "设备到货推迟，需延后一个月调试。"
ASKED_ZH = (
    "📅 1.3.2延期申请\n"
    f"{TEXT_132}\n"
    "责任人：城市管理局联络员（城市管理局）\n"
    "完成时限：2024年10月31日\n"
    "申请延期至：2024年11月30日\n"
    "申请时间：9月30日10:00\n"
    f"延期理由：{REASON}"
)
DECIDED_EN = (
    "📅 Deadline extension request for 1.3.2\n"
    f"{TEXT_132}\n"
    "Owner: 城市管理局联络员 (城市管理局)\n"
    "Deadline: 30 November 2024\n"
    "First deadline: 31 October 2024\n"
    "New deadline asked for: 30 November 2024\n"
    "Asked on: 30 September, 10:00\n"
    f"Reason: {REASON}\n\n"
    "✅ Extension approved by 专班成员乙 at 30 September, 11:00."
)


async def test_extension_approved_keeps_the_original_deadline(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"m:{m132}")
    choices = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, choices, button(choices, "ext:"))
    assert bot.api.last_to(OWNER_A.id).plain == (
        "1.3.2的完成时限为2024年10月31日。请发送申请延期至的日期，例如“2024年12月31日”。"
        "发送 /cancel 可取消申请。"
    )
    early = await bot.say(OWNER_A, "2024-10-01")
    assert early.plain == "请发送2024年10月31日之后的日期，例如“2024年12月31日”。"
    why = await bot.say(OWNER_A, "2024年11月30日")
    assert why.plain == "请说明申请延期的理由，整改专班将据此审核。"
    sent = await bot.say(OWNER_A, REASON)
    assert sent.plain == "已提交。整改专班将审核1.3.2的延期申请。"
    copy_a, copy_b = bot.api.last_to(ADMIN.id), bot.api.last_to(COORD_B.id)
    assert copy_a.plain == ASKED_ZH
    assert copy_a.buttons == [("✅ 同意延期", "dec:1:ok"), ("✖️ 不同意", "dec:1:back")]
    assert copy_b.buttons == [("✅ Approve the extension", "dec:1:ok"), ("✖️ Refuse", "dec:1:back")]

    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    await bot.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    assert copy_b.plain == DECIDED_EN
    assert copy_a.plain.endswith("\n\n✅ 专班成员乙已于9月30日11:00同意延期。")
    assert bot.api.last_to(OWNER_A.id).plain == (
        "1.3.2的完成时限已延期至2024年11月30日（原定2024年10月31日）。\n"
        "✅ 专班成员乙已于9月30日11:00同意延期。"
    )
    late = await alert(bot, ADMIN, copy_a, "dec:1:back")
    assert late == "该申请已由专班成员乙于9月30日11:00处理。"
    mine = await bot.say(OWNER_A, "/my")
    assert (
        "🟢 1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题 · "
        "时限：延期至11月30日（原定10月31日） · 推进中"
    ) in mine.plain.split("\n")
    history = (await bot.say(COORD_B, "/history 1.3.2")).plain.split("\n")
    assert history[1:] == [
        "1. 30 September 2024, 10:00 · test · Entered in the ledger",
        f"2. 30 September 2024, 10:00 · 城市管理局联络员 · Extension to 30 November 2024 requested: {REASON}",
        "3. 30 September 2024, 11:00 · 专班成员乙 · Extension approved: deadline 30 November 2024"
        " (originally 31 October 2024)",
    ]
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.id == m132))).one()
    assert (m.deadline, m.original_deadline, m.status) == (
        date(2024, 11, 30),
        date(2024, 10, 31),
        "in_progress",
    )


async def test_extension_refused_with_a_reason_keeps_the_deadline(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m133 = await measure_id(bot, "1.3.3")
    await ask_extension(bot, OWNER_A, dispatch, m133, "2025-06-30", "雨季施工困难。")
    copy_a = bot.api.last_to(ADMIN.id)
    bot.clock.set(datetime(2024, 9, 30, 15, 0, tzinfo=SH))
    await bot.press(ADMIN, copy_a, "dec:1:back")
    assert bot.api.last_to(ADMIN.id).plain == (
        "请填写不同意1.3.3延期的理由，责任人将收到该理由。发送 /cancel 可暂不处理。"
    )
    done = await bot.say(ADMIN, "年底前须完成，请增加施工力量。")
    assert done.plain == "已不同意延期，理由已告知责任人。"
    assert copy_a.buttons == []
    assert bot.api.last_to(OWNER_A.id).plain == (
        "1.3.3的延期申请未获同意，完成时限仍为2024年12月31日。\n"
        "✖️ Admin已于9月30日15:00不同意延期。理由：年底前须完成，请增加施工力量。"
    )
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.id == m133))).one()
    assert (m.deadline, m.original_deadline) == (date(2024, 12, 31), None)
    history = (await bot.say(COORD_B, "/history 1.3.3")).plain.split("\n")
    assert history[-2:] == [
        "2. 30 September 2024, 10:00 · 城市管理局联络员 · Extension to 30 June 2025 requested: 雨季施工困难。",
        "3. 30 September 2024, 15:00 · Admin · Extension refused: 年底前须完成，请增加施工力量。",
    ]


async def _ask_extension(bot: Bot, code: str, wanted: str) -> str:
    """The owner presses 📅 on the measure and sends a date; the bot's answer to the date."""
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await bot.press(OWNER_A, dispatch, f"m:{await measure_id(bot, code)}")
    choices = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, choices, button(choices, "ext:"))
    return (await bot.say(OWNER_A, wanted)).plain


async def test_an_extension_must_ask_for_a_later_date_than_the_deadline(bot: Bot) -> None:
    await _start(bot)
    same = await _ask_extension(bot, "1.3.2", "2024年10月31日")  # the deadline itself
    assert same == "请发送2024年10月31日之后的日期，例如“2024年12月31日”。"
    next_day = await bot.say(OWNER_A, "2024-11-01")
    assert next_day.plain == "请说明申请延期的理由，整改专班将据此审核。"
    await bot.say(OWNER_A, REASON)
    async with bot.db.session() as s:
        [request] = (await s.exec(select(SignoffRequest))).all()
    assert (request.kind, request.new_deadline) == ("extension", date(2024, 11, 1))


async def test_a_refusal_written_after_an_approval_is_told_the_first_won(bot: Bot) -> None:
    await _start(bot)
    await _ask_extension(bot, "1.3.2", "2024-11-30")
    await bot.say(OWNER_A, REASON)
    copy_a, copy_b = bot.api.last_to(ADMIN.id), bot.api.last_to(COORD_B.id)
    # Admin starts refusing; while they write the reason, the other coordinator approves
    await bot.press(ADMIN, copy_a, "dec:1:back")
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    await bot.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    assert copy_b.plain == DECIDED_EN
    told = bot.api.last_to(OWNER_A.id).plain
    bot.clock.set(datetime(2024, 9, 30, 11, 5, tzinfo=SH))
    late = await bot.say(ADMIN, "理由不充分。")
    assert late.plain == "该申请已由专班成员乙于9月30日11:00处理。"
    # the approval stands: the request, the deadline, every copy and the owner's news
    async with bot.db.session() as s:
        request = (await s.exec(select(SignoffRequest))).one()
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
    assert (request.state, request.reason) == ("approved", "")
    assert (m.deadline, m.original_deadline) == (date(2024, 11, 30), date(2024, 10, 31))
    assert copy_b.plain == DECIDED_EN
    assert bot.api.last_to(OWNER_A.id).plain == told


async def test_an_answer_begun_after_an_unfinished_extension_gets_the_text(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"m:{m132}")
    choices = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, choices, button(choices, "ext:"))  # asked for a date, left it
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    percent = await bot.say(OWNER_A, "2024年11月30日前完成设备调试。")
    assert percent.plain == "目前完成进度是百分之多少（0–100）？"
    async with bot.db.session() as s:
        assert not (await s.exec(select(SignoffRequest))).all()
