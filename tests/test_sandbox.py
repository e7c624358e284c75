"""The sandbox end to end: the real bot on the embedded server, played through the page's API."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from conftest import RELAXED
from sqlmodel import select
from stranger_texts import STRANGER_TEXT_ZH
from wait_support import until

from bot.app import services_of
from bot.sandbox import words
from bot.sandbox.lock import FolderTaken
from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings
from core.domain.model import Beat, Status
from core.i18n import tr
from storage.models import Measure, SignoffRequest

JSON = dict[str, Any]


class Browser:
    """What the page's JavaScript does, as plain HTTP calls."""

    def __init__(self, http: aiohttp.ClientSession, sandbox: Sandbox) -> None:
        self.http, self.sandbox, self.base = http, sandbox, sandbox.url.rstrip("/")
        self.token = ""

    async def open(self, sandbox: Sandbox) -> None:
        """Load the page, as a browser does, for the token it carries."""
        self.sandbox, self.base = sandbox, sandbox.url.rstrip("/")
        async with self.http.get(self.base + "/") as res:
            found = re.search(r'<meta name="cadence-token" content="([^"]+)">', await res.text())
        assert found is not None
        self.token = found.group(1)

    async def get(self, path: str) -> Any:
        async with self.http.get(self.base + path) as res:
            assert res.status == 200, await res.text()
            return await res.json()

    async def post(self, path: str, body: JSON) -> Any:
        headers = {"X-Cadence-Token": self.token}
        async with self.http.post(self.base + path, json=body, headers=headers) as res:
            assert res.status == 200, await res.text()
            return await res.json()

    async def world(self) -> JSON:
        return dict(await self.get("/api/world"))

    async def person(self, name: str) -> int:
        return int(next(p["id"] for p in (await self.world())["people"] if p["name"] == name))

    async def chat(self, chat_id: int, as_: int | None = None) -> list[JSON]:
        return list((await self.get(f"/api/chat/{chat_id}?as={as_ or chat_id}"))["messages"])

    async def until(
        self,
        chat_id: int,
        done: Callable[[list[JSON]], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """The chat once done(messages) holds, waiting on the page's change feed as the page does."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            seen = await self.get(f"/api/chat/{chat_id}?as={chat_id}")
            if done(seen["messages"]):
                return list(seen["messages"])
            assert loop.time() < deadline, f"not reached in {timeout}s: {seen['messages']}"
            async with self.http.get(f"{self.base}/api/wait?version={seen['version']}") as res:
                await res.read()

    async def say(self, as_: int, chat: int, text: str, **kw: Any) -> JSON:
        """Send a message and return the bot's first answer after it."""
        before = len(await self.chat(chat, as_))
        await self.post("/api/send", {"as": as_, "chat": chat, "text": text, **kw})
        after = await self.until(chat, lambda m: len(m) > before + 1 and m[-1]["bot"])
        return after[before + 1]


@pytest_asyncio.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    folder = tmp_path / "data"
    sandbox = Sandbox(Settings(_env_file=None), port=0, folder=folder, limits=RELAXED)
    await sandbox.start(Page(sandbox).routes)
    try:
        async with aiohttp.ClientSession() as http:
            browser = Browser(http, sandbox)
            await browser.open(sandbox)
            yield browser
    finally:
        await sandbox.stop()
    assert not sandbox.server.errors, sandbox.server.errors


LEADERSHIP = -1001001
DISPATCH = (
    "📌 每周调度 · 本周（10月7日—13日）\n城市管理局联络员，请报送您负责的整改措施进展：\n\n"
    "🟢 1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题 · 时限：10月31日 · 推进中\n"
    "🟢 1.3.3 推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题 · 时限：12月31日 · 推进中\n\n"
    "请于10月10日（周四）9:00前反馈。\n"
    "请点击整改措施反馈进展，也可直接回复本消息。"
)
HEADLINE = "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"


def test_every_beat_has_a_label_in_every_language() -> None:
    for locale in ("zh_CN", "en"):
        labels = [words.beat_label(tr(locale), beat) for beat in Beat]
        assert all(label != beat.value for label, beat in zip(labels, Beat, strict=True)), labels


async def test_the_world_is_seeded_and_the_page_served(browser: Browser) -> None:
    world = await browser.world()
    assert world["now"] == "2024年10月8日 8:30"
    assert [(b["label"], b["next"], b["sent"]) for b in world["beats"]][:2] == [
        ("每周调度", "2024年10月8日 9:00", False),  # Monday was a holiday: the next working day
        ("月度汇报", "2024年10月8日 10:00", False),
    ]
    people = [(p["name"], p["roles"]) for p in world["people"]]
    assert people[:4] == [
        ("整改专班 王敏", ["整改专班成员"]),
        ("管委会主任", ["责任领导"]),
        ("管委会副主任（分管城建）", ["责任领导"]),
        ("党工委办公室联络员", ["责任人"]),
    ]
    assert len(people) == 3 + 16 + 1  # coordinator, two leaders, every owner, a stranger
    assert [g["title"] for g in world["groups"]] == ["领导小组", "整改专班", "办公室工作群"]
    assert (await browser.get("/api/world?lang=en"))["strings"]["reset"] == "Reset the sandbox"
    async with browser.http.get(browser.base + "/") as res:
        assert "/static/app.js" in await res.text()
    for asset in ("app.js", "style.css"):
        async with browser.http.get(f"{browser.base}/static/{asset}") as res:
            assert res.status == 200
    # the command menu the bot registered, in the person's language
    owner, english = await browser.person("城市管理局联络员"), await browser.person("建设局联络员")
    menus = [await browser.get(f"/api/chat/{who}?as={who}") for who in (owner, english)]
    assert [m["commands"][0] for m in menus] == [
        {"command": "my", "description": "我的整改措施"},
        {"command": "my", "description": "Your measures"},
    ]


async def test_play_an_owner_and_a_leader_then_reset(browser: Browser) -> None:
    owner = await browser.person("城市管理局联络员")
    # the clock: the dispatch at 9:00, then the monthly report at 10:00, as the scheduler runs them
    await browser.post("/api/advance", {"to": "beat"})
    [dispatch] = await browser.until(owner, lambda m: len(m) == 1)
    assert dispatch["text"] == DISPATCH
    assert (await browser.world())["counts"][str(owner)] == 1  # the chat list's unread badge
    await browser.post("/api/advance", {"to": "beat"})
    report = await browser.until(LEADERSHIP, lambda m: sum("document" in x for x in m) == 2)
    assert report[0]["text"].split("\n")[:2] == ["📋 巡视整改 · 2024年9月整改情况汇报", HEADLINE]
    ledger = report[-1]["document"]
    assert ledger["name"] == "巡视整改台账（截至2024年9月30日）.xlsx"
    async with browser.http.get(f"{browser.base}/api/file/{ledger['file_id']}") as res:
        assert (await res.read())[:2] == b"PK"  # an XLSX is a zip
        assert "attachment" in res.headers["Content-Disposition"]

    # the owner answers 1.3.2: on track, a note, a percentage, an evidence file, save
    await _press(browser, owner, dispatch, "🟢 1.3.2 建成虎峰山乡镇水厂并投用，…")
    ask = (await browser.until(owner, lambda m: len(m) == 2))[-1]
    assert ask["text"].endswith("整改措施1.3.2进展如何？")
    await _press(browser, owner, ask, "✅ 正常推进")
    note = (await browser.until(owner, lambda m: len(m) == 3))[-1]
    assert note["text"] == (
        "请简要填写1.3.2的进展情况；如有下一步打算，可另起一行以“下一步：”开头。"
        "发送 /cancel 可不保存退出。"
    )
    percent = await browser.say(owner, owner, "水厂已建成，正在调试。")
    assert percent["text"] == "目前完成进度是百分之多少（0–100）？"
    files = await browser.say(owner, owner, "80")
    assert files["text"].startswith("如有佐证资料（文件或照片），请上传后点击“完成”")
    form = aiohttp.FormData()
    form.add_field("as", str(owner))
    form.add_field("chat", str(owner))
    form.add_field("file", b"%PDF-1.4", filename="验收报告.pdf", content_type="application/pdf")
    upload = browser.http.post(
        browser.base + "/api/upload", data=form, headers={"X-Cadence-Token": browser.token}
    )
    async with upload as res:
        assert res.status == 200
    got = await browser.until(owner, lambda m: m[-1]["bot"] and len(m) == 9)
    assert got[-2]["document"]["name"] == "验收报告.pdf"
    assert got[-1]["text"] == "已收到第1份佐证资料（文件），可继续上传或点击“完成”。"
    await _press(browser, owner, got[-1], "完成")
    confirm = (await browser.until(owner, lambda m: len(m) == 10))[-1]
    assert confirm["text"] == (
        "请核对1.3.2的反馈内容：\n推进情况：正常推进\n情况说明：水厂已建成，正在调试。\n"
        "完成进度：80%\n佐证资料：1份"
    )
    await _press(browser, owner, confirm, "保存")
    saved = (await browser.until(owner, lambda m: m[-1]["edited"]))[-1]
    assert (saved["id"], saved["text"], saved["buttons"]) == (
        confirm["id"],
        "已保存，谢谢。1.3.2进展已更新。",  # edited in place
        [],
    )

    # a leader asks for the picture in the leadership group; a stranger gets nothing
    leader = await browser.person("管委会副主任（分管城建）")
    summary = await browser.say(leader, LEADERSHIP, "/summary")
    assert (
        summary["text"].split("\n")[1]
        == "截至10月8日，42项整改措施已完成35项，其余7项正在按时序推进。"
    )
    assert summary["reply_to"]["text"] == "/summary"
    stranger = (await browser.world())["stranger"]
    refused = await browser.say(stranger, stranger, "/my")
    assert refused["text"] == STRANGER_TEXT_ZH

    # reset: a fresh programme, empty chats, the clock back at the start
    await browser.post("/api/reset", {})
    world = await browser.world()
    assert world["now"] == "2024年10月8日 8:30"
    assert await browser.chat(owner) == [] and await browser.chat(LEADERSHIP) == []
    assert len(world["people"]) == 20
    await browser.post("/api/beat", {"beat": "dispatch"})
    [again] = await browser.until(owner, lambda m: len(m) == 1)
    assert again["text"] == DISPATCH
    listed = (await browser.world())["beats"][0]
    assert (listed["label"], listed["sent"]) == ("每周调度", True)  # run ahead of its time


async def _press(browser: Browser, who: int, message: JSON, label: str) -> JSON:
    """Press the button with this label, as the page does; the bot's answer to the press."""
    [data] = [b["data"] for row in message["buttons"] for b in row if b["text"] == label]
    body = {"as": who, "chat": who, "message_id": message["id"], "data": data}
    return dict(await browser.post("/api/press", body))


async def test_a_restart_keeps_the_chats_and_the_clock(browser: Browser, tmp_path: Path) -> None:
    owner = await browser.person("城市管理局联络员")
    await browser.post("/api/advance", {"to": "beat"})  # the dispatch at 9:00
    await browser.until(owner, lambda m: len(m) == 1)

    async def all_five() -> bool:  # all five owners have theirs: the stop interrupts no delivery
        return len((await browser.world())["counts"]) == 5

    await until(all_five, timeout=10, what="five owners' dispatches")
    sandbox = browser.sandbox
    await sandbox.stop()
    again = Sandbox(Settings(_env_file=None), port=0, folder=sandbox.folder, limits=RELAXED)
    await again.start(Page(again).routes)
    try:
        await browser.open(again)
        assert (await browser.world())["now"] == "2024年10月8日 9:00"
        assert [m["text"] for m in await browser.chat(owner)] == [DISPATCH]
        mine = await browser.say(owner, owner, "/my")  # the bot goes on where it was
        assert mine["text"].startswith("您负责的整改措施（2项）：")
        files = {f.file_id for f in again.server.files.values()}
        assert len(files) == len(again.server.files)
    finally:
        await again.stop()


async def test_reply_to_a_message_and_english_for_an_english_reader(browser: Browser) -> None:
    owner, english = await browser.person("城市管理局联络员"), await browser.person("建设局联络员")
    await browser.post("/api/beat", {"beat": "dispatch"})
    [dispatch] = await browser.until(owner, lambda m: len(m) == 1)
    which = await browser.say(owner, owner, "水厂主体已完工。", reply_to=dispatch["id"])
    assert which["text"] == "这条反馈对应哪项整改措施？"
    assert [b["text"] for row in which["buttons"] for b in row] == ["1.3.2", "1.3.3"]
    mine = await browser.chat(owner)
    assert mine[1]["reply_to"] == {"id": dispatch["id"], "text": dispatch["text"][:80]}
    [theirs] = await browser.until(english, lambda m: len(m) == 1)
    assert theirs["text"].startswith(
        "📌 Weekly dispatch for this week (7–13 October)\n建设局联络员, please report"
    )


async def test_run_the_look_back_now(browser: Browser) -> None:
    said = await browser.post("/api/beat", {"beat": "lookback"})
    assert said == {"outcome": "none", "text": "回头看：目前没有等待回头看的已销号措施。"}
    assert "lookback" not in [b["beat"] for b in (await browser.world())["beats"]]
    # 1.3.2 is signed off in the bot on 8 October: its look-back is due 90 days later
    sandbox, owner = browser.sandbox, await browser.person("城市管理局联络员")
    assert sandbox.app is not None
    async with services_of(sandbox.app).database.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        m.status, m.closed_on = Status.CLOSED.value, date(2024, 10, 8)
        s.add(m)
        now = sandbox.clock.now()
        s.add(
            SignoffRequest(
                programme_id=m.programme_id, measure_id=m.id or 0, requested_by=m.owner_id,
                state="approved", created_at=now, decided_at=now,
            )
        )  # fmt: skip
    [lookback] = [b for b in (await browser.world())["beats"] if b["beat"] == "lookback"]
    assert (lookback["label"], lookback["next"]) == ("回头看", "2025年1月6日 9:00")
    said = await browser.post("/api/beat", {"beat": "lookback"})
    assert said["text"] == "回头看：已询问第一项等待回头看的已销号措施的责任人。"
    chat = await browser.until(owner, lambda m: bool(m) and "回头看" in m[-1]["text"])
    assert "1.3.2" in chat[-1]["text"]
    assert "lookback" not in [b["beat"] for b in (await browser.world())["beats"]]


async def test_another_origin_is_refused(browser: Browser) -> None:
    """A web page the user visits can send to 127.0.0.1, but not drive or reset the sandbox."""
    base, token = browser.base, {"X-Cadence-Token": browser.token}
    forged = [
        {"Origin": "https://evil.example", **token},  # a page elsewhere, even holding the token
        {"Origin": "null", **token},  # a sandboxed frame or a file
        {"Host": "evil.example", **token},  # a name rebound to 127.0.0.1
        {"Host": f"evil.example:{browser.sandbox.server.port}", **token},
    ]
    for headers in forged:
        async with browser.http.post(f"{base}/api/advance", json={}, headers=headers) as res:
            assert (res.status, await res.text()) == (
                403,
                "已拒绝：此请求并非来自沙盒本身的页面。",
            ), headers
    async with browser.http.get(f"{base}/api/world", headers={"Host": "evil.example"}) as res:
        assert res.status == 403  # nor read through a rebound name
    own = {"Origin": base, "Host": base.removeprefix("http://"), **token}
    async with browser.http.post(f"{base}/api/reset?lang=en", json={}, headers=own) as res:
        assert res.status == 200  # the page itself, as a browser sends it
    local = {"Origin": base.replace("127.0.0.1", "localhost"), **token}
    async with browser.http.post(f"{base}/api/advance", json={}, headers=local) as res:
        assert res.status == 200  # http://localhost:<port>/ is the same page
    assert (await browser.world())["now"] == "2024年10月9日 9:00"  # only that advance moved it


async def test_a_change_without_the_page_token_is_refused(browser: Browser) -> None:
    base = browser.base
    for headers in ({}, {"X-Cadence-Token": "guessed"}, {"X-Cadence-Token": "令牌"}):
        for path in ("/api/reset", "/api/advance", "/api/send", "/api/beat", *ADDING):
            async with browser.http.post(f"{base}{path}?lang=en", json={}, headers=headers) as res:
                assert (res.status, await res.text()) == (
                    403,
                    "This page belongs to an earlier start of the sandbox. Reload it.",
                )
    assert (await browser.world())["now"] == "2024年10月8日 8:30"
    assert browser.sandbox.server.sent == []  # no beat ran
    assert len((await browser.world())["people"]) == 20  # nobody was added
    # the token is per start: a page served before a restart must reload
    sandbox = browser.sandbox
    old = browser.token
    await sandbox.stop()
    again = Sandbox(Settings(_env_file=None), port=0, folder=sandbox.folder, limits=RELAXED)
    await again.start(Page(again).routes)
    try:
        await browser.open(again)
        assert browser.token != old
        headers = {"X-Cadence-Token": old}
        async with browser.http.post(f"{browser.base}/api/reset", json={}, headers=headers) as res:
            assert res.status == 403
    finally:
        await again.stop()


ADDING = ("/api/open", "/api/person")
COORDINATOR, SPARE = 1000, -1001003
WELCOME = "欢迎您，党工委书记。您已以责任领导身份绑定整改项目“巡视整改”。发送 /help 查看可用功能。"


async def test_an_invite_link_opens_as_the_person_it_is_for(browser: Browser) -> None:
    me = COORDINATOR
    await browser.say(me, me, "/invites")
    chat = await browser.until(me, lambda m: any("start=" in x["text"] for x in m), timeout=20)
    leaders = next(x["text"] for x in chat if "start=" in x["text"])
    found = re.search(r"^党工委书记（责任领导）：(https://t\.me/\S+\?start=(\S+))$", leaders, re.M)
    assert found is not None, leaders
    url, token = found.groups()
    # an unbound leader: a Telegram user is made for them, and the link opened as them
    opened = await browser.post("/api/open", {"url": url})
    theirs = await browser.until(opened["id"], lambda m: len(m) == 2)
    assert [(m["sender"], m["text"]) for m in theirs] == [
        ("党工委书记", f"/start {token}"),
        ("Cadence", WELCOME),
    ]
    people = {p["id"]: (p["name"], p["roles"]) for p in (await browser.world())["people"]}
    assert people[opened["id"]] == ("党工委书记", ["责任领导"])
    assert len(people) == 21
    # opened again, it is the one it bound who opens it, not one more person
    assert await browser.post("/api/open", {"url": url}) == opened
    await browser.until(opened["id"], lambda m: len(m) == 4)
    assert len((await browser.world())["people"]) == 21

    # a coordinator link is for nobody yet: a new visitor opens it, never named "#2e76114e"
    coordinator = await browser.say(me, me, "/invites 专班 1")
    link = re.search(r"https://t\.me/\S+", coordinator["text"])
    assert link is not None
    visitor = await browser.post("/api/open", {"url": link.group(0)})
    theirs = await browser.until(visitor["id"], lambda m: len(m) == 2)
    assert (theirs[0]["sender"], theirs[1]["text"]) == (
        "访客2",
        "欢迎您，您已成为整改项目“巡视整改”的整改专班成员。请发送您的姓名，供其他同事识别。",
    )
    people = {p["id"]: (p["name"], p["roles"]) for p in (await browser.world())["people"]}
    assert people[visitor["id"]] == ("访客2", ["整改专班成员"])
    assert [name for name, _ in people.values() if name.startswith("#")] == []
    # any other address is no start link
    headers = {"X-Cadence-Token": browser.token}
    other = {"url": "https://example.com/?start=x"}
    async with browser.http.post(browser.base + "/api/open", json=other, headers=headers) as res:
        assert res.status == 400


async def test_add_as_many_people_as_needed(browser: Browser) -> None:
    added = [(await browser.post("/api/person", {}))["id"] for _ in range(3)]
    english = (await browser.post("/api/person?lang=en", {}))["id"]
    people = [
        (p["id"], p["name"], p["roles"], p["lang"]) for p in (await browser.world())["people"]
    ]
    assert people[-5:] == [
        (1999, "访客 Visitor", [], "zh-hans"),
        (2001, "访客2", [], "zh-hans"),
        (2002, "访客3", [], "zh-hans"),
        (2003, "访客4", [], "zh-hans"),
        (2004, "Visitor 2", [], "en"),
    ]
    assert [*added, english] == [2001, 2002, 2003, 2004]
    # each is a Telegram user of their own, with a private chat the bot answers in
    refused = await browser.say(added[1], added[1], "/my")
    assert (refused["sender"], refused["text"]) == ("Cadence", STRANGER_TEXT_ZH)
    assert await browser.chat(added[0]) == [] and await browser.chat(added[2]) == []
    # they stay across a restart, and a reset lets them go
    sandbox = browser.sandbox
    await sandbox.stop()
    again = Sandbox(Settings(_env_file=None), port=0, folder=sandbox.folder, limits=RELAXED)
    await again.start(Page(again).routes)
    try:
        await browser.open(again)
        assert len((await browser.world())["people"]) == 24
        assert len(await browser.chat(added[1])) == 2
        await browser.post("/api/reset", {})
        assert len((await browser.world())["people"]) == 20
    finally:
        await again.stop()


async def test_a_spare_group_to_try_setup_in(browser: Browser) -> None:
    world = await browser.world()
    assert world["groups"][-1] == {"id": SPARE, "title": "办公室工作群"}
    said = await browser.say(COORDINATOR, SPARE, "/setup 巡视整改")
    assert said["text"].split("\n")[0] == (
        "本群已设为“巡视整改”的领导小组群，月度汇报和 /summary 结果将在此发布。"
    )
    await browser.post("/api/beat", {"beat": "report"})
    # the report (chart, document, workbook) now goes to the new leadership group
    await browser.until(SPARE, lambda m: sum("document" in x for x in m) == 2, timeout=30)


async def test_a_second_sandbox_on_the_folder_refuses_to_start(browser: Browser) -> None:
    first = browser.sandbox
    await browser.post("/api/advance", {"to": "beat"})
    second = Sandbox(Settings(_env_file=None), port=0, folder=first.folder, limits=RELAXED)
    try:
        await second.start(Page(second).routes)
    except FolderTaken as taken:
        assert taken.url == first.url
        assert taken.line(tr("zh_CN")) == (
            f"另一个沙盒（{first.url}）正在使用文件夹{first.folder}。"
            "请先停止它，或用CADENCE_SANDBOX_DIR为这个沙盒另指定一个文件夹。"
        )
    else:
        await second.stop()
        raise AssertionError("two sandboxes on one folder")
    assert second.app is None and second.server._runner is None  # it let its port go
    # the first goes on with its database and its clock, untouched
    assert first.db_path.exists()
    assert (await browser.world())["now"] == "2024年10月8日 9:00"
    await browser.post("/api/reset", {})
    assert (await browser.world())["now"] == "2024年10月8日 8:30"
