"""The monthly chart (PNG): lights of each area as stacked bars, and closures month by month."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.domain.documents import MonthClosed
from core.domain.report import MonthlyReport
from core.i18n import Tr, tr
from core.render.chart_axes import Box, axis, column_chart, legend, row_chart

log = logging.getLogger(__name__)

# font files that cover Chinese, best first (the image and CI install Debian's fonts-wqy-microhei)
CJK_FONTS: tuple[str, ...] = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "SourceHanSansSC-Regular.otf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "simhei.ttf",
    "msyh.ttc",
)
LATIN_FONTS: tuple[str, ...] = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf")
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
WIDTH, HEIGHT = 1000, 500  # readable in a chat, small to send
COLOURS = {"closed": "#5B9BD5", "moving": "#70AD47", "overdue": "#E15759", "line": "#444444"}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font_files() -> dict[str, Path]:
    """Every font file under the usual folders, by file name (first found wins)."""
    found: dict[str, Path] = {}
    for folder in FONT_DIRS:
        root = Path(os.path.expanduser(folder))
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in {".ttf", ".ttc", ".otf"}:
                    found.setdefault(path.name, path)
    return found


@cache
def cjk_font() -> str | None:
    """The first installed font file that renders Chinese; warns once when there is none."""
    files = _font_files()
    found = next((str(files[name]) for name in CJK_FONTS if name in files), None)
    if found is None:
        log.warning(
            "no CJK font installed (e.g. Debian's fonts-wqy-microhei): charts label areas by number"
        )
    return found


def _face(path: str | None, size: int) -> Font:
    """The given font at a pixel size; else a Latin face; else Pillow's own."""
    files = _font_files()
    latin = next((str(files[n]) for n in LATIN_FONTS if n in files), None)
    for candidate in (path, latin):
        if candidate is not None:
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def warm_up() -> None:
    """Find the fonts now (a walk of the font folders), not in the first report."""
    cjk_font()


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
    """PNG bytes, 1000 × 500 pixels: areas on the left (3/5), the months' closures on the right."""
    path = cjk_font()
    words = chart_text(t, r, history, cjk=path is not None)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    fonts = {size: _face(path, size) for size in (10, 11, 15)}
    _bars(draw, Box(0, 0, 600, HEIGHT), r, words, fonts)
    _trend(draw, Box(600, 0, WIDTH, HEIGHT), history, words, fonts)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _bars(
    d: ImageDraw.ImageDraw, box: Box, r: MonthlyReport, words: ChartText, fonts: dict[int, Font]
) -> None:
    """Closed / in progress / overdue per area, stacked, first area on top."""
    stacks = [(g.counts.closed, g.counts.on_schedule, g.counts.overdue) for g in r.areas]
    top = axis(max([0, *(g.counts.total for g in r.areas)]))
    colours = (COLOURS["closed"], COLOURS["moving"], COLOURS["overdue"])
    plot = row_chart(d, box, words.title, words.areas, stacks, colours, top, fonts)
    legend(d, plot, list(zip(words.legend, colours, strict=True)), fonts[11], corner="lower right")


def _trend(
    d: ImageDraw.ImageDraw,
    box: Box,
    history: Sequence[MonthClosed],
    words: ChartText,
    fonts: dict[int, Font],
) -> None:
    """Bars: closed in each month; line: closed in all by the month's end."""
    # counts start at nought: a month without closures still gets an axis of 0…1
    top = axis(max([0, *(max(h.closed, h.total) for h in history)]))
    plot = column_chart(
        d,
        box,
        words.trend_title,
        words.months,
        [h.closed for h in history],
        [h.total for h in history],
        (COLOURS["closed"], COLOURS["line"]),
        top,
        fonts,
    )
    items = [(words.closed_in_month, COLOURS["closed"]), (words.closed_total, COLOURS["line"])]
    legend(d, plot, items, fonts[11], corner="upper left")
