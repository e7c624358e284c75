"""Headless Chromium driven over the DevTools protocol with aiohttp: no driver, no new package.

Chromium may reach nothing but loopback (its host resolver maps every other name to nowhere).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

BINARIES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    *(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
    ),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
    *("--disable-extensions", "--disable-default-apps", "--metrics-recording-only", "--no-pings"),
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=1440,900",
    "--lang=zh-CN",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def binary() -> str | None:
    """The Chromium on PATH, if any."""
    return next((found for name in BINARIES if (found := shutil.which(name))), None)


class Chromium:
    """One headless browser with one page; eval() runs JavaScript in it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._ids = itertools.count(1)
        self._profile = tempfile.TemporaryDirectory(prefix="cadence-chromium-")
        self._proc: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    async def __aenter__(self) -> Self:
        self._proc = await asyncio.create_subprocess_exec(
            self.path,
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self._proc.stderr is not None
        browser_ws = None
        while browser_ws is None:
            line = await asyncio.wait_for(self._proc.stderr.readline(), 30)
            if not line:
                raise RuntimeError("chromium exited before listening")
            if found := _LISTENING.search(line.decode(errors="replace")):
                browser_ws = found.group(1)
        port = browser_ws.split(":")[2].split("/")[0]
        self._http = aiohttp.ClientSession()
        async with self._http.get(f"http://127.0.0.1:{port}/json/list") as res:
            targets = await res.json()
        page = next(t for t in targets if t["type"] == "page")
        self._ws = await self._http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()
        self._profile.cleanup()

    async def call(self, method: str, **params: Any) -> Any:
        """One DevTools command; events in between are ignored."""
        assert self._ws is not None
        call_id = next(self._ids)
        await self._ws.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            reply = json.loads(await asyncio.wait_for(self._ws.receive_str(), 30))
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def eval(self, script: str) -> Any:
        """The value of a JavaScript expression (promises awaited)."""
        result = await self.call(
            "Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{script}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def until(self, script: str, timeout: float = 10.0) -> Any:  # noqa: ASYNC109
        """Evaluate until the value is truthy; AssertionError after the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (value := await self.eval(script)):
            if loop.time() > deadline:
                shown = await self.eval("document.body.innerText.slice(-1500)")
                raise AssertionError(f"not met in {timeout}s: {script}\npage: {shown}")
            await asyncio.sleep(0.1)
        return value

    async def screenshot(self, path: Path) -> None:
        """Save the page as PNG."""
        shot = await self.call("Page.captureScreenshot", format="png")
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
