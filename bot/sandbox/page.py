"""The page that plays Telegram: static HTML and JavaScript plus a small JSON API."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import datetime
from importlib import resources
from urllib.parse import quote, unquote, urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.sandbox import visitors, words, world
from bot.sandbox.guard import Guard
from bot.sandbox.objects import BOT_TOKEN, BOT_USERNAME, JSON, Chat, User, scope_key
from bot.sandbox.runner import Sandbox
from core.domain.initdata import sign
from core.domain.model import Beat
from core.i18n import Tr, tr
from core.languages import match
from handlers.board.web import Board

_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
_STATIC = ("index.html", "app.js", "style.css")


class Page:
    """The page's routes, on the embedded server's own aiohttp application."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.server = sandbox.server
        self.guard = Guard(lambda: self.server.port)

    def routes(self, app: web.Application) -> None:
        """Add the page and its API to the server's application, behind the guard."""
        self.guard.install(app)
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/api/world", self._world)
        app.router.add_get("/api/chat/{chat}", self._chat)
        app.router.add_get("/api/wait", self._wait)
        app.router.add_get("/api/file/{file_id}", self._file)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/upload", self._upload)
        app.router.add_post("/api/open", self._open)
        app.router.add_post("/api/person", self._add_person)
        app.router.add_post("/api/beat", self._beat)
        app.router.add_post("/api/advance", self._advance)
        app.router.add_post("/api/reset", self._reset)
        app.router.add_post("/api/board", self._board)
        Board(lambda: self.sandbox.app).routes(app)  # the Mini App itself, as the bot serves it

    # ---- what the page shows ----------------------------------------------------------------

    def version(self) -> str:
        """Changes whenever something visible in a chat changes."""
        s = self.server
        edits = sum(len(m.history) for m in s.sent)
        answered = sum(1 for a in s._answered.values() if a is not None)
        return f"{len(s._messages)}.{edits}.{len(s.deleted)}.{answered}.{len(s.commands)}"

    def bot_messages_per_chat(self) -> dict[str, int]:
        """How many messages the bot sent each chat, for the page's unread badges."""
        return dict(Counter(str(m.chat_id) for m in self.server.sent))

    async def _index(self, request: web.Request) -> web.Response:
        page = _asset("index.html", token=self.guard.token)  # for app.js to send back
        page.headers["Cache-Control"] = "no-store"  # a cached copy would hold an old token
        return page

    async def _static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound()
        return _asset(name)

    async def _world(self, request: web.Request) -> web.Response:
        t = _page_tr(request)
        sb = self.sandbox
        await sb.refresh_personas()
        people = visitors.everyone(t, sb)
        beats = [
            {
                "beat": b.value,
                "label": words.beat_label(t, b),
                "next": _when(t, moment),
                "sent": sent,
            }
            for b, moment, sent in (await sb.next_beats() if sb.app else [])
        ]
        lookback = await sb.next_lookback() if sb.app else None
        if lookback is not None:  # 回头看: the first closed measure waiting for one
            label = t._(words.LOOKBACK)
            when = _when(t, lookback[1])
            beats.append({"beat": "lookback", "label": label, "next": when, "sent": False})
        return web.json_response(
            {
                "lang": t.locale,
                "strings": words.strings(t),
                "people": people,
                "stranger": world.STRANGER.id,
                "groups": [{"id": g.id, "title": g.title} for g in world.GROUPS],
                "now": _when(t, sb.clock.now()),
                "beats": beats,
                "bot": BOT_USERNAME,
                "counts": self.bot_messages_per_chat(),
                "version": self.version(),
            }
        )

    async def _chat(self, request: web.Request) -> web.Response:
        t, chat_id = _page_tr(request), int(request.match_info["chat"])
        raws = sorted(
            (raw for (c, _), raw in self.server._messages.items() if c == chat_id),
            key=lambda raw: int(raw["message_id"]),
        )
        user = self._user(int(request.query.get("as", chat_id)))
        scope = "all_private_chats" if chat_id > 0 else "all_group_chats"
        lang = (user.language_code or "").split("-")[0]
        commands = self.server.commands.get(scope_key({"type": scope}, lang)) or (
            self.server.commands.get(scope_key({"type": scope}, "")) or []
        )
        messages = [self._message(t, raw) for raw in raws]
        return web.json_response(
            {"messages": messages, "commands": commands, "version": self.version()}
        )

    def _message(self, t: Tr, raw: JSON) -> JSON:
        key = (int(raw["chat"]["id"]), int(raw["message_id"]))
        sender = raw.get("from") or {}
        out: JSON = {
            "id": key[1],
            "bot": bool(sender.get("is_bot")),
            "sender": sender.get("first_name", ""),
            "date": _when(t, datetime.fromtimestamp(int(raw["date"]), world.START.tzinfo)),
            "text": raw.get("text") or raw.get("caption") or "",
            "edited": "edit_date" in raw,
            "deleted": key in self.server.deleted,
            "buttons": [
                [
                    {
                        "text": b["text"],
                        "data": b.get("callback_data"),
                        "url": b.get("url"),
                        "web_app": (b.get("web_app") or {}).get("url"),
                    }
                    for b in row
                ]
                for row in (raw.get("reply_markup") or {}).get("inline_keyboard", [])
            ],
        }
        if (reply := raw.get("reply_to_message")) is not None:
            snippet = reply.get("text") or reply.get("caption") or ""
            out["reply_to"] = {"id": reply["message_id"], "text": snippet[:80]}
        if (doc := raw.get("document")) is not None:
            out["document"] = {"file_id": doc["file_id"], "name": doc.get("file_name") or "file"}
        if photo := raw.get("photo"):
            out["photo"] = {"file_id": photo[-1]["file_id"]}
        return out

    async def _wait(self, request: web.Request) -> web.Response:
        """Answers when the version differs from the page's, or after 20 seconds."""
        seen, deadline = request.query.get("version", ""), time.monotonic() + 20.0
        while self.version() == seen and time.monotonic() < deadline:
            await self.server._wait_change(min(1.0, deadline - time.monotonic()))
        return web.json_response({"version": self.version()})

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.server.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        how = "inline" if request.query.get("inline") else "attachment"
        headers = {"Content-Disposition": f"{how}; filename*=UTF-8''{quote(name)}"}
        mime = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.content, content_type=mime, headers=headers)

    # ---- what the person does ---------------------------------------------------------------

    def _user(self, user_id: int) -> User:
        return visitors.known(self.sandbox, user_id) or world.STRANGER

    def _where(self, chat_id: int) -> Chat | None:
        return next((g for g in world.GROUPS if g.id == chat_id), None)

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        user, chat = self._user(int(body["as"])), self._where(int(body["chat"]))
        text, reply_to = str(body.get("text", "")).strip(), body.get("reply_to")
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        if chat is None:
            sent = self.server.send_private(user, text, reply_to=reply_to)
        else:
            sent = self.server.send_group(chat, user, text, reply_to=reply_to)
        return web.json_response({"message_id": sent["message_id"]})

    async def _press(self, request: web.Request) -> web.Response:
        body = await request.json()
        user, key = self._user(int(body["as"])), (int(body["chat"]), int(body["message_id"]))
        message = self.server._bot_messages.get(key)
        if message is None:
            raise web.HTTPNotFound(text="no such message")
        query = self.server.press(user, message, str(body["data"]))
        deadline = time.monotonic() + 10.0
        while self.server._answered.get(query["id"]) is None and time.monotonic() < deadline:
            await self.server._wait_change(0.2)
        answer = self.server._answered.get(query["id"]) or {}
        return web.json_response(
            {"text": answer.get("text") or "", "alert": bool(answer.get("show_alert"))}
        )

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        user, chat = self._user(int(str(form["as"]))), self._where(int(str(form["chat"])))
        caption = str(form.get("caption") or "") or None
        reply = int(str(form["reply_to"])) if form.get("reply_to") else None
        content, mime = upload.file.read(), upload.content_type or ""
        if mime.startswith("image/"):
            sent = self.server.upload_photo(user, content, caption, reply, chat=chat)
        else:
            sent = self.server.upload_document(
                user, unquote(upload.filename), content, mime_type=mime or None, caption=caption,
                chat=chat, reply_to=reply,
            )  # fmt: skip
        return web.json_response({"message_id": sent["message_id"]})

    async def _open(self, request: web.Request) -> web.Response:
        """A t.me start link pressed in a chat: whoever opens it, as `visitors.opener` says."""
        url = str((await request.json()).get("url", ""))
        user = await visitors.open_link(self.sandbox, _page_tr(request), url)
        if user is None:
            raise web.HTTPBadRequest(text="not a start link")
        return web.json_response({"id": user.id})

    async def _add_person(self, request: web.Request) -> web.Response:
        return web.json_response({"id": visitors.add(self.sandbox, _page_tr(request)).id})

    async def _beat(self, request: web.Request) -> web.Response:
        t, name = _page_tr(request), str((await request.json())["beat"])
        if name == "lookback":
            async with self.sandbox.lock:
                asked = await self.sandbox.run_lookback_now()
            said = t._(words.LOOKBACK_ASKED if asked else words.LOOKBACK_NONE)
            return web.json_response({"outcome": "sent" if asked else "none", "text": said})
        beat = Beat(name)
        async with self.sandbox.lock:
            result = await self.sandbox.run_now(beat)
        said = t._(words.OUTCOMES[result.outcome.value], beat=words.beat_label(t, beat))
        return web.json_response({"outcome": result.outcome.value, "text": said})

    async def _advance(self, request: web.Request) -> web.Response:
        to = str((await request.json()).get("to", "day"))
        async with self.sandbox.lock:
            await self.sandbox.advance("beat" if to == "beat" else "day")
        await asyncio.sleep(0)
        return web.json_response({"now": _when(_page_tr(request), self.sandbox.clock.now())})

    async def _board(self, request: web.Request) -> web.Response:
        """The board's address for a person, as Telegram opens a Mini App: initData in the
        fragment, signed with the sandbox's own token."""
        user = self._user(int((await request.json())["as"]))
        who = {"id": user.id, "first_name": user.first_name, "language_code": user.language_code}
        data = sign(who, bot_token=BOT_TOKEN, now=self.sandbox.clock.now())
        fragment = urlencode({"tgWebAppData": data, "tgWebAppVersion": "8.0"})
        return web.json_response({"url": f"/app/#{fragment}"})

    async def _reset(self, request: web.Request) -> web.Response:
        await self.sandbox.reset()
        return web.json_response({"now": _when(_page_tr(request), self.sandbox.clock.now())})


def _asset(name: str, token: str = "") -> web.Response:
    body = (resources.files("bot.sandbox") / "static" / name).read_bytes()
    body = body.replace(b"{{token}}", token.encode()) if token else body
    kind = _TYPES["." + name.rsplit(".", 1)[1]]
    return web.Response(body=body, content_type=kind, charset="utf-8")


def _page_tr(request: web.Request) -> Tr:
    return tr(match(request.query.get("lang")) or "zh_CN")


def _when(t: Tr, moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{t.date(local.date())} {local.hour}:{local.minute:02d}"
