"""Catalogs complete in both languages, no text bypassing gettext, formats per locale."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.domain.report import Counts
from bot.i18n import LOCALES, Tr, tr
from bot.render.digest import headline

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("bot", "handlers", "jobs", "storage")
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}


def source_msgids() -> set[str]:
    """Every msgid the code marks for translation."""
    found: set[str] = set()
    for folder in SOURCES:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_msgid_translated(locale: str) -> None:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "cadence.po").open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for msgid in sorted(source_msgids()):
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None else ""
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(values) or entry.fuzzy:
            missing.append(msgid)
    assert not missing, f"untranslated in {locale}: {missing}"


SEND_CALLS = {
    "reply_text",
    "send_message",
    "edit_message_text",
    "answer",
    "send",
    "to_person",
    "InlineKeyboardButton",
    "BotCommand",
    "reply_long",
}
ALLOWED = {"中文", "English"}  # language names are shown in their own language on purpose


def test_no_user_visible_literal_bypasses_gettext() -> None:
    offenders = []
    for folder in ("handlers", "jobs", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = (
                    node.func.attr
                    if isinstance(node.func, ast.Attribute)
                    else getattr(node.func, "id", "")
                )
                if name not in SEND_CALLS:
                    continue
                args = list(node.args) + [
                    k.value for k in node.keywords if k.arg in ("text", "message")
                ]
                for arg in args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and arg.value.strip()
                        and arg.value not in ALLOWED
                    ):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value!r}")
                    if isinstance(arg, ast.JoinedStr) and any(
                        isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value))
                        for v in arg.values
                    ):
                        offenders.append(
                            f"{path.relative_to(ROOT)}:{node.lineno}: f-string with words"
                        )
    assert not offenders, "\n".join(offenders)


def test_dates_and_numbers_per_locale() -> None:
    zh, en = tr("zh_CN"), tr("en")
    d = date(2024, 9, 30)
    assert zh.date(d) == "2024年9月30日" and en.date(d) == "30 Sep 2024"
    assert zh.pct(35 / 42) == "83.3%" and en.pct(35 / 42) == "83.3%"
    assert zh.as_of(d) == "9月底" and en.as_of(d) == "30 September"
    assert en.n_("{n} day overdue", "{n} days overdue", 1) == "1 day overdue"
    assert en.n_("{n} day overdue", "{n} days overdue", 3) == "3 days overdue"
    assert zh.n_("{n} day overdue", "{n} days overdue", 3) != "3 days overdue"


@pytest.mark.parametrize(
    ("t", "counts", "expected"),
    [
        (
            tr("zh_CN"),
            Counts(total=42, closed=35),
            "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。",
        ),
        (
            tr("en"),
            Counts(total=42, closed=35),
            "As of 30 September, 35 of 42 measures are complete; 7 are in progress.",
        ),
        (
            tr("en"),
            Counts(total=42, closed=35, overdue=2),
            "As of 30 September, 35 of 42 measures are complete; of the other 7, 5 are in progress and 2 are overdue.",
        ),
        (
            tr("zh_CN"),
            Counts(total=42, closed=35, overdue=2),
            "截至9月底，42项整改措施已完成35项，其余7项中，5项正在按时序推进，2项已逾期。",
        ),
        (tr("en"), Counts(total=3, closed=3), "As of 30 September, all 3 measures are complete."),
    ],
)
def test_headline_wording(t: Tr, counts: Counts, expected: str) -> None:
    assert headline(t, counts, date(2024, 9, 30)) == expected
