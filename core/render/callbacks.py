"""One typed codec for callback data: a dataclass per button kind, packed as `prefix:field:…`.

Callback data comes back from the client and can be forged, so every field is validated on
the way in (ASCII digits only, closed sets of words, well-formed periods) and every packed
value must fit Telegram's 1–64 bytes. Handlers receive the dataclass, never the raw string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from datetime import date
from typing import Any, ClassVar, Self

from core.domain.numbers import ascii_int
from core.i18n import LOCALES
from core.render.limits import data_fits

MAX_ID = 2**31 - 1  # database ids are 32-bit on PostgreSQL: a larger forged id must not reach it
MAX_PAGE = 999
ACTIONS = ("ok", "risk", "block", "done", "note", "loose")
HEALTHS = ("ok", "risk", "block")
BEATS = ("dispatch", "review", "report")
LISTS = ("open", "unanswered")
IMPORT_ACTIONS = ("keep", "drop", "no", "file")  # file: the file's statuses over chat's
VERDICTS = ("ok", "back")  # approve, send back (退回)
CHASES = ("remind", "latest")  # ask the owner again, see the owner's latest answer
LOOKBACKS = ("holds", "rebound")  # 回头看: the result holds, or the problem is back
SPOTCHECKS = ("true", "untrue")  # 随机抽查: 属实, 不属实
_HEX16 = re.compile(r"[0-9a-f]{16}")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

Field = Callable[[str], Any]
KINDS: dict[str, type[Button]] = {}


class CallbackError(ValueError):
    """Callback data that no button of ours could have sent."""


def _id(text: str) -> int:
    value = ascii_int(text, 1, MAX_ID)
    if value is None or text != str(value):  # no leading zeros: one value, one spelling
        raise CallbackError(f"not an id: {text!r}")
    return value


def _page(text: str) -> int:
    value = ascii_int(text, 0, MAX_PAGE)
    if value is None or text != str(value):
        raise CallbackError(f"not a page: {text!r}")
    return value


def _one_of(*words: str) -> Field:
    def parse(text: str) -> str:
        if text not in words:
            raise CallbackError(f"not one of {words}: {text!r}")
        return text

    return parse


def _hex16(text: str) -> str:
    if not _HEX16.fullmatch(text):
        raise CallbackError(f"not a digest: {text!r}")
    return text


def valid_period(beat: str, period: str) -> bool:
    """True when period is a real period key of the beat: 2024-W40, 2024-10-16, 2024-09."""
    try:
        if beat == "dispatch":
            week = _WEEK.fullmatch(period)
            if week is None:
                return False
            date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return True
        if beat == "review":
            return bool(_DAY.fullmatch(period)) and bool(date.fromisoformat(period))
        month = _MONTH.fullmatch(period)
        return month is not None and 1 <= int(month[2]) <= 12 and int(month[1]) >= 1
    except ValueError:
        return False


def _period(text: str) -> str:
    # the shape is checked here; which beat it belongs to is checked by ForceBeat
    if not (4 <= len(text) <= 10) or not re.fullmatch(r"[0-9W-]+", text):
        raise CallbackError(f"not a period: {text!r}")
    return text


@dataclass(frozen=True)
class Button:
    """Base of every button kind: PREFIX plus one parser per field, in field order."""

    PREFIX: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[Field, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        KINDS[cls.PREFIX] = cls  # every kind is known by its prefix once its module is loaded

    def check(self) -> None:
        """Rules across fields; raise CallbackError when they do not hold."""

    def pack(self) -> str:
        """The callback data; ValueError if it would not round-trip or fit in 64 bytes."""
        data = ":".join([self.PREFIX, *(str(v) for v in astuple(self))])
        if not data_fits(data) or unpack(data) != self:
            raise ValueError(f"cannot pack {self!r}")
        return data

    @classmethod
    def parse(cls, parts: list[str]) -> Self:
        """Build from the fields after the prefix; CallbackError on any bad field."""
        if len(parts) != len(cls.FIELDS):
            raise CallbackError(f"{cls.__name__} takes {len(cls.FIELDS)} fields")
        button = cls(*(parse(part) for parse, part in zip(cls.FIELDS, parts, strict=True)))
        button.check()
        return button


@dataclass(frozen=True)
class Lang(Button):
    """/lang: choose a language."""

    PREFIX = "lang"
    FIELDS = (_one_of(*LOCALES),)
    locale: str


@dataclass(frozen=True)
class Open(Button):
    """A measure in a dispatch, reminder or /my: opens its answer choices."""

    PREFIX = "m"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class Listed(Open):
    """A measure in a dispatch or reminder: replies to a message carrying it answer the list."""

    PREFIX = "md"


@dataclass(frozen=True)
class Answer(Button):
    """Start answering a measure: a health, done (sign-off) or a written update."""

    PREFIX = "ans"
    FIELDS = (_id, _one_of(*ACTIONS))
    measure_id: int
    action: str


@dataclass(frozen=True)
class Paging(Button):
    """Another page of an owner's measure buttons."""

    PREFIX = "pg"
    FIELDS = (_one_of(*LISTS), _id, _page)
    scope: str
    person_id: int
    page: int


@dataclass(frozen=True)
class PickStep(Button):
    """Which measure a reply to a dispatch was about."""

    PREFIX = "pick"
    FIELDS = (_id, _id)
    draft: int
    measure_id: int


@dataclass(frozen=True)
class PickPage(Button):
    """Another page of the measures a reply may be about."""

    PREFIX = "pk"
    FIELDS = (_id, _page)
    draft: int
    page: int


@dataclass(frozen=True)
class HealthStep(Button):
    """The health step of one draft of one measure."""

    PREFIX = "h"
    FIELDS = (_id, _id, _one_of(*HEALTHS))
    measure_id: int
    draft: int
    health: str


@dataclass(frozen=True)
class PercentSkip(Button):
    """Skip the percentage step."""

    PREFIX = "p"
    FIELDS = (_id, _id)
    measure_id: int
    draft: int


@dataclass(frozen=True)
class FilesDone(Button):
    """No more evidence files."""

    PREFIX = "f"
    FIELDS = (_id, _id)
    measure_id: int
    draft: int


@dataclass(frozen=True)
class ConfirmStep(Button):
    """Save or cancel the answer shown on the confirm screen."""

    PREFIX = "c"
    FIELDS = (_id, _id, _one_of("save", "cancel"))
    measure_id: int
    draft: int
    choice: str


@dataclass(frozen=True)
class ForceBeat(Button):
    """Send a beat again on purpose, for the period it was already sent for."""

    PREFIX = "beat"
    FIELDS = (_one_of("force"), _one_of(*BEATS), _period)
    verb: str
    beat: str
    period: str

    def check(self) -> None:
        """The period must be a real period of that beat."""
        if not valid_period(self.beat, self.period):
            raise CallbackError(f"not a {self.beat} period: {self.period!r}")


@dataclass(frozen=True)
class Import(Button):
    """Import, keep or drop missing measures, or cancel a previewed ledger."""

    PREFIX = "imp"
    FIELDS = (_one_of(*IMPORT_ACTIONS), _hex16)
    action: str
    digest: str


@dataclass(frozen=True)
class Decide(Button):
    """A coordinator's verdict on a sign-off or extension request."""

    PREFIX = "dec"
    FIELDS = (_id, _one_of(*VERDICTS))
    request_id: int
    verdict: str


@dataclass(frozen=True)
class Extend(Button):
    """Ask for a later deadline (申请延期) for a measure."""

    PREFIX = "ext"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class ShareAnswer(Button):
    """A co-unit's liaison answers the unit's share of a measure (多级交办)."""

    PREFIX = "sh"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class IssueLetter(Button):
    """A red item in the review: issue a work prompt letter for its measure."""

    PREFIX = "ltr"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class Chase(Button):
    """Under an escalation or a blocked alert: ask the owner again, or read their latest answer."""

    PREFIX = "chase"
    FIELDS = (_id, _one_of(*CHASES))
    measure_id: int
    action: str


@dataclass(frozen=True)
class FollowUp(Button):
    """督办 on a red item: the owner is asked to answer by the next working day."""

    PREFIX = "fu"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class LookBackAnswer(Button):
    """The owner's answer to a look-back (回头看): the result holds, or it rebounded."""

    PREFIX = "lb"
    FIELDS = (_id, _one_of(*LOOKBACKS))
    lookback_id: int
    verdict: str


@dataclass(frozen=True)
class SpotCheckAnswer(Button):
    """A coordinator's finding on a drawn measure (随机抽查): 属实 or 不属实."""

    PREFIX = "sc"
    FIELDS = (_id, _one_of(*SPOTCHECKS))
    check_id: int
    verdict: str


@dataclass(frozen=True)
class ImportSheet(Button):
    """Which sheet of a workbook with several ledgers to preview."""

    PREFIX = "imps"
    FIELDS = (_hex16, _page)
    digest: str
    index: int


@dataclass(frozen=True)
class Found(Button):
    """Create the programme a previewed ledger names and import the ledger into it."""

    PREFIX = "found"
    FIELDS = (_hex16,)
    digest: str


@dataclass(frozen=True)
class Outcome(Button):
    """Record an institutional outcome (建章立制) for a measure."""

    PREFIX = "oc"
    FIELDS = (_id,)
    measure_id: int


@dataclass(frozen=True)
class OutcomeStep(Button):
    """A step of one outcome being recorded: no file, save or cancel."""

    PREFIX = "ocs"
    FIELDS = (_id, _id, _one_of("nofile", "save", "cancel"))
    measure_id: int
    draft: int
    choice: str


def unpack(data: str | None) -> Button:
    """The button behind callback data; CallbackError if no button of ours sends it."""
    if not data or not data_fits(data):
        raise CallbackError("empty or too long")
    prefix, _, rest = data.partition(":")
    kind = KINDS.get(prefix)
    if kind is None or not rest:
        raise CallbackError(f"unknown button {prefix!r}")
    return kind.parse(rest.split(":"))


def pattern(kind: type[Button]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data is a well-formed button of this kind."""

    def matches(data: object) -> bool:
        if not isinstance(data, str):
            return False
        found = KINDS.get(data.partition(":")[0])
        return found is not None and issubclass(found, kind)

    return matches


def replyable(data: Iterable[object]) -> bool:
    """Some button of a message is a Listed measure: the message is a dispatch or reminder."""
    return any(isinstance(d, str) and d.startswith(Listed.PREFIX + ":") for d in data)
