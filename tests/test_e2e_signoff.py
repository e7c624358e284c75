"""End to end: sign-off requests, the first decision wins, send back, /pending, /history."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import (
    COORD_B,
    add_coordinator,
    alert,
    ask_signoff,
    audit_count,
    status_of,
    step,
    upload,
)
from sqlmodel import select

from core.i18n import tr
from core.render.digest import review_text
from storage import programmes, reports
from storage.models import Measure, SignoffRequest

REPORT = "虎峰山乡镇水厂已建成投用，自来水入户全部完成。"
TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"
COPY_ZH = (
    "🏁 1.3.2销号申请\n"
    f"{TEXT_132}\n"
    "责任人：城市管理局联络员（城市管理局）\n"
    "完成时限：2024年10月31日\n"
    "申请时间：9月30日10:00\n"
    f"完成情况报告：{REPORT}\n"
    "佐证资料：2份"
)
COPY_EN = (
    "🏁 Sign-off request for 1.3.2\n"
    f"{TEXT_132}\n"
    "Owner: 城市管理局联络员 (城市管理局)\n"
    "Deadline: 31 October 2024\n"
    "Asked on: 30 September, 10:00\n"
    f"Completion report: {REPORT}\n"
    "Evidence: 2 files"
)


async def _start(bot: Bot) -> int:
    pid = await seed(bot)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    return pid


async def test_signoff_needs_evidence_then_first_decision_wins(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:done")
    await bot.say(OWNER_A, REPORT)
    prompt = bot.api.last_to(OWNER_A.id)
    refused = await alert(bot, OWNER_A, prompt, button(prompt, "f:"))  # Done without a file
    assert refused == "申请销号须至少上传一份佐证资料。"
    assert bot.api.last_to(OWNER_A.id) is prompt
    async with bot.db.session() as s:
        assert not (await s.exec(select(SignoffRequest))).all()
    assert await status_of(bot, "1.3.2") == ("in_progress", None)

    await upload(bot, OWNER_A, "验收报告.pdf")
    await upload(bot, OWNER_A, "入户照片.pdf")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    assert bot.api.last_to(OWNER_A.id).plain == "已保存。1.3.2已提交整改专班审核销号。"
    assert await status_of(bot, "1.3.2") == ("pending_signoff", None)
    # each coordinator: the evidence as one album, then the request with its buttons
    for user, text in ((ADMIN, COPY_ZH), (COORD_B, COPY_EN)):
        *_, album_a, album_b, copy = bot.api.messages_to(user.id)
        assert [album_a.method, album_b.method] == ["sendMediaGroup", "sendMediaGroup"]
        assert {album_a.document, album_b.document} == {
            b"%PDF-1.4 \xe9\xaa\x8c\xe6\x94\xb6\xe6\x8a\xa5\xe5\x91\x8a.pdf",
            "%PDF-1.4 入户照片.pdf".encode(),
        }
        assert copy.plain == text
        assert [label for label, _ in copy.buttons] == (
            ["✅ 同意销号", "↩️ 退回"] if user is ADMIN else ["✅ Approve", "↩️ Send back"]
        )
    copy_a, copy_b = bot.api.last_to(ADMIN.id), bot.api.last_to(COORD_B.id)

    bot.clock.set(datetime(2024, 9, 30, 11, 30, tzinfo=SH))
    await bot.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    assert copy_b.plain == COPY_EN + "\n\n✅ Signed off by 专班成员乙 at 30 September, 11:30."
    assert copy_a.plain == COPY_ZH + "\n\n✅ 专班成员乙已于9月30日11:30同意销号。"
    assert copy_a.buttons == [] and copy_b.buttons == []
    assert bot.api.last_to(OWNER_A.id).plain == (
        "1.3.2已销号。\n✅ 专班成员乙已于9月30日11:30同意销号。"
    )
    assert await status_of(bot, "1.3.2") == ("closed", date(2024, 9, 30))

    # the other coordinator's copy, pressed later: told who decided, nothing changes
    events, edits = await audit_count(bot), len(copy_a.history)
    late = await alert(bot, ADMIN, copy_a, f"dec:{await _request_id(bot)}:ok")
    assert late == "该申请已由专班成员乙于9月30日11:30处理。"
    assert await audit_count(bot) == events and len(copy_a.history) == edits
    # only coordinators decide
    stranger = await alert(bot, OWNER_B, copy_b, f"dec:{await _request_id(bot)}:back")
    assert stranger == "Sorry, this is for coordinators only."


async def test_a_reason_written_after_another_decided_is_told_the_first_won(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy_a, copy_b = bot.api.last_to(ADMIN.id), bot.api.last_to(COORD_B.id)
    # Admin starts sending it back; while they write the reason, the other coordinator approves
    await bot.press(ADMIN, copy_a, button(copy_a, "dec:", ":back"))
    bot.clock.set(datetime(2024, 9, 30, 11, 30, tzinfo=SH))
    await bot.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    told = bot.api.last_to(OWNER_A.id).plain
    assert told == "1.3.2已销号。\n✅ 专班成员乙已于9月30日11:30同意销号。"
    events, edits = await audit_count(bot), len(copy_a.history)
    bot.clock.set(datetime(2024, 9, 30, 11, 40, tzinfo=SH))
    late = await bot.say(ADMIN, "佐证不全。")
    assert late.plain == "该申请已由专班成员乙于9月30日11:30处理。"
    # the first decision stands: nothing is written, edited or told after it
    async with bot.db.session() as s:
        request = (await s.exec(select(SignoffRequest))).one()
    assert (request.state, request.reason, request.decided_at) == (
        "approved",
        "",
        datetime(2024, 9, 30, 11, 30, tzinfo=SH),
    )
    assert await status_of(bot, "1.3.2") == ("closed", date(2024, 9, 30))
    assert await audit_count(bot) == events and len(copy_a.history) == edits
    assert bot.api.last_to(OWNER_A.id).plain == told


async def _request_id(bot: Bot) -> int:
    async with bot.db.session() as s:
        request = (await s.exec(select(SignoffRequest))).one()
        assert request.id is not None
        return request.id


async def test_send_back_reaches_the_owner_who_answers_again(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.3", "管网延伸工程已完工。", ["竣工图.pdf"])
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])

    await bot.say(COORD_B, "/pending")
    *_, head, first, second = bot.api.messages_to(COORD_B.id)
    assert head.plain == "2 sign-off requests are waiting, oldest first:"
    assert first.plain.startswith("🏁 Sign-off request for 1.3.3\n")
    assert second.plain.startswith("🏁 Sign-off request for 1.3.2\n")
    assert first.buttons == [("✅ Approve", "dec:1:ok"), ("↩️ Send back", "dec:1:back")]

    bot.clock.set(datetime(2024, 9, 30, 15, 0, tzinfo=SH))
    copy_133 = bot.api.messages_to(ADMIN.id)[-3]  # then 1.3.2's evidence and copy
    await bot.press(ADMIN, copy_133, "dec:1:back")
    assert bot.api.last_to(ADMIN.id).plain == (
        "请填写退回1.3.3的理由，责任人将收到该理由。发送 /cancel 可暂不处理。"
    )
    done = await bot.say(ADMIN, "竣工图未盖章，请补充验收意见。")
    assert done.plain == "已退回，退回理由已告知责任人。"
    assert first.plain.endswith(
        "\n\n↩️ Sent back by Admin at 30 September, 15:00. Reason: 竣工图未盖章，请补充验收意见。"
    )
    back = bot.api.last_to(OWNER_A.id)
    assert back.plain == (
        "1.3.3的销号申请被退回，已恢复为推进中。\n"
        "↩️ Admin已于9月30日15:00退回。退回理由：竣工图未盖章，请补充验收意见。\n"
        "请在下方重新反馈进展；整改完成后可再次申请销号。"
    )
    assert await status_of(bot, "1.3.3") == ("in_progress", None)
    m133 = await measure_id(bot, "1.3.3")
    await bot.press(OWNER_A, back, f"ans:{m133}:ok")
    await bot.say(OWNER_A, "已补充盖章竣工图。")
    await bot.say(OWNER_A, "100")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    assert bot.api.last_to(OWNER_A.id).plain == "已保存，谢谢。1.3.3进展已更新。"

    await bot.say(COORD_B, "/pending")
    *_, head, only = bot.api.messages_to(COORD_B.id)
    assert head.plain == "1 sign-off request is waiting, oldest first:"
    assert only.plain.startswith("🏁 Sign-off request for 1.3.2\n")


@pytest.mark.bypasses_trail("makes 4.3.1 long-term by editing its row")
async def test_long_term_measures_are_never_signed_off(bot: Bot) -> None:
    await _start(bot)
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "4.3.1"))).one()
        m.status, m.deadline = "long_term", None
        s.add(m)
    [dispatch] = bot.api.messages_to(OWNER_B.id)
    why = await alert(bot, OWNER_B, dispatch, f"ans:{await measure_id(bot, '4.3.1')}:done")
    assert (
        why == "4.3.1 is long-term: it is never signed off and keeps reporting on the same rhythm."
    )
    assert await status_of(bot, "4.3.1") == ("long_term", None)


async def test_review_lists_requests_waiting_over_three_working_days(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])  # Monday 30 Sep

    async def review(day: date) -> tuple[list[tuple[str, int]], str]:
        async with bot.db.session() as s:
            programme = await programmes.by_name(s, name="P")
            assert programme is not None
            content, _ = await reports.review_content(s, programme=programme, today=day)
        return content.waiting, review_text(tr("zh_CN"), content, "P")

    # 1–7 October are public holidays: 8–10 October are the first three working days
    assert (await review(date(2024, 10, 10)))[0] == []
    waiting, text = await review(date(2024, 10, 11))
    assert waiting == [("1.3.2", 4)]
    assert "\n超过3个工作日未审核的申请：1.3.2（4个工作日）\n" in text + "\n"
    assert (await review(date(2024, 10, 12)))[0] == [("1.3.2", 5)]  # a make-up working Saturday
