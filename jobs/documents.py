"""The documents (ledger workbook, monthly report files) built from stored data, and posting them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.domain import documents, report
from bot.i18n import Tr
from bot.render.xlsx import ledger_workbook
from storage import documents as stored
from storage import measures
from storage.models import Programme


@dataclass(frozen=True)
class Document:
    """A file to post: a document, or a photo shown inline."""

    filename: str
    data: bytes
    photo: bool = False
    caption: str = ""


async def records(
    session: AsyncSession, *, programme: Programme, as_of: date
) -> list[documents.Record]:
    """Every live measure of the programme with its extras, in ledger order."""
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    extras = await stored.extras(
        session,
        programme_id=programme.id,
        rows=[m for m, _ in rows],
        as_of=as_of,
        tz=programme.timezone,
    )
    return documents.records([f for _, f in rows], extras)


def ledger_file(t: Tr, content: documents.LedgerContent) -> Document:
    """The ledger workbook as a file named for the programme and the day."""
    name = t._("{programme} ledger {date}", programme=content.programme, date=t.date(content.as_of))
    return Document(f"{name}.xlsx", ledger_workbook(t, content))


async def ledger(session: AsyncSession, *, programme: Programme, as_of: date, t: Tr) -> Document:
    """The ledger workbook as of a day."""
    rows = await records(session, programme=programme, as_of=as_of)
    return ledger_file(t, documents.ledger(programme.name, rows, as_of))


async def monthly_files(
    session: AsyncSession, *, programme: Programme, content: report.MonthlyReport, t: Tr
) -> list[Document]:
    """The monthly report's files: the ledger as the report saw it at the month's end."""
    rows = await records(session, programme=programme, as_of=content.as_of)
    return [ledger_file(t, documents.monthly_ledger(programme.name, rows, content))]


async def post(bot: Bot, chat_id: int, files: list[Document]) -> None:
    """Send each file to the chat: photos inline, the rest as documents."""
    for f in files:
        if f.photo:
            await bot.send_photo(chat_id, f.data, caption=f.caption or None, filename=f.filename)
        else:
            await bot.send_document(chat_id, f.data, filename=f.filename, caption=f.caption or None)
