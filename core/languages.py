"""The one registry of the languages Cadence speaks; everything else reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """A supported locale: its catalog, Telegram's code for it, and its date patterns."""

    code: str  # gettext catalog and Babel locale: zh_CN
    telegram: str  # Telegram's language_code prefix for menus and matching: zh
    label: str  # the language's name in itself, shown on the /lang buttons
    date: str
    short_date: str
    day_month: str
    month: str
    has_catalog: bool  # False for the language the msgids are written in
    # days within one month: first and last as day_month, first_day and last_day as numbers
    day_span: str = "{first} – {last}"
    # numbers written in words in running prose (English: under ten); none: digits
    small_numbers: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language(
        "zh_CN",
        "zh",
        "中文",
        "y年M月d日",
        "M月d日",
        "M月d日",
        "y年M月",
        True,
        "{first}—{last_day}日",
    ),
    Language(
        "en",
        "en",
        "English",
        "d MMMM y",
        "d MMM",
        "d MMMM",
        "MMMM y",
        False,
        "{first_day}–{last}",
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    ),
)
CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
DEFAULT_LOCALE = "zh_CN"
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    """The registry entry for a supported locale code (KeyError when unsupported)."""
    return _BY_CODE[code]


def match(tag: str | None) -> str | None:
    """Our locale for a language tag (`en-US` → `en`, `zh-hans` → `zh_CN`), or None."""
    if not tag:
        return None
    low = tag.replace("-", "_").lower()
    if low in (code.lower() for code in CODES):
        return next(code for code in CODES if code.lower() == low)
    prefix = low.split("_", 1)[0]
    return next((lang.code for lang in LANGUAGES if lang.telegram == prefix), None)
