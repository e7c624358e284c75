"""The monthly chart (PNG): lights of each area as stacked bars, and closures month by month."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from core.domain.documents import MonthClosed
from core.domain.report import MonthlyReport
from core.i18n import Tr, tr

if TYPE_CHECKING:
    from matplotlib.axes import Axes

log = logging.getLogger(__name__)

# fonts that cover Chinese, best first (the image and CI install Debian's fonts-wqy-microhei)
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
WIDTH, HEIGHT, DPI = 10, 5, 100  # 1000 × 500 pixels: readable in a chat, small to send
COLOURS = {"closed": "#5B9BD5", "moving": "#70AD47", "overdue": "#E15759"}


@cache
def cjk_font() -> str | None:
    """The first installed font that renders Chinese; warns once when there is none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:
        log.warning(
            "no CJK font installed (e.g. Debian's fonts-wqy-microhei): charts label areas by number"
        )
    return found


def warm_up() -> None:
    """Import matplotlib and load the CJK font now (seconds on a busy machine), not in a report."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    FigureCanvasAgg(fig)
    font = cjk_font()
    # Chinese only with a face that has it: DejaVu would warn of each missing glyph
    fig.text(0, 0, "整改" if font else "Cadence", fontdict=_props(font))
    fig.savefig(io.BytesIO(), format="png")


@dataclass(frozen=True)
class ChartText:
    """Every word the chart shows, chosen so the installed fonts can draw them."""

    title: str
    areas: list[str]
    legend: tuple[str, str, str]
    months: list[str]
    closed_in_month: str
    closed_total: str
    trend_title: str


def chart_text(t: Tr, r: MonthlyReport, history: Sequence[MonthClosed], cjk: bool) -> ChartText:
    """Labels in the reader's language; without a CJK font, area numbers and English words."""
    if not cjk and t.locale != "en":
        t = tr("en")  # the legend must render: Chinese without a font would be empty boxes
    return ChartText(
        title=t._("Measures by area, {month}", month=t.month(r.year, r.month)),
        areas=[
            t._("{number}. {area}", number=g.number, area=_wrap(g.key)) if cjk else str(g.number)
            for g in r.areas
        ],
        legend=(t._("Closed"), t._("In progress"), t._("Overdue")),
        months=[t.month(h.year, h.month) for h in history],
        closed_in_month=t._("Closed in the month"),
        closed_total=t._("Closed in all"),
        trend_title=t._("Closures month by month"),
    )


def _wrap(text: str, width: int = 12) -> str:
    """Break a long area name over lines so the bars keep their room."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def monthly_chart(t: Tr, r: MonthlyReport, history: Sequence[MonthClosed]) -> bytes:
    """PNG bytes, 1000 × 500 pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    words = chart_text(t, r, history, cjk=font is not None)
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(fig)  # the Agg canvas: no display, no global pyplot state
    bars, trend = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    _bars(bars, r, words, font)
    _trend(trend, history, words, font)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _props(font: str | None, size: float = 9) -> dict[str, Any]:
    return {"family": font or "DejaVu Sans", "size": size}


def _bars(a: Axes, r: MonthlyReport, words: ChartText, font: str | None) -> None:
    """Closed / in progress / overdue per area, stacked, first area on top."""
    from matplotlib.ticker import MaxNLocator

    closed = [g.counts.closed for g in r.areas]
    moving = [g.counts.on_schedule for g in r.areas]
    late = [g.counts.overdue for g in r.areas]
    y = list(range(len(r.areas)))
    a.barh(y, closed, color=COLOURS["closed"], label=words.legend[0])
    a.barh(y, moving, left=closed, color=COLOURS["moving"], label=words.legend[1])
    lefts = [c + m for c, m in zip(closed, moving, strict=True)]
    a.barh(y, late, left=lefts, color=COLOURS["overdue"], label=words.legend[2])
    a.set_yticks(y, words.areas, fontdict=_props(font, 8))
    a.xaxis.set_major_locator(MaxNLocator(integer=True))  # measures are counted whole
    a.set_xlim(0, max([1, *(c.counts.total for c in r.areas)]) * 1.05)
    a.invert_yaxis()
    a.set_title(words.title, fontdict=_props(font, 11))
    a.legend(prop=_props(font, 8), loc="lower right")


def _trend(a: Axes, history: Sequence[MonthClosed], words: ChartText, font: str | None) -> None:
    """Bars: closed in each month; line: closed in all by the month's end."""
    from matplotlib.ticker import MaxNLocator

    x = list(range(len(history)))
    a.bar(x, [h.closed for h in history], color=COLOURS["closed"], label=words.closed_in_month)
    a.plot(x, [h.total for h in history], color="#444444", marker="o", label=words.closed_total)
    a.set_xticks(x, words.months, fontdict=_props(font, 7), rotation=30)
    a.yaxis.set_major_locator(MaxNLocator(integer=True))
    # counts start at nought: with nothing to draw matplotlib centres the axis on it (−0.045…)
    a.set_ylim(0, max([1, *(max(h.closed, h.total) for h in history)]) * 1.1)
    a.set_title(words.trend_title, fontdict=_props(font, 11))
    a.legend(prop=_props(font, 8), loc="upper left")
