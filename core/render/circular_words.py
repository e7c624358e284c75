"""Words about circulars (工作通报) in chat and in the document; no Word document needed."""

from __future__ import annotations

from collections.abc import Sequence

from core.domain.circulars import Mention, Picture, Ranked, Stance
from core.i18n import N_, Tr

STANCE_LINES = {Stance.COMMEND: N_("Commended:"), Stance.NAME: N_("Named for criticism:")}
STANCE_HEADINGS = {Stance.COMMEND: N_("Commendations"), Stance.NAME: N_("Criticism")}


def circular_number(t: Tr, year: int, number: int) -> str:
    """〔2024〕3号 / No. 3 (2024)."""
    return t._("No. {number} ({year})", number=number, year=year)


def circular_title(t: Tr, programme: str) -> str:
    """The document's title line: 巡视整改工作通报."""
    return t._("{programme}: work circular", programme=programme)


def circular_name(t: Tr, year: int, number: int) -> str:
    """工作通报〔2024〕3号: the file's name and how chat messages call it."""
    return t._("Work circular {number}", number=circular_number(t, year, number))


def rate(t: Tr, value: float | None) -> str:
    """A rate as a whole percentage, or — when the month gives none."""
    return "—" if value is None else t.pct(value)


def place(t: Tr, r: Ranked) -> str:
    """The rank as the table shows it: 1, or — for a unit not ranked."""
    return "—" if r.rank is None else t.num(r.rank)


def rank_line(t: Tr, r: Ranked) -> str:
    """1. 城市管理局：按期完成率0%，反馈率100%."""
    return t._(
        "{rank}. {unit}: on-time rate {on_time}, answer rate {answer}",
        rank=place(t, r),
        unit=r.unit.key,
        on_time=rate(t, r.unit.on_time_rate),
        answer=rate(t, r.unit.answer_rate),
    )


def mention_line(t: Tr, m: Mention) -> str:
    """建设局：按时完成全部整改任务。"""
    return t._("{unit}: {sentence}", unit=m.unit, sentence=m.sentence)


def draft_text(t: Tr, figures: Picture) -> str:
    """What /circular shows first: the ranking, the overdue count, and what to do next."""
    month = t.month(figures.year, figures.month)
    ranked = [r for r in figures.ranking if r.rank is not None]
    lines = [t._("Draft work circular for {month}", month=month)]
    if ranked:
        lines += [t._("Lead units ranked by on-time rate, then answer rate:")]
        lines += [rank_line(t, r) for r in ranked]
    else:
        lines += [t._("No lead unit has an on-time or answer rate for the month.")]
    others = [r.unit.key for r in figures.ranking if r.rank is None]
    if others:
        lines += [t._("Not ranked (no figures for the month): {units}", units=t.join(others))]
    lines += [t.n_("Overdue: {n} item.", "Overdue: {n} items.", len(figures.overdue))]
    if figures.untrue:
        lines += [
            t.n_(
                "Found untrue in spot checks: {n} item.",
                "Found untrue in spot checks: {n} items.",
                len(figures.untrue),
            )
        ]
    lines += [
        "",
        t._(
            "Choose the units to commend or to name with the buttons, and write a sentence for each; then press Preview. /cancel leaves without issuing."
        ),
    ]
    return "\n".join(lines)


def ask_sentence(t: Tr, stance: Stance, unit: str, limit: int) -> str:
    """What the task force is asked to write about the unit picked."""
    if stance is Stance.COMMEND:
        return t._(
            "Write one sentence commending {unit} (at most {n} characters).", unit=unit, n=limit
        )
    return t._(
        "Write one sentence on why {unit} is named (at most {n} characters).", unit=unit, n=limit
    )


def noted(t: Tr, stance: Stance, unit: str) -> str:
    """The answer to a sentence: what was noted, and what comes next."""
    said = (
        t._("Noted: {unit} is commended.", unit=unit)
        if stance is Stance.COMMEND
        else t._("Noted: {unit} is named.", unit=unit)
    )
    return t.sentences(said, t._("Choose another unit, or press Preview."))


def preview_text(
    t: Tr, period: tuple[int, int], mentions: Sequence[Mention], ranked: int, overdue: int
) -> str:
    """The circular as it will be issued, before the confirm."""
    month = t.month(*period)
    lines = [t._("Preview of the work circular for {month}", month=month)]
    for stance in Stance:
        mine = [m for m in mentions if m.stance is stance]
        if mine:
            lines += ["", t._(STANCE_LINES[stance])]
            lines += [mention_line(t, m) for m in mine]
    if not mentions:
        lines += ["", t._("No unit is commended or named.")]
    lines += [
        "",
        t.n_("Ranking: {n} lead unit.", "Ranking: {n} lead units.", ranked),
        t.n_("Overdue: {n} item.", "Overdue: {n} items.", overdue),
        t._(
            "Press Issue to number the circular and send it to the leadership group, or Edit to change it."
        ),
    ]
    return "\n".join(lines)
