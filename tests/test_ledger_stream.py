"""The import's lean paths: CSV lines split as before, and new people's phones as before."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from core.domain.ledger import parse_ledger
from core.domain.ledger_csv import csv_rows
from storage import audit, ledger_store, programmes
from storage.db import Database
from storage.models import AuditEvent, Person

NOW = datetime(2024, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态"


def test_csv_rows_split_records_only_where_a_csv_reader_of_the_text_does() -> None:
    # \u2028, \x0b, \x1c and \x85 end a line for str.splitlines, never for a CSV file; a quoted
    # cell keeps its own line breaks, and a last line may have none
    text = 'a,b\u2028c,d\x0be\r\n"x\r\ny",z\x1c\x85\rq,"r\nr"\nlast,1'
    expected = [
        (1, ("a", "b\u2028c", "d\x0be")),
        (2, ("x\r\ny", "z\x1c\x85")),
        (3, ("q", "r\nr")),
        (4, ("last", "1")),
    ]
    assert list(csv_rows(text.encode())) == expected
    reader = csv.reader(io.StringIO(text, newline=""))
    assert [(n, tuple(r)) for n, r in enumerate(reader, start=1)] == expected


def test_an_unclosed_quote_still_names_its_row() -> None:
    data = f'{HEADER}\nA-1,方面,问题,措施,领导,单位,,"张三,2024-12-31,推进中\nA-2,x'.encode()
    parsed = parse_ledger(data, "l.csv")
    assert [(i.row, i.problem.value) for i in parsed.issues] == [(2, "unclosed_quote")]


async def test_a_new_persons_phones_are_written_and_audited_in_file_order(db_url: str) -> None:
    rows = [
        "A-1,方面,问题一,措施一,领导,单位,,张三（13800000001）,2024-12-31,推进中",
        "A-2,方面,问题一,措施二,领导,单位,,张三（13800000002）,2024-12-31,推进中",
        "A-3,方面,问题二,措施三,领导,单位,,李四（13800000003）,2024-12-31,推进中",
        "A-4,方面,问题二,措施四,领导,单位,,张三,2024-12-31,推进中",
    ]
    parsed = parse_ledger("\n".join([HEADER, *rows]).encode(), "l.csv")
    assert parsed.ok, parsed.issues
    db = Database(db_url)
    try:
        async with db.session() as s:
            programme = await programmes.create(s, name="Phones", actor="t", now=NOW)
            assert programme.id is not None
            pid = programme.id
        async with db.session() as s:
            await ledger_store.apply(
                s, programme_id=pid, rows=parsed.rows, actor="t", now=NOW, today=NOW.date()
            )
        async with db.session() as s:
            people = await s.exec(
                select(Person.name, Person.contact, Person.unit_id).where(
                    Person.programme_id == pid, col(Person.name).in_(["张三", "李四"])
                )
            )
            found = {name: (contact, unit is not None) for name, contact, unit in people}
            assert found == {"张三": ("13800000002", True), "李四": ("13800000003", True)}
            events = await s.exec(
                select(AuditEvent.before, AuditEvent.after)
                .where(AuditEvent.programme_id == pid, AuditEvent.action == "person.contact")
                .order_by(col(AuditEvent.seq))
            )
            assert [(audit.load(b), audit.load(a)) for b, a in events] == [
                ({"contact": None}, {"contact": "13800000001"}),
                ({"contact": "13800000001"}, {"contact": "13800000002"}),
                ({"contact": None}, {"contact": "13800000003"}),
            ]
            assert (await audit.verify(s, programme_id=pid))[1] is None
    finally:
        await db.dispose()
