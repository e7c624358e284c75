"""The evidence binder: folders per measure, the index against the files, big files listed, parts."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import openpyxl
from conftest import Bot
from rhythm_support import LEADER, seed
from sqlmodel import select

from core.domain.binder import Entry, folder, parts, safe_name, unique_paths
from core.domain.ledger_words import normal_code
from core.domain.model import Health
from core.i18n import tr
from core.render.binder import index_sheet
from storage import answers
from storage.answers import Evidence
from storage.models import Measure, Person

BIG = 20 * 1024 * 1024 + 1


def _entry(name: str, code: str = "1.1") -> Entry:
    return Entry(code, "措施：甲/乙", name, "某人", date(2024, 9, 1), "", "F", 10)


def test_paths_are_safe_and_unique() -> None:
    assert folder("1.1", "措施：甲/乙") == "1.1 措施：甲_乙"
    paths = unique_paths([_entry("a.pdf"), _entry("a.pdf"), _entry("b"), _entry("b")])
    assert paths == [
        "1.1 措施：甲_乙/a.pdf",
        "1.1 措施：甲_乙/a (2).pdf",
        "1.1 措施：甲_乙/b",
        "1.1 措施：甲_乙/b (2)",
    ]


def test_a_long_name_keeps_its_extension_and_no_bidi_control() -> None:
    long = "整改报告" * 30 + ".docx"
    rtl = "报告\u202efdp.exe"  # U+202E: reads as 报告exe.pdf
    assert unique_paths([_entry(long), _entry(rtl), _entry("a" * 100)]) == [
        "1.1 措施：甲_乙/" + "整改报告" * 18 + "整改报.docx",  # 80 characters, .docx kept
        "1.1 措施：甲_乙/报告fdp.exe",
        "1.1 措施：甲_乙/" + "a" * 80,  # no extension to keep
    ]
    assert len("整改报告" * 18 + "整改报.docx") == 80
    assert normal_code("1.1\u202e\u2066") == "1.1"  # codes lose them too


def test_names_are_capped_at_their_limit() -> None:
    # a folder name: code and title, at most 40 characters, no trailing space or dot after the cut
    title = "新建污水管网" * 10
    assert folder("1.1", title) == ("1.1 " + title)[:40]
    assert folder("1.1", "x" * 35 + " . yz") == "1.1 " + "x" * 35
    assert safe_name("x" * 40) == "x" * 40 and safe_name("x" * 41) == "x" * 40
    # a file name: at most 80, its extension (up to 10 characters) kept
    assert safe_name("a" * 76 + ".pdf", 80, file=True) == "a" * 76 + ".pdf"
    assert safe_name("a" * 77 + ".pdf", 80, file=True) == "a" * 76 + ".pdf"
    assert safe_name("a" * 75 + "..pdf", 80, file=True) == "a" * 75 + "..pdf"  # 80: not cut
    assert safe_name("a" * 80 + "." + "b" * 10, 80, file=True) == "a" * 69 + "." + "b" * 10
    assert safe_name("a" * 80 + "." + "b" * 11, 80, file=True) == "a" * 80  # no extension


def test_the_index_columns_are_capped_at_forty() -> None:
    entries = [_entry("a.pdf"), Entry("1.2", "短", "b.pdf", "某人", date(2024, 9, 1), "", "F", 1)]
    long = "很长的整改措施名称" * 5  # 90 columns wide on screen
    entries[0] = Entry("1.1", long, "a.pdf", "某人", date(2024, 9, 1), "", "F", 10)
    sheet = index_sheet(tr("zh_CN"), entries, unique_paths(entries), {0: 1, 1: 1}, {})
    ws = openpyxl.load_workbook(io.BytesIO(sheet)).worksheets[0]
    widths = {c: ws.column_dimensions[c].width for c in "ABD"}
    assert widths == {"A": 6, "B": 40, "D": 8}  # 编号: 4+2; capped; 上传人: 6+2


def test_parts_stay_under_the_limit() -> None:
    assert parts([30, 30, 30], limit=70) == [[0, 1], [2]]
    assert parts([90, 10], limit=70) == [[0], [1]]  # a file over the limit travels alone
    assert parts([], limit=70) == [[]]


async def _attach(bot: Bot, code: str, files: list[tuple[str, bytes]], note: str) -> None:
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == code))).one()
        owner = await s.get(Person, m.owner_id)
        assert owner is not None and owner.id is not None
        evidence = []
        for name, content in files:
            stored = bot.api.store_file(content, "documents", name, "application/pdf")
            evidence.append(
                Evidence(
                    stored.file_id, stored.file_unique_id, name, "document", None, len(content)
                )
            )
        await answers.record_update(
            s,
            measure=m,
            person_id=owner.id,
            actor="test",
            health=Health.ON_TRACK,
            now=bot.clock.now(),
            note=note,
            files=evidence,
        )


def _index(z: zipfile.ZipFile) -> list[list[object]]:
    ws = openpyxl.load_workbook(io.BytesIO(z.read("索引.xlsx"))).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


async def test_binder_zip_with_index_and_a_file_too_big_for_bots(bot: Bot) -> None:
    await seed(bot)
    await _attach(
        bot, "1.3.2", [("水厂验收报告.pdf", b"%PDF-1 a"), ("照片.pdf", b"%PDF-1 b")], "已通水"
    )
    await _attach(bot, "3.1.2", [("录像.pdf", b"x" * BIG)], "复工")
    reply = await bot.say(LEADER, "/export evidence")
    assert reply.method == "sendDocument", reply.plain
    assert reply.filename == "P整改佐证资料.zip"
    assert reply.document is not None
    z = zipfile.ZipFile(io.BytesIO(reply.document))
    names = sorted(z.namelist())
    water = next(n for n in names if n.startswith("1.3.2 "))
    folder_name = water.split("/")[0]
    assert names == sorted(
        ["索引.xlsx", f"{folder_name}/水厂验收报告.pdf", f"{folder_name}/照片.pdf"]
    )
    assert z.read(f"{folder_name}/照片.pdf") == b"%PDF-1 b"
    rows = _index(z)
    header = ["编号", "整改措施", "文件", "上传人", "日期", "所属进展", "分卷", "SHA-256", "备注"]
    assert rows[0] == header
    assert [r[0] for r in rows[1:]] == ["1.3.2", "1.3.2", "3.1.2"]
    assert rows[1][2] == f"{folder_name}/水厂验收报告.pdf" and rows[1][3] == "城市管理局联络员"
    assert rows[1][5] == "已通水" and rows[1][6] == 1
    assert rows[1][7] == hashlib.sha256(b"%PDF-1 a").hexdigest()  # hashed as it was fetched
    assert rows[3][2] == "录像.pdf" and rows[3][6] is None and rows[3][7] is None
    assert "20MB" in str(rows[3][8])


async def test_binder_for_one_measure_and_unknown_scopes(bot: Bot) -> None:
    await seed(bot)
    await _attach(bot, "1.3.2", [("a.pdf", b"a")], "")
    await _attach(bot, "3.1.2", [("b.pdf", b"b")], "")
    one = await bot.say(LEADER, "/export evidence 1.3.2")
    assert one.document is not None and one.filename == "P整改佐证资料 1.3.2.zip"
    assert [
        n for n in zipfile.ZipFile(io.BytesIO(one.document)).namelist() if n.endswith(".pdf")
    ] == [n for n in zipfile.ZipFile(io.BytesIO(one.document)).namelist() if n.startswith("1.3.2 ")]
    assert "没有" in (await bot.say(LEADER, "/export evidence area 9")).plain
    assert "尚未" in (await bot.say(LEADER, "/export evidence 1.1.1")).plain


async def test_an_evidence_file_name_loses_its_bidi_override(bot: Bot) -> None:
    from rhythm_support import OWNER_A
    from signoff_support import ask_signoff
    from test_e2e_signoff import _start

    from storage.models import EvidenceFile

    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["验收\u202efdp.exe"])
    async with bot.db.session() as s:
        names = [e.name for e in (await s.exec(select(EvidenceFile))).all()]
    assert names == ["验收fdp.exe"]
