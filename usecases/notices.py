"""Telling someone other than the person acting: planned in the outbox, in the same transaction.

A notice commits with what it tells of, or not at all, and the sender delivers it once the
transaction is committed (paced, retried, recorded): nothing is sent from inside an update, so
a crash between a commit and a send loses nothing, and no update waits for other people's sends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.render.plain_keys import Keyboard
from storage.models import OutboxMessage, Person
from storage.outbox_plan import plan

NOTICE = "notice"  # the outbox beat of messages outside the rhythm
KEEP = timedelta(days=7)  # a notice not delivered within a week is given up (and reported)
PLANNED = "cadence.notices"  # session.info key: notices to deliver once this session commits
EDIT = "edit"  # the outbox kind that edits a message already out (the row's message_id)


def tell(
    session: AsyncSession,
    *,
    programme_id: int,
    about: str,
    text: str,
    now: datetime,
    person: Person | None = None,
    chat_id: int | None = None,
    markup: Keyboard | None = None,
    locale: str = "",
    measure_ids: list[int] | None = None,
    file: tuple[str, str, bytes] | None = None,
) -> OutboxMessage | None:
    """Plan one message to a person (privately) or a chat; None when they have no chat to reach.

    `about` names what it tells of (e.g. "blocked:12"); a person marked unreachable gets it held
    until they write again. `file`: (kind, filename, bytes), a photo or document; `text` is then
    its caption. A long text goes in as many messages as it needs.
    """
    chat = chat_id if chat_id is not None else (person.telegram_user_id if person else None)
    if chat is None:
        return None
    count = int(session.info.get(PLANNED, 0)) + 1
    session.info[PLANNED] = count
    return plan(
        session,
        programme_id=programme_id,
        beat=NOTICE,
        # unique per transaction and moment: a retried transaction plans it again, not twice
        period=f"{about}@{now.isoformat()}"[:200],
        key=f"{chat}:{count}",
        chat_id=chat,
        text=text,
        now=now,
        expires=now + KEEP,
        person=person,
        markup=markup,
        measure_ids=measure_ids,
        locale=locale,
        file=file,
    )


def edit(
    session: AsyncSession,
    *,
    programme_id: int,
    about: str,
    chat_id: int,
    message_id: int,
    text: str,
    now: datetime,
    person_id: int | None = None,
    locale: str = "",
) -> OutboxMessage | None:
    """Plan an edit of a message already out: its new text, and no buttons left.

    Held, like a message, while its reader cannot be reached (`person_id`).
    """
    row = tell(
        session, programme_id=programme_id, about=about, chat_id=chat_id, text=text, now=now,
        locale=locale, file=(EDIT, "", b""),
    )  # fmt: skip
    if row is not None:
        row.message_id, row.person_id, row.payload = message_id, person_id, None
    return row


def planned(session: AsyncSession) -> bool:
    """Whether the session planned notices (the caller kicks the sender after its commit)."""
    return bool(session.info.get(PLANNED))
