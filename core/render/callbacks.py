"""The button kinds of measures, answers, imports and closing, declared with the codec."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.i18n import LOCALES
from core.render.callback_codec import Button, hex16, ident, one_of, page

ACTIONS = ("ok", "risk", "block", "done", "note", "loose")
HEALTHS = ("ok", "risk", "block")
LISTS = ("open", "unanswered")
IMPORT_ACTIONS = ("keep", "drop", "no", "file")  # file: the file's statuses over chat's
VERDICTS = ("ok", "back")  # approve, send back (退回)
CHASES = ("remind", "latest")  # ask the owner again, see the owner's latest answer
LOOKBACKS = ("holds", "rebound")  # 回头看: the result holds, or the problem is back
SPOTCHECKS = ("true", "untrue")  # 随机抽查: 属实, 不属实


@dataclass(frozen=True)
class Lang(Button):
    """/lang: choose a language."""

    PREFIX = "lang"
    FIELDS = (one_of(*LOCALES),)
    locale: str


@dataclass(frozen=True)
class Open(Button):
    """A measure in a dispatch, reminder or /my: opens its answer choices."""

    PREFIX = "m"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class Listed(Open):
    """A measure in a dispatch or reminder: replies to a message carrying it answer the list."""

    PREFIX = "md"


@dataclass(frozen=True)
class Answer(Button):
    """Start answering a measure: a health, done (sign-off) or a written update."""

    PREFIX = "ans"
    FIELDS = (ident, one_of(*ACTIONS))
    measure_id: int
    action: str


@dataclass(frozen=True)
class Paging(Button):
    """Another page of an owner's measure buttons."""

    PREFIX = "pg"
    FIELDS = (one_of(*LISTS), ident, page)
    scope: str
    person_id: int
    page: int


@dataclass(frozen=True)
class PickStep(Button):
    """Which measure a reply to a dispatch was about."""

    PREFIX = "pick"
    FIELDS = (ident, ident)
    draft: int
    measure_id: int


@dataclass(frozen=True)
class PickPage(Button):
    """Another page of the measures a reply may be about."""

    PREFIX = "pk"
    FIELDS = (ident, page)
    draft: int
    page: int


@dataclass(frozen=True)
class HealthStep(Button):
    """The health step of one draft of one measure."""

    PREFIX = "h"
    FIELDS = (ident, ident, one_of(*HEALTHS))
    measure_id: int
    draft: int
    health: str


@dataclass(frozen=True)
class PercentSkip(Button):
    """Skip the percentage step."""

    PREFIX = "p"
    FIELDS = (ident, ident)
    measure_id: int
    draft: int


@dataclass(frozen=True)
class FilesDone(Button):
    """No more evidence files."""

    PREFIX = "f"
    FIELDS = (ident, ident)
    measure_id: int
    draft: int


@dataclass(frozen=True)
class ConfirmStep(Button):
    """Save or cancel the answer shown on the confirm screen."""

    PREFIX = "c"
    FIELDS = (ident, ident, one_of("save", "cancel"))
    measure_id: int
    draft: int
    choice: str


@dataclass(frozen=True)
class Import(Button):
    """Import, keep or drop missing measures, or cancel a previewed ledger."""

    PREFIX = "imp"
    FIELDS = (one_of(*IMPORT_ACTIONS), hex16)
    action: str
    digest: str


@dataclass(frozen=True)
class Decide(Button):
    """A coordinator's verdict on a sign-off or extension request."""

    PREFIX = "dec"
    FIELDS = (ident, one_of(*VERDICTS))
    request_id: int
    verdict: str


@dataclass(frozen=True)
class Extend(Button):
    """Ask for a later deadline (申请延期) for a measure."""

    PREFIX = "ext"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class ShareAnswer(Button):
    """A co-unit's liaison answers the unit's share of a measure (多级交办)."""

    PREFIX = "sh"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class IssueLetter(Button):
    """A red item in the review: issue a work prompt letter for its measure."""

    PREFIX = "ltr"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class Chase(Button):
    """Under an escalation or a blocked alert: ask the owner again, or read their latest answer."""

    PREFIX = "chase"
    FIELDS = (ident, one_of(*CHASES))
    measure_id: int
    action: str


@dataclass(frozen=True)
class FollowUp(Button):
    """督办 on a red item: the owner is asked to answer by the next working day."""

    PREFIX = "fu"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class LookBackAnswer(Button):
    """The owner's answer to a look-back (回头看): the result holds, or it rebounded."""

    PREFIX = "lb"
    FIELDS = (ident, one_of(*LOOKBACKS))
    lookback_id: int
    verdict: str


@dataclass(frozen=True)
class SpotCheckAnswer(Button):
    """A coordinator's finding on a drawn measure (随机抽查): 属实 or 不属实."""

    PREFIX = "sc"
    FIELDS = (ident, one_of(*SPOTCHECKS))
    check_id: int
    verdict: str


@dataclass(frozen=True)
class ImportSheet(Button):
    """Which sheet of a workbook with several ledgers to preview."""

    PREFIX = "imps"
    FIELDS = (hex16, page)
    digest: str
    index: int


@dataclass(frozen=True)
class Found(Button):
    """Create the programme a previewed ledger names and import the ledger into it."""

    PREFIX = "found"
    FIELDS = (hex16,)
    digest: str


@dataclass(frozen=True)
class Outcome(Button):
    """Record an institutional outcome (建章立制) for a measure."""

    PREFIX = "oc"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class OutcomeStep(Button):
    """A step of one outcome being recorded: no file, save or cancel."""

    PREFIX = "ocs"
    FIELDS = (ident, ident, one_of("nofile", "save", "cancel"))
    measure_id: int
    draft: int
    choice: str


def replyable(data: Iterable[object]) -> bool:
    """Some button of a message is a Listed measure: the message is a dispatch or reminder."""
    return any(isinstance(d, str) and d.startswith(Listed.PREFIX + ":") for d in data)
