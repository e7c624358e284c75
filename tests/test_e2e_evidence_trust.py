"""End to end: evidence you can trust: hashes in the audit chain, reuse flagged, hashes indexed."""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
from conftest import ADMIN, Bot
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id
from signoff_support import COORD_B, step
from sqlmodel import col, select
from test_e2e_signoff import REPORT, _start

from core.domain.evidence import Fingerprint, digest, same_file, used_for
from storage import audit
from storage.models import AuditEvent, EvidenceFile

PDF = b"%PDF-1.4 acceptance report"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_same_file_is_told_by_its_telegram_id_or_its_bytes() -> None:
    mine = Fingerprint("1.3.3", "U1", "aa")
    assert digest(b"abc") == _sha(b"abc")
    assert same_file(mine, Fingerprint("1.3.2", "U1", None))  # forwarded: Telegram's own id
    assert same_file(mine, Fingerprint("1.3.2", "U9", "aa"))  # a fresh upload of a copy
    assert not same_file(Fingerprint("1.3.3", "U1"), Fingerprint("1.3.2", "U2"))  # no hashes
    others = [
        Fingerprint("1.10.1", "U1"),
        Fingerprint("1.3.3", "U1", "aa"),  # itself, and the same measure again: not a reuse
        Fingerprint("1.9.1", "U5", "aa"),
        Fingerprint("1.9.1", "U1", "aa"),
        Fingerprint("2.1", "U7", "bb"),
    ]
    assert used_for(mine, others) == ["1.9.1", "1.10.1"]  # once each, in ledger order


async def _answer_done(bot: Bot, user, code: str, send) -> None:  # type: ignore[no-untyped-def]
    """Ask for sign-off of `code` from the user's dispatch; `send` uploads the evidence."""
    [dispatch] = bot.api.messages_to(user.id)[:1]
    await bot.press(user, dispatch, f"ans:{await measure_id(bot, code)}:done")
    await bot.say(user, REPORT)
    mark = bot.api.mark()
    send()
    await bot.api.wait_for(user.id, since=mark)
    await bot.api.settle()
    await step(bot, user, "f:")
    await step(bot, user, "c:", ":save")


async def _evidence_events(bot: Bot) -> list[dict[str, object]]:
    async with bot.db.session() as s:
        rows = await s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "evidence.add")
            .order_by(col(AuditEvent.seq))
        )
        return [audit.load(e.after) for e in rows.all()]


async def test_hashes_in_the_chain_reuse_flagged_and_listed_in_the_binder(bot: Bot) -> None:
    await _start(bot)
    await _answer_done(
        bot, OWNER_A, "1.3.2", lambda: bot.api.upload_document(OWNER_A, "验收报告.pdf", PDF)
    )
    [first] = await _evidence_events(bot)
    async with bot.db.session() as s:
        stored = (await s.exec(select(EvidenceFile))).one()
    assert first == {
        "measure": await measure_id(bot, "1.3.2"),
        "name": "验收报告.pdf",
        "file_unique_id": stored.file_unique_id,
        "sha256": _sha(PDF),
        "size": len(PDF),
    }
    plain_copy = bot.api.last_to(ADMIN.id).plain
    assert "已用于" not in plain_copy

    # the same file forwarded again for 1.3.3: same file_unique_id, another file_id
    await _answer_done(
        bot, OWNER_A, "1.3.3", lambda: bot.api.resend_document(OWNER_A, stored.file_id)
    )
    zh, en = bot.api.last_to(ADMIN.id).plain, bot.api.last_to(COORD_B.id).plain
    assert zh.endswith("佐证资料：1份\n⚠️ 此佐证资料已用于1.3.2：验收报告.pdf"), zh
    assert en.endswith("Evidence: 1 file\n⚠️ This evidence was already used for 1.3.2: 验收报告.pdf")

    # a fresh upload of a copy under another name, for another owner's measure: its bytes tell
    await _answer_done(
        bot, OWNER_B, "3.1.2", lambda: bot.api.upload_document(OWNER_B, "report copy.pdf", PDF)
    )
    en = bot.api.last_to(COORD_B.id).plain
    assert en.endswith("⚠️ This evidence was already used for 1.3.2 and 1.3.3: report copy.pdf"), en
    assert bot.api.last_to(ADMIN.id).plain.endswith(
        "⚠️ 此佐证资料已用于1.3.2和1.3.3：report copy.pdf"
    )
    events = await _evidence_events(bot)
    assert [e["sha256"] for e in events] == [_sha(PDF)] * 3
    assert events[1]["file_unique_id"] == first["file_unique_id"] != events[2]["file_unique_id"]

    # a file recorded without a hash (Telegram failed at upload): the binder hashes it, audited
    other = b"%PDF-1.4 photo sheet"
    kept = bot.api.store_file(other, "documents", "照片.pdf", "application/pdf")
    async with bot.db.session() as s:
        row = (
            await s.exec(select(EvidenceFile).where(EvidenceFile.name == "report copy.pdf"))
        ).one()
        s.add(
            EvidenceFile(
                programme_id=row.programme_id, measure_id=row.measure_id, update_id=row.update_id,
                file_id=kept.file_id, file_unique_id=kept.file_unique_id, name="照片.pdf",
                kind="document", size=len(other), created_at=row.created_at,
            )
        )  # fmt: skip
    reply = await bot.say(LEADER, "/export evidence")
    assert reply.document is not None
    z = zipfile.ZipFile(io.BytesIO(reply.document))
    ws = openpyxl.load_workbook(io.BytesIO(z.read("索引.xlsx"))).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == [
        "编号",
        "整改措施",
        "文件",
        "上传人",
        "日期",
        "所属进展",
        "分卷",
        "SHA-256",
        "备注",
    ]
    assert [(r[0], r[7]) for r in rows[1:]] == [
        ("1.3.2", _sha(PDF)),
        ("1.3.3", _sha(PDF)),
        ("3.1.2", _sha(PDF)),
        ("3.1.2", _sha(other)),
    ]
    async with bot.db.session() as s:
        later = (await s.exec(select(AuditEvent).where(AuditEvent.action == "evidence.hash"))).one()
        assert audit.load(later.after) == {
            "file_unique_id": kept.file_unique_id,
            "sha256": _sha(other),
        }
        assert (
            await s.exec(select(EvidenceFile).where(EvidenceFile.name == "照片.pdf"))
        ).one().sha256 == _sha(other)
    # asked again, nothing new is recorded: the hash is known now
    await bot.say(LEADER, "/export evidence")
    async with bot.db.session() as s:
        assert (
            len(
                (await s.exec(select(AuditEvent).where(AuditEvent.action == "evidence.hash"))).all()
            )
            == 1
        )
