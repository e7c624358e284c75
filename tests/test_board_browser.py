"""The leaders' board in headless Chromium, opened from the sandbox as Telegram opens a Mini App.

Set BOARD_SCREENSHOTS=docs to refresh docs/board-*.png (one per view, at a phone's width).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import cdp
import pytest
import pytest_asyncio
from conftest import RELAXED

from bot.app import services_of
from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings
from storage import decisions, outcomes
from storage.history import measure_by_code
from storage.models import Person

LEADER, COORDINATOR = 1002, 1000


@pytest_asyncio.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    box = Sandbox(Settings(_env_file=None), port=0, folder=tmp_path / "data", limits=RELAXED)
    await box.start(Page(box).routes)
    try:
        yield box
    finally:
        await box.stop()
    assert not box.server.errors, box.server.errors


async def _ask_signoff(box: Sandbox, code: str) -> None:
    """An owner's sign-off request, as saving an answer 'done' stores it (no files here)."""
    assert box.app is not None
    async with services_of(box.app).database.session() as s:
        measure = await measure_by_code(s, programme_id=box.programme_id, code=code)
        assert measure is not None
        owner = await s.get(Person, measure.owner_id)
        assert owner is not None and owner.id is not None
        await decisions.request_signoff(
            s, measure=measure, person_id=owner.id, actor=f"tg:{owner.telegram_user_id}",
            now=box.clock.now(), report="水厂已建成投用。", update_id=0,
        )  # fmt: skip


async def _outcome(box: Sandbox, code: str) -> None:
    """A rule recorded for the measure by its owner (建章立制), as /outcome saves it."""
    assert box.app is not None
    async with services_of(box.app).database.session() as s:
        measure = await measure_by_code(s, programme_id=box.programme_id, code=code)
        assert measure is not None
        owner = await s.get(Person, measure.owner_id)
        assert owner is not None
        await outcomes.record(
            s, measure=measure, person_id=measure.owner_id, actor=f"tg:{owner.telegram_user_id}",
            title="《城市供水管网运维管理办法》", number="高新管发〔2024〕30号",
            issued_on=date(2024, 6, 1), file=None, now=box.clock.now(),
        )  # fmt: skip


async def _shot(page: cdp.Chromium, view: str) -> None:
    if folder := os.environ.get("BOARD_SCREENSHOTS"):
        await page.screenshot(Path(folder) / f"board-{view}.png")


async def _open_as(page: cdp.Chromium, box: Sandbox, user_id: int) -> None:
    """The sandbox's own "open the board" action, as that person."""
    await page.call("Page.navigate", url=box.url)
    await page.until("document.querySelectorAll('#chats .chat').length > 20")
    you = f"document.getElementById('you').value = '{user_id}'"
    await page.eval(f"{you}; document.getElementById('you').dispatchEvent(new Event('change'))")
    await page.eval("window.open = (u) => { window.__opened = u; }; true")
    await page.eval("document.getElementById('open-board').click()")
    url = await page.until("window.__opened")
    assert url.startswith("/app/#tgWebAppData=")
    await page.call("Page.navigate", url=box.url.rstrip("/") + url)
    await page.until("document.getElementById('headline') !== null")


async def test_the_board_in_the_browser(sandbox: Sandbox) -> None:
    path = cdp.binary()
    if path is None:
        pytest.skip("no chromium on PATH (.ci/run installs Debian's chromium)")
    await _outcome(sandbox, "1.3.2")
    await _ask_signoff(sandbox, "1.3.2")
    async with cdp.Chromium(path) as page:
        # a phone's width first
        await page.call(
            "Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2,
            mobile=True,
        )  # fmt: skip
        await _open_as(page, sandbox, LEADER)
        text = "(id) => document.getElementById(id).innerText"
        assert await page.eval(f"({text})('headline')") == (
            "截至10月8日，42项整改措施已完成35项，其余7项正在按时序推进。"
        )
        tabs = await page.eval(
            "[...document.querySelectorAll('#tabs button')].map((b) => b.hidden ? '' : b.innerText).join('|')"
        )
        assert tabs == "看板|单位|趋势|"  # a leader has no pending list
        assert await page.eval(f"({text})('outcomes')") == (
            "截至10月8日，制定优化迭代制度1个，其中本月1个。"
        )
        areas = await page.eval("document.querySelectorAll('#areas .tile').length")
        assert areas == 4
        await _shot(page, "board")

        # a tap filters: area 4 is /summary area 4
        await page.eval("document.querySelector('#areas .tile[data-area=\"4\"]').click()")
        await page.until("document.getElementById('title').innerText.endsWith('第4方面')")
        assert await page.eval(f"({text})('headline')") == (
            "截至10月8日，3项整改措施已完成1项，其余2项正在按时序推进。"
        )

        # a measure's story
        await page.eval("BOARD.openMeasure(" + str(await _id(sandbox, "1.3.2")) + ")")
        await page.until("document.getElementById('history') !== null")
        story = json.loads(
            await page.eval(
                "JSON.stringify({title: document.getElementById('measure-title').innerText,"
                " facts: document.getElementById('facts').innerText,"
                " rules: [...document.querySelectorAll('#rules li')].map((x) => x.innerText),"
                " history: [...document.querySelectorAll('#history li')].map((x) => x.innerText)})"
            )
        )
        assert story["title"].endswith(" 1.3.2") and story["rules"] == [
            "《城市供水管网运维管理办法》（高新管发〔2024〕30号，2024年6月1日印发）"
        ]
        assert "完成时限\n10月31日" in story["facts"] and "状态\n待销号" in story["facts"]
        assert story["history"][-1] == (
            "2024年10月8日8:30 · 城市管理局联络员 · 申请销号：“水厂已建成投用。”（0份佐证资料）"
        )
        await _shot(page, "measure")

        await page.eval("BOARD.tab('units')")
        await page.until("document.querySelectorAll('#units tbody tr').length > 5")
        head = await page.eval(
            "[...document.querySelectorAll('#units th')].map((x) => x.innerText).join('|')"
        )
        assert head == "|按期完成率|反馈率|逾期"
        await _shot(page, "units")

        await page.eval("BOARD.tab('trend')")
        await page.until("document.querySelector('#chart polyline.red') !== null")
        weeks = await page.eval("document.querySelectorAll('#weeks tr').length")
        assert weeks >= 2
        await _shot(page, "trend")

        # the coordinator approves from the board: the measure closes, the tab empties
        await _open_as(page, sandbox, COORDINATOR)
        await page.eval("BOARD.tab('pending')")
        await page.until("document.querySelectorAll('#pending .request').length === 1")
        card = await page.eval("document.querySelector('#pending .request').innerText")
        assert card.startswith("🏁 1.3.2销号申请")
        await _shot(page, "pending")
        await page.eval("document.querySelector('#pending button.approve').click()")
        await page.until("document.querySelector('#pending .said').innerText === '已同意销号。'")
    assert sandbox.app is not None
    async with services_of(sandbox.app).database.session() as s:
        measure = await measure_by_code(s, programme_id=sandbox.programme_id, code="1.3.2")
        assert measure is not None and measure.status == "closed"


async def _id(box: Sandbox, code: str) -> int:
    assert box.app is not None
    async with services_of(box.app).database.session() as s:
        measure = await measure_by_code(s, programme_id=box.programme_id, code=code)
        assert measure is not None and measure.id is not None
        return measure.id
