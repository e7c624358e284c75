"""Translations (gettext catalogs under locales/) and Babel formatting per locale."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from core.languages import CODES, DEFAULT_LOCALE, Language, language, match

DOMAIN = "cadence"
# locales/ sits beside bot/ both in a checkout and in site-packages (it is shipped as package data)
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = CODES

__all__ = ["DEFAULT_LOCALE", "LOCALES", "N_", "CatalogError", "Tr", "check_catalogs", "tr"]


class CatalogError(RuntimeError):
    """A language we claim to speak has no usable catalog: refuse to start, never go silent."""


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def pick_locale(*candidates: str | None) -> str:
    """The first candidate we have a catalog for (`en-US` → `en`, `zh-hans` → `zh_CN`)."""
    for cand in candidates:
        found = match(cand)
        if found is not None:
            return found
    return DEFAULT_LOCALE


def _catalog_files(code: str, base: Path) -> tuple[Path, Path]:
    folder = base / code / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def load_catalog(code: str, base: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """The catalog for a locale: the compiled one if current, else compiled from the .po now."""
    if not language(code).has_catalog:
        return gettext.NullTranslations()  # the msgids are this language's text
    po, mo = _catalog_files(code, base)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if not po.exists():
        raise CatalogError(f"no translations for {code}: neither {po} nor {mo} exists")
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=code, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def check_catalogs(base: Path = LOCALES_DIR) -> None:
    """Fail at start when a supported language's catalog is missing or empty."""
    for code in CODES:
        cat = load_catalog(code, base)
        if language(code).has_catalog and not getattr(cat, "_catalog", None):
            raise CatalogError(f"the {code} catalog in {base} is empty")


@cache
def _catalog(locale: str) -> gettext.NullTranslations:
    return load_catalog(locale)


@dataclass(frozen=True)
class Tr:
    """Everything one recipient's language needs: text, dates, numbers."""

    locale: str = DEFAULT_LOCALE
    _cat: gettext.NullTranslations = field(init=False, repr=False, compare=False)
    _lang: Language = field(init=False, repr=False, compare=False)
    _babel: Locale = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cat", _catalog(self.locale))
        object.__setattr__(self, "_lang", language(self.locale))
        # parsed once: Babel parses a locale name again on every call that is given one
        object.__setattr__(self, "_babel", Locale.parse(self.locale))

    def _(self, message: str, **kwargs: Any) -> str:
        """Translate, then fill `{named}` fields."""
        text = self._cat.gettext(message)
        return text.format(**kwargs) if kwargs else text

    def n_(self, singular: str, plural: str, n: int, **kwargs: Any) -> str:
        """Translate with the locale's plural rule; `{n}` is available."""
        return self._cat.ngettext(singular, plural, n).format(n=self.num(n), **kwargs)

    def date(self, value: dt.date | None) -> str:
        """A full date: 2024年9月30日 / 30 Sep 2024."""
        if value is None:
            return self._("long-term")
        return format_date(value, self._lang.date, locale=self._babel)

    def short_date(self, value: dt.date) -> str:
        """Date without the year: 9月30日 / 30 Sep."""
        return format_date(value, self._lang.short_date, locale=self._babel)

    def day_month(self, value: dt.date) -> str:
        """Day and full month name: 9月30日 / 30 September."""
        return format_date(value, self._lang.day_month, locale=self._babel)

    def as_of(self, value: dt.date) -> str:
        """截至9月底 / As of 30 September: month ends read as such in Chinese."""
        if self.locale == "zh_CN" and (value + dt.timedelta(days=1)).day == 1:
            return f"{value.month}月底"
        return self.day_month(value)

    def month(self, year: int, month: int) -> str:
        """A month: 2024年9月 / September 2024."""
        return format_date(dt.date(year, month, 1), self._lang.month, locale=self._babel)

    def when(self, value: dt.date, today: dt.date) -> str:
        """A date as people write it: without the year in the current year (9月30日), else full."""
        return self.day_month(value) if value.year == today.year else self.date(value)

    def days(self, first: dt.date, last: dt.date, today: dt.date) -> str:
        """A span of days: 9月16日—22日 / 16–22 September (the month once, in the current year)."""
        if (first.year, first.month) == (last.year, last.month) == (today.year, first.month):
            return self._lang.day_span.format(
                first=self.day_month(first),
                last=self.day_month(last),
                first_day=first.day,
                last_day=last.day,
            )
        return self._("{start} – {end}", start=self.when(first, today), end=self.when(last, today))

    def datetime(self, value: dt.datetime, today: dt.date | None = None) -> str:
        """Date and time as people write them: 2024年9月30日9:00 / 30 September 2024, 9:00;
        without the year when today is in the same year (9月30日9:00 / 30 September, 9:00)."""
        day = self.when(value.date(), today) if today is not None else self.date(value.date())
        clock = f"{value.hour}:{value.minute:02d}"
        return f"{day}{clock}" if self.locale.startswith("zh") else f"{day}, {clock}"

    def moment(self, value: dt.datetime, today: dt.date) -> str:
        """A moment as people write it: 9月23日9:30 / 23 September, 9:30 (the year if not this one)."""
        return self.datetime(value, today)

    def slot(self, value: dt.datetime, today: dt.date) -> str:
        """A planned moment: 10月8日（周二）9:00 / Tuesday 8 October, 9:00."""
        clock = f"{value.hour}:{value.minute:02d}"
        day = self.when(value.date(), today)
        if self.locale.startswith("zh"):
            return f"{day}（{format_date(value, 'EEE', locale=self._babel)}）{clock}"
        return f"{format_date(value, 'EEEE', locale=self._babel)} {day}, {clock}"

    def weekday_date(self, value: dt.date, today: dt.date) -> str:
        """A day with its weekday: 10月8日（周二） / Tuesday 8 October."""
        day = self.when(value, today)
        if self.locale.startswith("zh"):
            return f"{day}（{format_date(value, 'EEE', locale=self._babel)}）"
        return f"{format_date(value, 'EEEE', locale=self._babel)} {day}"

    def week(self, day: dt.date, today: dt.date) -> str:
        """The week (Monday to Sunday) of a day: 9月16日—22日, 9月30日—10月6日 / 16–22 September."""
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=6)
        zh = self.locale.startswith("zh")
        if start.month == end.month and start.year == end.year:
            first = self.when(start, today)
            if zh:
                return f"{first}—{end.day}日"
            return f"{start.day}–{self.when(end, today)}"
        first, last = self.when(start, today), self.when(end, today)
        return f"{first}—{last}" if zh else f"{first} – {last}"

    def stem(self, programme: str) -> str:
        """A programme's name before 台账, 专班 or 进展: 巡视整改 as it is, P as P整改 (never
        巡视整改整改); other languages name it as it is."""
        if not self.locale.startswith("zh") or programme.endswith("整改"):
            return programme
        return programme + "整改"

    def sentences(self, *parts: str) -> str:
        """Sentences one after another: no space after 。 in Chinese, one in English."""
        return ("" if self.locale.startswith("zh") else " ").join(p for p in parts if p)

    def join(self, items: Iterable[str], style: Literal["standard", "or"] = "standard") -> str:
        """A list in the locale's words: 甲、乙和丙 / A, B and C (style "or": A, B or C)."""
        values = list(items)
        return format_list(values, style=style, locale=self._babel) if values else ""

    def series(self, items: Iterable[str]) -> str:
        """Counts side by side: 红灯1项、黄灯2项 / 1 red, 2 yellow (no "and": a tally, not a list)."""
        return ("、" if self.locale.startswith("zh") else ", ").join(items)

    def num(self, value: float) -> str:
        """A number with the locale's grouping."""
        if type(value) is int and 0 <= value < 1000:
            return str(value)  # no grouping to do: the common case, without Babel's pattern work
        return format_decimal(value, locale=self._babel)

    def prose(self, value: int) -> str:
        """A count inside a sentence: in words where the language writes small ones so (two)."""
        words = self._lang.small_numbers
        return words[value] if 0 <= value < len(words) else self.num(value)

    def pct(self, ratio: float) -> str:
        """A whole percentage (83%), with one decimal only where rounding would mislead."""
        whole = round(ratio * 100)
        # 99.6% is not done and 0.4% is not nothing: keep the decimal that says so
        misleading = (whole == 100 and ratio < 1) or (whole == 0 and ratio > 0)
        return format_percent(ratio, "#,##0.0%" if misleading else "#,##0%", locale=self._babel)


@cache
def tr(locale: str | None) -> Tr:
    """The shared translator for a locale (unknown ones fall back to zh_CN)."""
    return Tr(pick_locale(locale))
