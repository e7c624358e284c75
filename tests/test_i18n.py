"""Catalogs complete in both languages, no text bypassing gettext, formats per locale."""

from __future__ import annotations

import ast
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.domain.report import Counts
from core.i18n import LOCALES_DIR, CatalogError, Tr, check_catalogs, load_catalog, tr
from core.languages import LANGUAGES, match
from core.render.digest import headline

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


CATALOGS = [lang.code for lang in LANGUAGES if lang.has_catalog]
PLACEHOLDER = re.compile(r"{(\w*)[^{}]*}")


def _catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "cadence.po").open("rb") as fh:
        return read_po(fh)


@pytest.mark.parametrize("locale", CATALOGS)
def test_every_msgid_translated(locale: str) -> None:
    catalog = _catalog(locale)
    missing = []
    for msgid in sorted(source_msgids()):
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None else ""
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(values) or entry.fuzzy:
            missing.append(msgid)
    assert not missing, f"untranslated in {locale}: {missing}"


def _fields(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


@pytest.mark.parametrize("locale", CATALOGS)
def test_msgstr_uses_exactly_the_msgid_placeholders(locale: str) -> None:
    wrong = []
    for entry in _catalog(locale):
        if not entry.id:
            continue
        ids = [str(i) for i in (entry.id if isinstance(entry.id, tuple) else (entry.id,))]
        raw = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        strings = [str(s or "") for s in raw]
        allowed = [_fields(i) for i in ids]
        for text in strings:
            if _fields(text) not in allowed:
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_placeholder_check_catches_a_renamed_field() -> None:
    assert _fields("{n}项，{name}") == {"n", "name"}
    assert _fields("截至{date:%m}") == {"date"} and _fields("{{literal}}") == set()
    assert _fields("{names}") != _fields("{name}")


def test_english_is_the_source_text_and_has_no_catalog() -> None:
    assert [lang.code for lang in LANGUAGES if not lang.has_catalog] == ["en"]
    assert not (ROOT / "locales" / "en").exists()
    assert tr("en")._("Your measures") == "Your measures"


def test_language_tags_match_the_registry() -> None:
    assert [match(t) for t in ("zh-hans", "zh_CN", "en-US", "EN", "fr", "", None)] == [
        "zh_CN",
        "zh_CN",
        "en",
        "en",
        None,
        None,
        None,
    ]


def test_missing_catalog_is_an_error_not_silent_english(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no translations for zh_CN"):
        load_catalog("zh_CN", tmp_path)
    with pytest.raises(CatalogError):
        check_catalogs(tmp_path)


def test_catalog_compiles_from_po_when_no_current_mo(tmp_path: Path) -> None:
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(LOCALES_DIR / "zh_CN" / "LC_MESSAGES" / "cadence.po", folder / "cadence.po")
    assert load_catalog("zh_CN", tmp_path).gettext("Your measures") == "我的整改措施"
    (folder / "cadence.mo").write_bytes(b"not a catalog")
    os.utime(folder / "cadence.mo", (1, 1))  # older than the .po: the .po wins
    assert load_catalog("zh_CN", tmp_path).gettext("Your measures") == "我的整改措施"
    check_catalogs(tmp_path)


def test_lists_read_as_lists() -> None:
    assert tr("zh_CN").join(["1.1", "1.2", "2.1"]) == "1.1、1.2和2.1"
    assert tr("en").join(["Wang", "Li"]) == "Wang and Li"
    assert tr("en").join([]) == ""


SEND_CALLS = {
    "reply_text",
    "send_message",
    "edit_message_text",
    "answer",
    "send",
    "send_long",
    "tell",
    "InlineKeyboardButton",
    "BotCommand",
    "reply_long",
}
ALLOWED = {"中文", "English"}  # language names are shown in their own language on purpose


def test_no_user_visible_literal_bypasses_gettext() -> None:
    offenders = []
    for folder in ("handlers", "jobs", "usecases", "bot", "core"):
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
    assert zh.date(d) == "2024年9月30日" and en.date(d) == "30 September 2024"
    assert zh.pct(35 / 42) == "83%" and en.pct(35 / 42) == "83%"
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


def test_a_span_of_days_names_its_month_once() -> None:
    zh, en = tr("zh_CN"), tr("en")
    today = date(2024, 9, 27)
    week, across = (date(2024, 9, 16), date(2024, 9, 22)), (date(2024, 9, 30), date(2024, 10, 6))
    assert (zh.days(*week, today), en.days(*week, today)) == ("9月16日—22日", "16–22 September")
    assert zh.days(*across, today) == "9月30日—10月6日"
    assert en.days(*across, today) == "30 September – 6 October"
