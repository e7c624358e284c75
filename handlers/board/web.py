"""The board's HTTP adapter: the page under /app/ and its JSON under /app/api/, Telegram-signed.

Whoever calls is who Telegram's signed initData says (`Authorization: tma <initData>`), checked
by core.domain.initdata; what they see is what usecases.board gives their role, as in chat.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from importlib import resources
from typing import Any

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from core.domain.initdata import InitDataError, Refusal, WebAppUser, check
from core.i18n import tr
from core.languages import match
from core.render.board import strings
from usecases import board
from usecases.board import Viewer
from usecases.notices import planned

log = logging.getLogger(__name__)
PREFIX = "/app"
ASSETS = {"board.js": "text/javascript", "board.css": "text/css", "index.html": "text/html"}
MAX_REASON = 1000  # as the chat's send-back reason
Reply = Callable[[AsyncSession, Viewer, web.Request], Awaitable[Any]]


class Board:
    """The board's routes for one running application (its services, its bot, its loop)."""

    def __init__(self, ptb: Any) -> None:
        self._ptb = ptb  # the application, or a function giving the current one (the sandbox)

    @property
    def ptb(self) -> Any:
        found = self._ptb() if callable(self._ptb) else self._ptb
        if found is None:
            raise web.HTTPServiceUnavailable()
        return found

    @property
    def svc(self) -> Services:
        svc = self.ptb.bot_data["svc"]
        assert isinstance(svc, Services)
        return svc

    def routes(self, app: web.Application, prefix: str = PREFIX) -> None:
        """Add the page and its API under prefix."""
        app.router.add_get(prefix, self._to_page)
        app.router.add_get(prefix + "/", self._page)
        app.router.add_get(prefix + "/static/{name}", self._asset)
        app.router.add_get(prefix + "/api/me", self._json(self._me))
        app.router.add_get(prefix + "/api/board", self._json(self._board))
        app.router.add_get(prefix + "/api/measure/{id}", self._json(self._measure))
        app.router.add_get(prefix + "/api/units", self._json(self._units))
        app.router.add_get(prefix + "/api/trend", self._json(self._trend))
        app.router.add_get(prefix + "/api/pending", self._json(self._pending))
        app.router.add_post(prefix + "/api/pending/{id}", self._json(self._decide))

    async def _to_page(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(PREFIX + "/")

    async def _page(self, request: web.Request) -> web.Response:
        response = _asset("index.html")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _asset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return _asset(name)

    def _signed(self, request: web.Request) -> WebAppUser:
        """The signed user, or 401: unsigned, forged, another bot's or too old."""
        scheme, _, data = request.headers.get("Authorization", "").partition(" ")
        settings = self.svc.settings
        token = settings.telegram_bot_token
        try:
            if scheme.lower() != "tma" or token is None:
                raise InitDataError(Refusal.UNSIGNED)
            return check(
                data.strip(),
                bot_token=token.get_secret_value(),
                now=self.svc.clock.now(),
                max_age=timedelta(seconds=settings.cadence_webapp_max_age),
            )
        except InitDataError as error:
            raise web.HTTPUnauthorized(
                text=f'{{"error": "{error.refusal.value}"}}', content_type="application/json"
            ) from None

    def _json(self, reply: Reply) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            user = self._signed(request)
            svc = self.svc
            with svc.working():
                async with svc.database.session() as session:
                    who = await board.viewer(
                        session, user_id=user.user_id, language_code=user.language_code
                    )
                    if who is None:
                        t = tr(match(user.language_code) or svc.settings.cadence_locale)
                        text = t._(
                            "You are not bound to a programme yet. Open your invite link first."
                        )
                        return web.json_response({"error": text}, status=403)
                    body = await reply(session, who, request)
                if planned(session):  # what the decision told others leaves after its commit
                    svc.courier.deliver_notices()
            if body is None:
                return web.json_response({"error": "not found"}, status=404)
            return web.json_response(body, dumps=_dumps)

        return handle

    async def _me(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        return {
            "lang": v.locale,
            "name": v.name,
            "programme": v.programme.name,
            "roles": sorted(r.value for r in v.roles),
            "coordinator": "coordinator" in {r.value for r in v.roles},
            "strings": strings(v.t),
        }

    async def _board(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        area, unit = request.query.get("area"), request.query.get("unit")
        try:
            return await board.board(
                session,
                v,
                now=self.svc.clock.now(),
                area=int(area) if area and area.isdigit() else None,
                unit=unit or None,
            )
        except board.BadFilter:
            return None

    async def _measure(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        raw = request.match_info["id"]
        if not raw.isdigit():
            return None
        return await board.measure(session, v, measure_id=int(raw), now=self.svc.clock.now())

    async def _units(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        return {"units": await board.units(session, v, now=self.svc.clock.now())}

    async def _trend(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        return await board.trend(session, v, now=self.svc.clock.now())

    async def _pending(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        found = await board.pending(session, v)
        if found is None:
            raise web.HTTPForbidden(
                text='{"error": "coordinators only"}', content_type="application/json"
            )
        return {"requests": found}

    async def _decide(self, session: AsyncSession, v: Viewer, request: web.Request) -> Any:
        raw = request.match_info["id"]
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not raw.isdigit() or not isinstance(body, dict):
            raise web.HTTPBadRequest(
                text='{"error": "bad request"}', content_type="application/json"
            )
        approve = body.get("approve") is True
        reason = str(body.get("reason") or "").strip()
        t = v.t
        if not approve and not reason:
            return {"ok": False, "text": t._("Please describe it in a few words.")}
        if len(reason) > MAX_REASON:
            return {
                "ok": False,
                "text": t._("That is too long: at most {n} characters, please.", n=MAX_REASON),
            }
        done = await board.decide(
            session,
            v,
            request_id=int(raw),
            approve=approve,
            reason=reason,
            now=self.svc.clock.now(),
        )
        if done is None:
            raise web.HTTPForbidden(
                text='{"error": "coordinators only"}', content_type="application/json"
            )
        return {"ok": done[0], "text": done[1]}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _asset(name: str) -> web.Response:
    body = (resources.files("handlers.board") / "static" / name).read_bytes()
    return web.Response(body=body, content_type=ASSETS[name], charset="utf-8")
