"""The sandbox's world: its clock, its chats, and the programme seeded on first start."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.sandbox.objects import Chat, User
from core.clock import Clock
from core.domain.ledger import parse_ledger
from core.domain.model import Role
from core.domain.periods import due_slots
from storage import beats, ledger_store, people, programmes
from storage.db import Database
from storage.models import Person
from storage.models_people import UserPref
from storage.people import roles_by_person
from storage.programmes import ChatKind, rhythm_of

PROGRAMME = "巡视整改"
LEDGER = "ledger.zh.csv"
ACTOR = "sandbox"
# the seed's ledger is as of 30 September 2024: the sandbox starts on the first working day after
# the National Day holidays, before that week's dispatch (9:00) and September's report (10:00)
START = datetime(2024, 10, 8, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
IMPORTED = datetime(2024, 9, 30, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # the ledger's date
LEADERSHIP = Chat(-1001001, "supergroup", "领导小组")
TASKFORCE = Chat(-1001002, "supergroup", "整改专班")
SPARE = Chat(-1001003, "supergroup", "办公室工作群")  # attached to nothing: try /setup in it
GROUPS = (LEADERSHIP, TASKFORCE, SPARE)
COORDINATOR = User(1000, "整改专班 王敏", None, "zh-hans")
STRANGER = User(1999, "访客 Visitor", None, "zh-hans")
LEADERS = ("管委会主任", "管委会副主任（分管城建）")
ENGLISH = "建设局联络员"  # one owner reads English, to show both languages
FIRST_USER_ID = 1001


class SandboxClock(Clock):
    """Real time shifted by an offset that only grows: the bot's clock in the sandbox."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self.offset = START - datetime.now(UTC)
        if path.exists():
            self.offset = timedelta(seconds=float(json.loads(path.read_text())["offset"]))

    def restart(self) -> None:
        """Back to the start (the reset button)."""
        self.offset = START - datetime.now(UTC)

    def now(self) -> datetime:
        """Real time plus the offset."""
        return datetime.now(UTC) + self.offset

    def advance_to(self, moment: datetime) -> None:
        """Jump forward to a moment (never back) and remember it across restarts."""
        self.offset += max(timedelta(0), moment - self.now())
        self.save()

    def save(self) -> None:
        """Write the offset beside the database."""
        self._path.write_text(json.dumps({"offset": self.offset.total_seconds()}))


@dataclass(frozen=True)
class Persona:
    """Someone the page lets you be: a Telegram user and their roles in the programme."""

    user: User
    roles: tuple[str, ...]
    unit: str | None = None


def ledger_bytes() -> bytes:
    """The seed's ledger, shipped in the package."""
    return (resources.files("bot.sandbox") / "data" / LEDGER).read_bytes()


async def seed(db: Database, now: datetime) -> int:
    """Create the programme, import the ledger, attach both groups and bind everyone.

    All of it is dated the ledger's day (30 September), so September's report counts it; what
    was due before `now` is recorded as sent, as if the bot had been running since.
    """
    parsed = parse_ledger(ledger_bytes(), LEDGER)
    then, today = IMPORTED, IMPORTED.date()
    async with db.session() as s:
        programme = await programmes.create(s, name=PROGRAMME, actor=ACTOR, now=then)
        pid = programme.id
        assert pid is not None
        await ledger_store.apply(
            s, programme_id=pid, rows=parsed.rows, actor=ACTOR, now=then, today=today
        )
        for chat, kind in ((LEADERSHIP, ChatKind.LEADERSHIP), (TASKFORCE, ChatKind.TASKFORCE)):
            await programmes.attach_chat(
                s, programme=programme, chat_id=chat.id, kind=kind, actor=ACTOR, now=then
            )
        # the bot has been running before: what was due before the sandbox's first morning is done
        for slot in due_slots(rhythm_of(programme), now, ()):
            await beats.claim(
                s, programme_id=pid, beat=slot.beat, period=slot.period, now=now, manual=False
            )
        me = await people.person_named(s, programme_id=pid, name=COORDINATOR.first_name)
        assert me.id is not None
        await people.grant(s, programme_id=pid, person_id=me.id, role=Role.COORDINATOR)
        await _bind(s, me, COORDINATOR.id, then)
        roles = await roles_by_person(s, programme_id=pid)
        everyone = await people.people(s, programme_id=pid)
        chosen = [
            p
            for p in everyone
            if p.id is not None
            and (Role.OWNER in roles.get(p.id, set()) or p.name in LEADERS)
            and p.id != me.id
        ]
        for n, person in enumerate(sorted(chosen, key=lambda p: (p.name not in LEADERS, p.name))):
            await _bind(s, person, FIRST_USER_ID + n, then)
            if person.name == ENGLISH:
                await people.set_pref(s, user_id=FIRST_USER_ID + n, tg_locale="en")
    return pid


async def _bind(s: AsyncSession, person: Person, user_id: int, now: datetime) -> None:
    await people.bind(
        s, person=person, user_id=user_id, display_name=person.name, actor=ACTOR, now=now
    )


async def personas(db: Database) -> list[Persona]:
    """Everyone bound in the sandbox's programme, coordinator and leaders first, then owners."""
    async with db.session() as s:
        programme = await programmes.by_name(s, name=PROGRAMME)
        if programme is None or programme.id is None:
            return []
        roles = await roles_by_person(s, programme_id=programme.id)
        units = await people.unit_names(s, programme_id=programme.id)
        bound = [p for p in await people.people(s, programme_id=programme.id) if p.telegram_user_id]
        prefs = await s.exec(select(UserPref))
        english = {p.telegram_user_id for p in prefs.all() if (p.locale or p.tg_locale) == "en"}
    found = []
    for p in bound:
        assert p.telegram_user_id is not None and p.id is not None
        lang = "en" if p.telegram_user_id in english else "zh-hans"
        name = p.telegram_name or p.name
        user = User(p.telegram_user_id, name, None, lang)
        held = tuple(r.value for r in sorted(roles.get(p.id, set()), key=_rank))
        found.append(Persona(user, held, units.get(p.unit_id) if p.unit_id else None))
    return sorted(
        found, key=lambda x: (min((_rank(Role(r)) for r in x.roles), default=9), x.user.id)
    )


def _rank(role: Role) -> int:
    return {Role.COORDINATOR: 0, Role.LEADER: 1, Role.OWNER: 2, Role.LIAISON: 3}[role]
