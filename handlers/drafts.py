"""What a person is in the middle of writing (PTB's user_data), one dataclass per shape.

Telegram-conversation state, not domain: each field of UserDrafts is one conversation's draft or
marker, None (or its default) when that conversation is not open. Field names are the keys the
earlier dict-shaped user_data used, so handlers.drafts_codec reads a row written before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.context import CadenceContext
from core.render.callback_codec import MAX_ID


@dataclass
class Evidence:
    """A file sent with an answer, kept until it is saved."""

    file_id: str
    file_unique_id: str
    name: str
    kind: str  # document | photo
    mime_type: str | None = None
    size: int | None = None


@dataclass
class AnswerDraft:
    """The answer being written; empty until a measure is chosen."""

    id: int | None = None  # the draft number its step buttons carry: an older screen is stale
    programme_id: int | None = None
    measure_id: int | None = None
    code: str = ""
    health: str = ""  # a Health value, once chosen
    note: str = ""
    percent: int | None = None
    blockers: str = ""
    files: list[Evidence] = field(default_factory=list)
    signoff: bool = False  # done: the answer asks for sign-off
    step: int | None = None  # the conversation state it waits in
    candidates: list[int] = field(default_factory=list)  # a reply to a dispatch of several
    choices: list[tuple[int, str]] = field(default_factory=list)  # (measure id, code) to pick


@dataclass
class LooseDraft:
    """Text or a file sent outside an answer, kept until a measure is chosen."""

    note: str
    files: list[Evidence]
    measures: list[int]


@dataclass
class LookBackDraft:
    """The look-back being answered (回头看): which, the verdict pressed, evidence sent so far."""

    id: int
    verdict: str  # a core.domain.closing.Verdict value
    programme_id: int
    files: list[Evidence] = field(default_factory=list)


@dataclass
class SpotCheckDraft:
    """A spot check (随机抽查) found 不属实, waiting for its note."""

    id: int
    programme_id: int


@dataclass
class ExtensionDraft:
    """The extension being asked for (申请延期): the measure, then the date wanted."""

    measure_id: int
    code: str
    programme_id: int
    deadline: str  # ISO date: the deadline when the owner pressed
    wanted: str | None = None  # ISO date, once given


@dataclass
class CircularDraft:
    """The work circular being drafted (工作通报): month, picks, revision."""

    id: int  # its revision: buttons of an older revision are out of date
    programme_id: int
    year: int
    month: int
    units: list[str]  # the month's lead units in ranking order: the picker's buttons
    mentions: list[tuple[str, str, str]]  # (stance, unit, sentence), in the order picked
    previewed: bool  # the preview of this revision was shown: only then may it be issued
    ranked: int  # lead units ranked, and overdue items: what the preview counts
    overdue: int


@dataclass
class OutcomeDraft:
    """An institutional outcome being recorded (建章立制)."""

    id: int  # the draft number its step buttons carry
    measure_id: int
    code: str
    programme_id: int
    title: str = ""
    number: str = ""
    issued_on: str | None = None  # ISO date
    file: Evidence | None = None


@dataclass
class ShareDraft:
    """A co-unit's share being answered (多级交办)."""

    measure_id: int
    code: str
    programme_id: int


@dataclass
class EditDraft:
    """An /edit form being filled in."""

    id: int  # the number its buttons carry: an older form's press is out of date
    programme_id: int
    measure_id: int | None = None  # None while adding
    code: str = ""
    now: dict[str, str] = field(default_factory=dict)  # the values when the form opened
    wanted: dict[str, str] = field(default_factory=dict)  # the values typed since
    retire: str | None = None  # the reason, once given


@dataclass
class PublicDraft:
    """A 监督意见 being written by a member of the public."""

    programme_id: int
    text: str = ""
    photos: list[str] = field(default_factory=list)  # Telegram file ids
    measure_id: int | None = None
    area_id: int | None = None
    noise: int = 0  # messages that fit no step, so far


@dataclass
class Search:
    """The latest /find: its number (the page buttons carry it), text and programme."""

    id: int
    text: str
    programme_id: int


@dataclass
class PendingLedger:
    """A previewed ledger file, waiting for its import to be confirmed."""

    file_id: str
    name: str
    sha: str
    programme_id: int | None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    found: str | None = None  # the programme a file of an admin with none would create


@dataclass
class UserDrafts:
    """One person's open conversations: PTB's user_data (ContextTypes(user_data=UserDrafts))."""

    draft: AnswerDraft | None = None
    draft_seq: int = 0
    send_back: int | None = None  # the sign-off request a coordinator writes the reason for
    naming: bool = False  # a coordinator invited by link is about to send their name
    loose: LooseDraft | None = None
    lookback: LookBackDraft | None = None
    spotcheck: SpotCheckDraft | None = None
    extension: ExtensionDraft | None = None
    circular: CircularDraft | None = None
    circular_seq: int = 0
    circular_sentence: tuple[str, int] | None = None  # (stance, unit index) awaiting a sentence
    outcome: OutcomeDraft | None = None
    outcome_seq: int = 0
    share: ShareDraft | None = None
    ledger_edit: EditDraft | None = None
    ledger_edit_wait: str | None = None  # the field whose text the form waits for
    ledger_edit_seq: int = 0
    public_draft: PublicDraft | None = None
    public_answering: int | None = None  # the public item a coordinator is answering
    find: Search | None = None
    find_seq: int = 0
    ledger_import: PendingLedger | None = None

    def drop_answer_side_steps(self) -> None:
        """A newer answer ends an unfinished look-back note, extension request, circular
        sentence, outcome, share or /edit field."""
        self.lookback = self.spotcheck = None
        self.extension = self.outcome = self.share = None
        self.circular_sentence = None
        self.ledger_edit_wait = None


def drafts(context: CadenceContext) -> UserDrafts:
    """The person's drafts (PTB makes them on first use); an update of no user has none to keep."""
    found = context.user_data
    if found is None:
        return UserDrafts()
    assert isinstance(found, UserDrafts), "ContextTypes(user_data=UserDrafts) not set"
    return found


def next_seq(value: int) -> int:
    """The next draft number after value, within what a button can carry."""
    return value % MAX_ID + 1
