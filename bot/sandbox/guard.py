"""Only the sandbox's own page drives it: its Host and Origin, and the token it was served."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sandbox import words
from core.i18n import tr
from core.languages import match

HEADER = "X-Cadence-Token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class Guard:
    """Any web page the user visits can send requests to 127.0.0.1; these are refused."""

    def __init__(self, port: Callable[[], int]) -> None:
        self.token = secrets.token_urlsafe(24)  # per start: a page from before has to reload
        self._port = port

    def hosts(self) -> frozenset[str]:
        """The names the page is reached by (another Host is a rebound DNS name)."""
        return frozenset({f"127.0.0.1:{self._port()}", f"localhost:{self._port()}"})

    def refusal(self, request: web.Request) -> str | None:
        """Why the request is refused (a msgid), or None to serve it."""
        hosts, origin = self.hosts(), request.headers.get("Origin")
        if request.host not in hosts:
            return words.FOREIGN
        if origin is not None and origin.removeprefix("http://") not in hosts:
            return words.FOREIGN  # browsers name the page that sent it, even a "simple" form
        # the Bot API's own routes (/bot<token>/…) are the bot's, which has no page token
        if not request.path.startswith("/api/") or request.method in _READS:
            return None
        sent = request.headers.get(HEADER, "").encode("utf-8", "replace")
        return None if hmac.compare_digest(sent, self.token.encode()) else words.STALE_PAGE

    def install(self, app: web.Application) -> None:
        """Check every request to the server before its route sees it."""

        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            refused = self.refusal(request)
            if refused is None:
                return await handler(request)
            t = tr(match(request.query.get("lang")) or "zh_CN")
            return web.Response(status=403, text=t._(refused))

        app.middlewares.append(guard)
