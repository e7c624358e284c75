"""/people as text and buttons: who is bound, who has not opened their link, and role cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from core.domain.model import Role
from core.domain.roles import HAND_ROLES
from core.i18n import N_, Tr
from core.render import labels
from core.render.callbacks_people import PeoplePage, PersonCard, Reissue, RoleSwitch
from core.render.limits import fit, page
from core.render.plain_keys import Key, Keyboard

PAGE_SIZE = 10  # people buttons on one page, two a row
LABEL = 24


@dataclass(frozen=True)
class Someone:
    """One person as /people shows them."""

    person_id: int
    name: str
    roles: frozenset[Role]
    contact: str | None = None
    bound: bool = False
    unreachable_since: datetime | None = None  # in the programme's time zone
    link_sent: date | None = None  # an unopened link, issued long enough ago to remind


def roles_text(t: Tr, roles: Iterable[Role]) -> str:
    """整改专班成员和责任人 / coordinator and owner."""
    return t.join(t._(labels.ROLE[r]) for r in sorted(roles))


def _line(t: Tr, p: Someone, today: date) -> str:
    text = t._("{name} ({roles})", name=p.name, roles=roles_text(t, p.roles))
    if p.contact:
        text += f" ☎ {p.contact}"
    if p.unreachable_since is not None:
        since = t.moment(p.unreachable_since, today)
        text += " ⚠️ " + t._("unreachable since {when}", when=since)
    return text


def people_text(t: Tr, everyone: Sequence[Someone], today: date, days: int) -> str:
    """Bound, not yet bound, and the links not opened after `days` days."""
    bound = ["✅ " + _line(t, p, today) for p in everyone if p.bound]
    unbound = ["▫️ " + _line(t, p, today) for p in everyone if not p.bound]
    stale = [
        "⏳ " + t._("{name} (link sent {when})", name=p.name, when=t.when(p.link_sent, today))
        for p in everyone
        if p.link_sent is not None
    ]
    parts = [
        "\n".join([t._("Bound: {n}", n=len(bound)), *bound]),
        "\n".join([t._("Not yet bound: {n}", n=len(unbound)), *unbound]),
    ]
    if stale:
        head = t.n_(
            "Invite link not opened after {days} days: {n}",
            "Invite links not opened after {days} days: {n}",
            len(stale),
            days=days,
        )
        parts.append("\n".join([head, *stale]))
    hints = []
    if any(p.bound for p in everyone):
        hints.append(t._("Press a name to grant or remove the coordinator or leader role."))
    if stale:
        hints.append(t._("Press 🔁 for a fresh link for someone who has not opened theirs."))
    if hints:
        parts.append(t.sentences(*hints))
    return "\n\n".join(parts)


def people_keyboard(t: Tr, everyone: Sequence[Someone], number: int = 0) -> Keyboard | None:
    """A fresh-link button per unopened link, then the bound people two a row, paged."""
    rows = [
        [Key(fit("🔁 " + p.name, LABEL), callback_data=Reissue(p.person_id).pack())]
        for p in everyone
        if p.link_sent is not None
    ][:PAGE_SIZE]
    bound = [p for p in everyone if p.bound]
    if bound:
        pg = page(len(bound), PAGE_SIZE, number)
        names = [
            Key(fit(p.name, LABEL), callback_data=PersonCard(p.person_id).pack())
            for p in bound[pg.start : pg.stop]
        ]
        rows += [names[i : i + 2] for i in range(0, len(names), 2)]
        nav = []
        if pg.has_prev:
            nav.append(Key(t._("◀ Previous page"), callback_data=PeoplePage(pg.number - 1).pack()))
        if pg.has_next:
            label = t._("More ({page}/{pages}) ▶", page=pg.number + 2, pages=pg.count)
            nav.append(Key(label, callback_data=PeoplePage(pg.number + 1).pack()))
        if nav:
            rows.append(nav)
    return Keyboard(rows) if rows else None


def card_text(t: Tr, p: Someone) -> str:
    """One person: their roles, and what the buttons do."""
    roles = roles_text(t, p.roles) if p.roles else t._("none")
    return "\n".join([p.name, t._("Roles: {roles}", roles=roles)])


ON = {Role.COORDINATOR: N_("Make coordinator"), Role.LEADER: N_("Make leader")}
OFF = {Role.COORDINATOR: N_("Remove coordinator role"), Role.LEADER: N_("Remove leader role")}


def card_keyboard(t: Tr, p: Someone) -> Keyboard:
    """Grant or remove each role /people manages, as the person holds it now."""
    buttons = []
    for role in HAND_ROLES:
        held = role in p.roles
        label = t._(OFF[role]) if held else t._(ON[role])
        data = RoleSwitch(p.person_id, role.value, "off" if held else "on").pack()
        buttons.append([Key(label, callback_data=data)])
    return Keyboard(buttons)
