"""Who else the page can be: people added on the spot, and whoever opens an invite link."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.app import services_of
from bot.sandbox import words
from bot.sandbox.objects import JSON, User
from bot.sandbox.runner import Sandbox
from core.domain.model import Role
from core.i18n import Tr
from storage.coordinators import unnamed
from storage.models import Person
from storage.models_people import Invite

FIRST_ID = 2001  # people added in the page; the seeded stranger is 1999
_START = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})")


def payload(url: str) -> str | None:
    """The start payload of a t.me deep link, or None for any other address."""
    found = _START.fullmatch(url.strip())
    return found.group(1) if found else None


def _user(raw: JSON) -> User:
    return User(
        int(raw["id"]), str(raw["first_name"]), raw.get("username"), raw.get("language_code")
    )


def known(sandbox: Sandbox, user_id: int) -> User | None:
    """A Telegram user of the sandbox (bound or not), as the server knows them."""
    raw = sandbox.server._users.get(user_id)
    return _user(raw) if raw is not None and not raw.get("is_bot") else None


def strangers(sandbox: Sandbox) -> list[User]:
    """Every user of the sandbox who is bound to nobody: the seeded stranger and those added."""
    bound = {p.user.id for p in sandbox.personas}
    found = (known(sandbox, uid) for uid in sorted(sandbox.server._users) if uid not in bound)
    return [u for u in found if u is not None]


def everyone(t: Tr, sandbox: Sandbox) -> list[JSON]:
    """The people the page lists: the bound with their roles, then the strangers."""
    people = [
        {
            "id": p.user.id,
            "name": p.user.first_name,
            "roles": [t._(words.ROLES[Role(r)]) for r in p.roles],
            "unit": p.unit,
            "lang": p.user.language_code,
        }
        for p in sandbox.personas
    ]
    return people + [
        {"id": u.id, "name": u.first_name, "roles": [], "unit": None, "lang": u.language_code}
        for u in strangers(sandbox)
    ]


def add(sandbox: Sandbox, t: Tr, name: str | None = None) -> User:
    """A new Telegram user with their own private chat, named `name` or Visitor n."""
    users = sandbox.server._users
    taken = {str(raw.get("first_name")) for raw in users.values()}
    n = 2  # the seeded stranger is the first visitor
    while t._(words.VISITOR, n=n) in taken:
        n += 1
    lang = "en" if t.locale == "en" else "zh-hans"
    uid = max((u for u in users if u >= FIRST_ID), default=FIRST_ID - 1) + 1
    user = User(uid, name or t._(words.VISITOR, n=n), None, lang)
    sandbox.server.introduce(user)
    return user


async def opener(sandbox: Sandbox, t: Tr, token: str) -> User:
    """Who opens the link: its person's own user, else a stranger named after them."""
    # a coordinator link's placeholder (#2e76114e) is no name: a new visitor opens that one
    assert sandbox.app is not None
    async with services_of(sandbox.app).database.session() as s:
        invite = (await s.exec(select(Invite).where(Invite.token == token))).first()
        person = await s.get(Person, invite.person_id) if invite is not None else None
    bound = person.telegram_user_id if person is not None else None
    if bound is not None and (user := known(sandbox, bound)) is not None:
        return user
    name = person.name if person is not None and not unnamed(person.name) else None
    same = [u for u in strangers(sandbox) if name is not None and u.first_name == name]
    return same[0] if same else add(sandbox, t, name)


async def open_link(sandbox: Sandbox, t: Tr, url: str) -> User | None:
    """Open a t.me start link as `opener` says: /start <payload> in their private chat."""
    token = payload(url)
    if token is None:
        return None
    user = await opener(sandbox, t, token)
    sandbox.server.send_start(user, token)
    return user
