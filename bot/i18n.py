"""Translations (gettext catalogs under locales/) and Babel formatting per locale."""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

DOMAIN = "cadence"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"

_DATE_PATTERNS = {"zh_CN": "y年M月d日", "en": "d MMM y"}
_SHORT_DATE = {"zh_CN": "M月d日", "en": "d MMM"}
_DAY_MONTH = {"zh_CN": "M月d日", "en": "d MMMM"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def pick_locale(*candidates: str | None) -> str:
    """The first candidate we have a catalog for (`en-US` → `en`, `zh-hans` → `zh_CN`)."""
    for cand in candidates:
        if not cand:
            continue
        low = cand.replace("-", "_").lower()
        if low.startswith("zh"):
            return "zh_CN"
        if low.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


@cache
def _catalog(locale: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES_DIR, languages=[locale], fallback=True)


@dataclass(frozen=True)
class Tr:
    """Everything one recipient's language needs: text, dates, numbers."""

    locale: str = DEFAULT_LOCALE
    _cat: gettext.NullTranslations = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cat", _catalog(self.locale))

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
        return format_date(value, _DATE_PATTERNS[self.locale], locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        """Date without the year: 9月30日 / 30 Sep."""
        return format_date(value, _SHORT_DATE[self.locale], locale=self.locale)

    def day_month(self, value: dt.date) -> str:
        """Day and full month name: 9月30日 / 30 September."""
        return format_date(value, _DAY_MONTH[self.locale], locale=self.locale)

    def as_of(self, value: dt.date) -> str:
        """截至9月底 / As of 30 September: month ends read as such in Chinese."""
        if self.locale == "zh_CN" and (value + dt.timedelta(days=1)).day == 1:
            return f"{value.month}月底"
        return self.day_month(value)

    def month(self, year: int, month: int) -> str:
        """A month: 2024年9月 / September 2024."""
        pattern = "y年M月" if self.locale == "zh_CN" else "MMMM y"
        return format_date(dt.date(year, month, 1), pattern, locale=self.locale)

    def datetime(self, value: dt.datetime) -> str:
        """Date and time in the locale's words."""
        pattern = _DATE_PATTERNS[self.locale] + " HH:mm"
        return format_datetime(value, pattern, locale=self.locale)

    def num(self, value: float) -> str:
        """A number with the locale's grouping."""
        return format_decimal(value, locale=self.locale)

    def pct(self, ratio: float) -> str:
        """A ratio as a percentage with one decimal: 83.3%."""
        return format_percent(ratio, "#,##0.0%", locale=self.locale)


@cache
def tr(locale: str | None) -> Tr:
    """The shared translator for a locale (unknown ones fall back to zh_CN)."""
    return Tr(pick_locale(locale))
