"""End to end: a measure reported blocked reaches its responsible leader and the task force at once."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, TASKFORCE, Bot, button
from rhythm_support import LEADER, OWNER_A, measure_id, seed, tick

ALERT_ZH = [
    "⛔ 推进受阻：1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题",
    "责任人：城市管理局联络员（城市管理局）· 完成时限：2024年10月31日",
    "受阻原因：“二期管网资金缺口约800万元，请财政局协调拨付”（9月30日反馈）",
    "请研究协调解决。",
]


async def test_blocked_answer_alerts_leader_and_taskforce(bot: Bot) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, "/setup P taskforce")
    await bot.api.wait_for(TASKFORCE.id, since=mark)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    before_leader = len(bot.api.messages_to(LEADER.id))
    before_taskforce = len(bot.api.messages_to(TASKFORCE.id))
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:block")
    await bot.say(OWNER_A, "一期已完成")
    await bot.say(OWNER_A, "60")
    await bot.say(OWNER_A, "二期管网资金缺口约800万元，请财政局协调拨付")
    last = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, last, button(last, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    await bot.api.wait_until(lambda: len(bot.api.messages_to(LEADER.id)) == before_leader + 1)
    await bot.api.wait_until(lambda: len(bot.api.messages_to(TASKFORCE.id)) == before_taskforce + 1)
    alert = bot.api.last_to(LEADER.id)
    assert alert.plain.split("\n") == ALERT_ZH
    assert bot.api.last_to(TASKFORCE.id).plain.split("\n") == ALERT_ZH
    assert alert.buttons == [
        ("督办", f"fu:{m132}")
    ]  # the recorded 督办 (tests/test_e2e_followup.py)
    assert bot.api.last_to(TASKFORCE.id).buttons == alert.buttons

    # a "remind" button from before 督办 was recorded still asks the owner again
    before_owner = len(bot.api.messages_to(OWNER_A.id))
    bot.api.press(LEADER, alert, f"chase:{m132}:remind")
    await bot.settle()
    [asked] = bot.api.messages_to(OWNER_A.id)[before_owner:]
    assert asked.plain == (
        "⏰ 管委会副主任（分管城建）请您反馈整改措施1.3.2（建成虎峰山乡镇水厂并投用，"
        "解决未实现自来水入户问题）的最新进展，请于10月8日前点击下方按钮反馈。"
    )
    assert [data for _, data in asked.buttons] == [f"m:{m132}"]
    assert bot.api.calls("answerCallbackQuery")[-1]["text"] == "已向城市管理局联络员催办。"
    # and reads the latest answer in full
    await bot.press(LEADER, alert, f"chase:{m132}:latest")
    assert bot.api.last_to(LEADER.id).plain == (
        "1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题的最新反馈：\n"
        "↳ 推进受阻 · 60% · “二期管网资金缺口约800万元，请财政局协调拨付”（9月30日，城市管理局联络员）"
    )
    # an owner's press is refused and sends nothing
    sent = len(bot.api.sent)
    bot.api.press(OWNER_A, asked, f"chase:{m132}:remind")
    await bot.settle()
    assert len(bot.api.sent) == sent


async def test_an_on_track_answer_alerts_nobody(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    before = len(bot.api.messages_to(LEADER.id))
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:ok")
    await bot.say(OWNER_A, "进展顺利")
    await bot.say(OWNER_A, "70")
    last = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, last, button(last, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    await bot.settle()
    assert len(bot.api.messages_to(LEADER.id)) == before


async def test_a_blocker_at_half_past_seven_shows_its_own_day(bot: Bot) -> None:
    """Issue 22: 7:30 in Shanghai is 23:30 UTC the day before; people read Shanghai's day."""
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, "/setup P taskforce")
    await bot.api.wait_for(TASKFORCE.id, since=mark)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    bot.clock.set(datetime(2024, 10, 2, 7, 30, tzinfo=SH))
    before = len(bot.api.messages_to(LEADER.id))
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:block")
    await bot.say(OWNER_A, "一期已完成")
    await bot.say(OWNER_A, "60")
    await bot.say(OWNER_A, "二期管网资金缺口约800万元，请财政局协调拨付")
    last = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, last, button(last, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    await bot.api.wait_until(lambda: len(bot.api.messages_to(LEADER.id)) == before + 1)
    assert bot.api.last_to(LEADER.id).plain.split("\n")[2] == (
        "受阻原因：“二期管网资金缺口约800万元，请财政局协调拨付”（10月2日反馈）"
    )
    bot.clock.set(datetime(2024, 10, 9, 16, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(TASKFORCE.id, mark) if "研判" in m.plain]
    assert (
        "    ↳ 推进受阻 · 60% · “二期管网资金缺口约800万元，请财政局协调拨付”"
        "（10月2日，城市管理局联络员）"
    ) in review.plain.split("\n")


async def test_a_button_that_posts_works_only_in_its_own_programme_s_group(bot: Bot) -> None:
    from conftest import GROUP
    from fakebot import Chat

    nowhere, other = Chat(-1050, "supergroup", "闲聊群"), Chat(-1051, "supergroup", "Q的群")
    await seed(bot)
    m132 = await measure_id(bot, "1.3.2")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    [own] = await bot.answers(GROUP.id, mark)
    await bot.say(ADMIN, "/newprogramme Q")
    mark = bot.api.mark()
    bot.api.send_group(other, ADMIN, "/setup Q")
    [in_other] = await bot.answers(other.id, mark)
    mark = bot.api.mark()
    bot.api.send_group(nowhere, LEADER, "/summary")
    [in_nowhere] = await bot.answers(nowhere.id, mark)
    # a modified client sends P's "latest answer" button in Q's group and in a group of nobody's
    for who, msg in ((LEADER, in_other), (LEADER, in_nowhere), (ADMIN, in_other)):
        before = len(bot.api.messages_to(msg.chat_id))
        bot.api.press(who, msg, f"chase:{m132}:latest")
        await bot.settle()
        assert len(bot.api.messages_to(msg.chat_id)) == before
        assert bot.api.calls("answerCallbackQuery")[-1]["text"] == "该按钮不属于本群。"
    # and a follow-up pressed there records nothing and asks nobody
    before = len(bot.api.sent)
    bot.api.press(LEADER, in_other, f"fu:{m132}")
    await bot.settle()
    assert len(bot.api.sent) == before
    # in P's own group it posts, as it should
    await bot.press(LEADER, own, f"chase:{m132}:latest")
    assert bot.api.last_to(GROUP.id).plain == "1.3.2尚无反馈记录。"
