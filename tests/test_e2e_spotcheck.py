"""End to end: random spot checks (随机抽查) drawn from the audit chain, checked, reopened, counted."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import datetime

import docx
import pytest
from conftest import ADMIN, SH, Bot
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, seed, tick
from signoff_support import COORD_B, add_coordinator, alert, ask_signoff, status_of
from sqlalchemy import text
from sqlmodel import col, select
from test_e2e_digests import group_say

from bot.cli import main
from core.domain.chain import Sealed, seal_of
from core.domain.spotcheck import Candidate, draw, forged, seed_of
from core.i18n import tr
from storage import audit, people, programmes
from storage.audit import sealed
from storage.models import AuditEvent, Person
from storage.models_closing import SpotCheck
from usecases.report import monthly_package

TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"


async def _signed_off(bot: Bot, pid: int) -> None:
    """1.3.2 and 1.3.3 (lead unit 城市管理局) signed off on 30 September, with evidence."""
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


async def _admin_in_unit(bot: Bot, pid: int, unit: str) -> None:
    """The admin coordinator belongs to a unit (as /people would record it)."""
    async with bot.db.session() as s:
        found = await people.unit_named(s, programme_id=pid, name=unit)
        me = (await s.exec(select(Person).where(Person.telegram_user_id == ADMIN.id))).one()
        me.unit_id = found.id
        s.add(me)


def _checks(bot: Bot, user: User) -> list[SentMessage]:
    return [m for m in bot.api.messages_to(user.id) if m.buttons and "sc:" in str(m.buttons)]


async def _recomputed(bot: Bot, pid: int) -> list[str]:
    """The draw as anyone recomputes it from the trail: seed from the head before it."""
    async with bot.db.session() as s:
        draws = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "spotcheck.draw")
                .order_by(col(AuditEvent.seq))
            )
        ).all()
        event = draws[-1]  # an earlier draw (September's, caught up) found nothing signed off
        assert all(audit.load(d.after)["drawn"] == [] for d in draws[:-1])
        rows = (await s.exec(select(SpotCheck).order_by(col(SpotCheck.id)))).all()
    after = audit.load(event.after)
    assert after["head"] == event.prev_hash and forged(event.prev_hash, after) is None
    pool = [Candidate(code, unit) for code, unit in after["candidates"]]
    assert pool == [Candidate("1.3.2", "城市管理局"), Candidate("1.3.3", "城市管理局")]
    codes = draw(seed_of(event.prev_hash, datetime.fromisoformat(after["day"]).date()), pool)
    assert after["drawn"] == codes and len(rows) == len(codes) == 2
    return codes


async def test_spot_check_zh_scheduled_draw_true_and_untrue_reopen_and_count(bot: Bot) -> None:
    pid = await seed(bot)
    await _signed_off(bot, pid)
    # the 10th working day of October 2024 (after the National Day holiday): Friday 18th
    await tick(bot, pid, datetime(2024, 10, 18, 9, 59, tzinfo=SH))
    assert _checks(bot, ADMIN) == []
    await tick(bot, pid, datetime(2024, 10, 18, 10, 0, tzinfo=SH))
    await bot.api.wait_until(lambda: len(_checks(bot, ADMIN)) == 2)
    codes = await _recomputed(bot, pid)
    checks = {m.plain.split("\n")[0].removeprefix("🔎 随机抽查："): m for m in _checks(bot, ADMIN)}
    assert sorted(checks) == ["1.3.2", "1.3.3"]
    c132, c133 = checks["1.3.2"], checks["1.3.3"]
    assert c132.plain == (
        f"🔎 随机抽查：1.3.2\n{TEXT_132}\n责任人：城市管理局联络员（城市管理局）\n"
        "销号日期：2024年9月30日\n完成情况报告：水厂已投用。\n佐证资料：1份\n\n"
        "请重新核查完成情况报告和佐证资料，必要时实地核查，并反馈“属实”或“不属实”。"
    )
    assert [label for label, _ in c132.buttons] == ["属实", "不属实"]
    # the evidence came before the check
    assert any(m.document is not None or m.filename for m in bot.api.messages_to(ADMIN.id))

    # foreign presses: an owner is no coordinator; a stale one after the answer is refused
    refused = await alert(bot, OWNER_A, c133, c133.buttons[0][1] or "")
    assert refused.startswith("抱歉")
    await bot.press(ADMIN, c133, c133.buttons[0][1] or "")
    assert bot.api.last_to(ADMIN.id).plain == "已记录：1.3.3经核查属实。谢谢。"
    assert await alert(bot, ADMIN, c133, c133.buttons[1][1] or "") == "该项抽查已反馈。"
    forged_data = "sc:99999:untrue"
    assert await alert(bot, ADMIN, c133, forged_data) != ""

    bot.clock.set(datetime(2024, 10, 21, 10, 0, tzinfo=SH))
    await bot.press(ADMIN, c132, c132.buttons[1][1] or "")
    assert bot.api.last_to(ADMIN.id).plain == (
        "核查发现了什么问题？请简要说明：该整改措施将重新打开，责任人将看到说明。/cancel 退出，不作反馈。"
    )
    done = await bot.say(ADMIN, "入户验收记录缺失，部分村组仍未通水。")
    assert done.plain == "已记录：1.3.2经核查不属实，已重新打开，并已告知责任人和责任领导。"
    news = (
        f"🔎 随机抽查：Admin核查1.3.2{TEXT_132}，发现不属实：入户验收记录缺失，部分村组仍未通水。\n"
        "该整改措施已重新打开，回到每周调度。"
    )
    await bot.api.wait_until(lambda: bot.api.last_to(LEADER.id).plain == news)
    assert bot.api.last_to(OWNER_A.id).plain == news
    assert await status_of(bot, "1.3.2") == ("reopened", None)
    assert await status_of(bot, "1.3.3") == ("closed", datetime(2024, 9, 30).date())
    history = (await bot.say(ADMIN, "/history 1.3.2")).plain.split("\n")
    assert history[-1].endswith(
        "2024年10月21日10:00 · Admin · 随机抽查：经核查不属实，已重新打开：“入户验收记录缺失，部分村组仍未通水。”"
    )

    # the month's draw was made: /spotcheck says so, and draws nothing more
    again = (await bot.say(ADMIN, "/spotcheck")).plain
    assert again == (
        f"本月随机抽查已于10月18日10:00进行，抽取：{tr('zh_CN').join(codes)}。下次抽查在下月。"
    )
    schedule = (await bot.say(ADMIN, "/schedule")).plain.split("\n")
    assert "• 随机抽查：每月第10个工作日10:00，下次11月14日（周四）10:00" in schedule

    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        report, _ = await monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=tr("zh_CN")
        )
    assert "随机抽查：核查整改措施2项，发现不属实1项。已重新打开：1.3.2。" in report.split("\n")

    # October's 工作通报 lists the 不属实 finding: draft, preview, issue, the group's DOCX
    await group_say(bot, ADMIN, "/setup P")
    bot.clock.set(datetime(2024, 11, 4, 10, 0, tzinfo=SH))
    draft = await bot.say(ADMIN, "/circular 2024年10月")
    assert "抽查不属实1项。" in draft.plain.split("\n")
    bot.api.click(ADMIN, draft, "预览")
    await bot.settle()
    mark = bot.api.mark()
    bot.api.click(ADMIN, bot.api.last_to(ADMIN.id), "签发")
    await bot.settle()
    [issued] = [m for m in bot.api.since(mark) if m.method == "sendDocument"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(issued.document or b"")).paragraphs]
    at = next(i for i, p in enumerate(paragraphs) if p.endswith("抽查不属实事项"))
    assert paragraphs[at + 1] == (
        f"1. {TEXT_132}（1.3.2，牵头单位：城市管理局）入户验收记录缺失，部分村组仍未通水。"
    )


async def test_spot_check_en_manual_draw_goes_outside_the_lead_unit(bot: Bot) -> None:
    pid = await seed(bot, locale="en")
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    await _admin_in_unit(bot, pid, "城市管理局")  # the admin may check neither measure
    await _signed_off(bot, pid)
    bot.clock.set(datetime(2024, 10, 15, 10, 0, tzinfo=SH))
    said = (await bot.say(COORD_B, "/spotcheck")).plain
    codes = await _recomputed(bot, pid)
    assert said == (
        f"Random spot check drawn: 2 of 2 measures signed off since the last draw: "
        f"{' and '.join(codes)}. Each goes to a coordinator outside its lead unit. "
        "Anyone can recompute the draw with verify-audit."
    )
    await bot.api.wait_until(lambda: len(_checks(bot, COORD_B)) == 2)
    assert _checks(bot, ADMIN) == []
    checks = {
        m.plain.split("\n")[0].removeprefix("🔎 Random spot check: "): m
        for m in _checks(bot, COORD_B)
    }
    c132, c133 = checks["1.3.2"], checks["1.3.3"]
    assert [label for label, _ in c132.buttons] == ["True", "Not true"]
    assert "Completion report: 管网已完工。" in c133.plain.split("\n")
    # another coordinator's press is refused, in their language
    assert (
        await alert(bot, ADMIN, c133, c133.buttons[0][1] or "")
        == "该项抽查已交由其他整改专班成员核查。"
    )

    await bot.press(COORD_B, c133, c133.buttons[0][1] or "")
    assert bot.api.last_to(COORD_B.id).plain == "Recorded: 1.3.3 is found true. Thank you."
    await bot.press(COORD_B, c132, c132.buttons[1][1] or "")
    # two presses race for the note: the first records, the second is told it is answered
    bot.api.send_private(COORD_B, "Acceptance records are missing.")
    await bot.settle()
    assert bot.api.last_to(COORD_B.id).plain == (
        "Recorded: 1.3.2 is found not true. It is reopened; the owner and the responsible leader are told."
    )
    assert await alert(bot, COORD_B, c132, c132.buttons[1][1] or "") == (
        "This spot check is already answered."
    )
    assert await status_of(bot, "1.3.2") == ("reopened", None)
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        report, _ = await monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=tr("en")
        )
    assert (
        "Random spot checks: 2 measures checked, 1 found not true. Reopened: 1.3.2."
        in report.split("\n")
    )


async def test_spot_check_nobody_outside_the_lead_unit_is_said_plainly(bot: Bot) -> None:
    pid = await seed(bot)
    await _admin_in_unit(bot, pid, "城市管理局")
    await _signed_off(bot, pid)
    bot.clock.set(datetime(2024, 10, 15, 10, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/spotcheck")
    said = await bot.answers(ADMIN.id, mark)
    await bot.api.settle()
    texts = [m.plain for m in bot.api.since(mark) if m.chat_id == ADMIN.id]
    assert texts[0].endswith("整改专班中没有牵头单位以外的成员可核查1.3.2和1.3.3，暂不核查。") or (
        texts[0].endswith("整改专班中没有牵头单位以外的成员可核查1.3.3和1.3.2，暂不核查。")
    ), said
    assert sum("无人可以核查，该项暂不核查。" in t for t in texts) == 2
    assert _checks(bot, ADMIN) == []


@pytest.mark.bypasses_trail(
    "re-seals the chain after forging a draw, as someone with DB access can"
)
async def test_a_forged_draw_is_found_by_verify_audit(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = await seed(bot)
    await _signed_off(bot, pid)
    bot.clock.set(datetime(2024, 10, 15, 10, 0, tzinfo=SH))
    await bot.say(ADMIN, "/spotcheck")
    url = bot.settings.database_url
    monkeypatch.setenv("DATABASE_URL", url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["verify-audit", "--programme", "P"]) == 0
    assert "2 spot-check draws recomputed" in capsys.readouterr().out

    # the draw is rewritten to hand-picked codes, and the chain sealed again from there on
    async with bot.db.session() as s:
        rows = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.programme_id == pid)
                .order_by(col(AuditEvent.seq))
            )
        ).all()
    prev, fixes = "", []
    for e in rows:
        view = sealed(e)
        after = e.after
        if e.action == "spotcheck.draw" and "1.3.2" in e.after:
            body = audit.load(e.after)
            body["drawn"] = ["1.3.3"]  # one hand-picked measure instead of the seed's two
            after = json.dumps(body, ensure_ascii=False, sort_keys=True)
        view = Sealed(**{**vars(view), "after": after, "prev_hash": prev, "hash": ""})
        prev = seal_of(view)
        fixes.append((e.id, after, view.prev_hash, prev))
    async with bot.db.session() as s:
        postgres = s.bind is not None and s.bind.dialect.name == "postgresql"
        if postgres:
            await s.exec(text("ALTER TABLE auditevent DISABLE TRIGGER auditevent_no_change"))  # type: ignore[call-overload]
        else:
            await s.exec(text("DROP TRIGGER IF EXISTS auditevent_no_update"))  # type: ignore[call-overload]
        for i, a, p, h in fixes:
            await s.exec(  # type: ignore[call-overload]
                text('UPDATE auditevent SET "after" = :a, prev_hash = :p, hash = :h WHERE id = :i'),
                params={"a": a, "p": p, "h": h, "i": i},
            )
        if postgres:
            await s.exec(text("ALTER TABLE auditevent ENABLE TRIGGER auditevent_no_change"))  # type: ignore[call-overload]
    assert await asyncio.to_thread(main, ["verify-audit", "--programme", "P"]) == 1
    err = capsys.readouterr().err
    assert "spot-check draw forged at event id" in err and "it drew 1.3.3; the seed draws" in err
