"""The sandbox page in headless Chromium (Debian's `chromium`, installed by .ci/run).

Set SANDBOX_SCREENSHOT=docs/sandbox.png to refresh the README's picture from this run.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import cdp
import pytest
import pytest_asyncio
from conftest import RELAXED

from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings

HELPERS = """
window.T = {
  msgs: () => [...document.querySelectorAll('#messages .msg')],
  has: (text) => T.msgs().some((m) => m.innerText.includes(text)),
  click: (label) => {
    const all = [...document.querySelectorAll('#messages .keyboard button')];
    const b = all.reverse().find((x) => x.innerText.trim().startsWith(label));
    if (!b) return false;
    b.click(); return true;
  },
  type: (text) => {
    document.getElementById('text').value = text;
    document.getElementById('composer').requestSubmit(); return true;
  },
  open: (id) => { document.querySelector(`.chat[data-chat="${id}"]`).click(); return true; },
  title: () => document.getElementById('chat-title').innerText,
  atEnd: () => { const b = document.getElementById('messages');
    return b.scrollHeight > b.clientHeight && b.scrollTop + b.clientHeight >= b.scrollHeight - 2; },
};
true
"""


@pytest_asyncio.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    box = Sandbox(Settings(_env_file=None), port=0, folder=tmp_path / "data", limits=RELAXED)
    await box.start(Page(box).routes)
    try:
        yield box
    finally:
        await box.stop()
    assert not box.server.errors, box.server.errors


async def test_play_the_rhythm_in_the_browser(sandbox: Sandbox) -> None:
    path = cdp.binary()
    if path is None:
        pytest.skip("no chromium on PATH (.ci/run installs Debian's chromium)")
    async with cdp.Chromium(path) as page:
        await page.call("Page.navigate", url=sandbox.url)
        await page.until("document.querySelectorAll('#chats .chat').length === 23")
        await page.eval(HELPERS)
        assert await page.eval("document.getElementById('now').innerText") == "2024年10月8日 8:30"

        # run the dispatch from the clock panel and find it in an owner's chat
        await page.eval("document.querySelector('li[data-beat=dispatch] button').click()")
        await page.until("document.getElementById('status').innerText === '每周调度：已发送。'")
        await page.eval("T.open(1006)")
        await page.until("T.has('城市管理局联络员，请报送您负责的整改措施进展')")

        # answer 1.3.2: on track, a note, a percentage, no evidence, save
        steps = [
            ("T.click('🟢 1.3.2')", "T.has('整改措施1.3.2进展如何？')"),
            ("T.click('✅ 正常推进')", "T.has('请简要填写1.3.2的进展情况')"),
            ("T.type('水厂已建成，正在调试。')", "T.has('百分之多少')"),
            ("T.type('80')", "T.has('无佐证资料')"),
            ("T.click('无佐证资料')", "T.has('请核对1.3.2的反馈内容')"),
            ("T.click('保存')", "T.has('已保存，谢谢。1.3.2进展已更新。')"),
        ]
        for act, seen in steps:
            assert await page.until(act)
            await page.until(seen)

        # become a leader, type /summary in the leadership group
        await page.eval(
            "(() => { const you = document.getElementById('you'); you.value = '1002';"
            " you.dispatchEvent(new Event('change')); return T.open(-1001001); })()"
        )
        await page.until("document.getElementById('chat-title').innerText === '领导小组'")
        await page.eval("T.type('/summary')")
        await page.until("T.has('42项整改措施已完成35项')")

        # the monthly report with its chart and files
        await page.eval("document.querySelector('li[data-beat=report] button').click()")
        await page.until("document.getElementById('status').innerText === '月度汇报：已发送。'")
        files = await page.until(
            "(() => { const a = [...document.querySelectorAll('#messages .file a')]"
            ".map((x) => x.innerText); return a.length === 2 && JSON.stringify(a); })()"
        )
        assert json.loads(files) == [
            "巡视整改2024年9月进展情况汇报.docx",
            "巡视整改台账（截至2024年9月30日）.xlsx",
        ]
        await page.until("document.querySelector('#messages img') !== null")
        if target := os.environ.get("SANDBOX_SCREENSHOT"):
            await page.eval("T.open(1006)")
            await page.until("T.has('已保存，谢谢。')")
            await page.screenshot(Path(target))


async def test_links_people_and_pictures_in_the_browser(sandbox: Sandbox) -> None:
    path = cdp.binary()
    if path is None:
        pytest.skip("no chromium on PATH (.ci/run installs Debian's chromium)")
    async with cdp.Chromium(path) as page:
        await page.call("Page.navigate", url=sandbox.url)
        await page.until("document.querySelectorAll('#chats .chat').length === 23")
        await page.eval(HELPERS)

        # the coordinator's invite links are links: one opens the leader's own chat, as them
        await page.eval("T.open(1000)")
        await page.eval("T.type('/invites')")
        link = "[...document.querySelectorAll('#messages a.start-link')]"
        await page.until(f"{link}.length === 6", timeout=20)
        await page.eval(
            f"{link}.find((a) => a.closest('.text').innerText.includes("
            "'党工委书记（责任领导）：' + a.innerText)).click()"
        )
        await page.until("T.title() === '党工委书记 · 责任领导'")
        await page.until("T.has('欢迎您，党工委书记。您已以责任领导身份绑定整改项目“巡视整改”。')")
        assert await page.eval("document.getElementById('you').value") == "2001"

        # Add a person: a new stranger each time, in their own private chat
        for n in (2, 3):
            await page.eval("document.getElementById('add-person').click()")
            await page.until(f"T.title() === '访客{n} · 陌生人（未绑定）'")
        assert await page.eval("document.querySelectorAll('#chats .chat').length") == 26

        # a picture in the chat: what comes after it still scrolls into view
        await page.eval("document.querySelector('li[data-beat=report] button').click()")
        await page.eval("T.open(-1001001)")
        await page.until("document.querySelector('#messages img') !== null")
        await page.until("document.querySelectorAll('#messages .file a').length === 2")
        await page.eval("T.type('/summary')")
        await page.until("T.msgs().at(-1).innerText.includes('42项整改措施已完成35项')")
        await page.until("T.atEnd()")
