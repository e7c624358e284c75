"""Drawing a chart's panels with Pillow: whole-number axes, stacked rows, columns with a line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
INK, GRID = "#333333", "#DDDDDD"


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, right, bottom."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Axis:
    """An axis of counts: from nought to `top`, a tick every `step`."""

    top: int
    step: int

    @property
    def ticks(self) -> list[int]:
        """The tick values, nought first."""
        return list(range(0, self.top + 1, self.step))


def axis(highest: int, most_ticks: int = 6) -> Axis:
    """Whole counts from nought, a little above the highest (1 when there is nothing)."""
    wanted = highest * 1.05 if highest > 0 else 1  # the longest bar must not touch the frame
    for power in range(12):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(wanted / step) <= most_ticks:
                return Axis(top=step * math.ceil(wanted / step), step=step)
    raise ValueError(highest)  # pragma: no cover (10¹² measures)


def _size(d: ImageDraw.ImageDraw, text: str, font: Font) -> tuple[int, int]:
    left, top, right, bottom = d.multiline_textbbox((0, 0), text, font=font, spacing=2)
    return int(right - left), int(bottom - top)


def _text(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font: Font, how: str) -> None:
    """Text placed by a point: `how` is two letters, l/m/r across and t/m/b down."""
    w, h = _size(d, text, font)
    x = xy[0] - {"l": 0, "m": w / 2, "r": w}[how[0]]
    y = xy[1] - {"t": 0, "m": h / 2, "b": h}[how[1]]
    align = {"l": "left", "m": "center", "r": "right"}[how[0]]
    d.multiline_text((x, y), text, fill=INK, font=font, spacing=2, align=align)


def _title(d: ImageDraw.ImageDraw, box: Box, title: str, font: Font) -> None:
    _text(d, ((box.left + box.right) / 2, box.top + 10), title, font, "mt")


def row_chart(
    d: ImageDraw.ImageDraw,
    box: Box,
    title: str,
    labels: Sequence[str],
    stacks: Sequence[tuple[int, ...]],
    colours: Sequence[str],
    scale: Axis,
    fonts: dict[int, Font],
) -> Box:
    """Horizontal stacked bars, the first row on top; returns the plot's frame."""
    _title(d, box, title, fonts[15])
    label_w = max([0, *(_size(d, label, fonts[11])[0] for label in labels)])
    plot = Box(box.left + min(label_w, 220) + 18, box.top + 40, box.right - 15, box.bottom - 30)
    width = plot.right - plot.left
    for tick in scale.ticks:
        x = plot.left + width * tick / scale.top
        d.line([(x, plot.top), (x, plot.bottom)], fill=GRID)
        _text(d, (x, plot.bottom + 5), str(tick), fonts[10], "mt")
    row = (plot.bottom - plot.top) / max(len(labels), 1)
    for n, (label, parts) in enumerate(zip(labels, stacks, strict=True)):
        y0, y1 = plot.top + row * (n + 0.1), plot.top + row * (n + 0.9)
        _text(d, (plot.left - 8, (y0 + y1) / 2), label, fonts[11], "rm")
        start = 0
        for value, colour in zip(parts, colours, strict=True):
            if value:
                x0 = plot.left + width * start / scale.top
                x1 = plot.left + width * (start + value) / scale.top
                d.rectangle([x0, y0, x1, y1], fill=colour)
            start += value
    d.rectangle([plot.left, plot.top, plot.right, plot.bottom], outline=INK)
    return plot


def column_chart(
    d: ImageDraw.ImageDraw,
    box: Box,
    title: str,
    labels: Sequence[str],
    columns: Sequence[int],
    line: Sequence[int],
    colours: tuple[str, str],
    scale: Axis,
    fonts: dict[int, Font],
) -> Box:
    """Columns and a line with dots over the same labels; returns the plot's frame."""
    _title(d, box, title, fonts[15])
    tick_w = _size(d, str(scale.top), fonts[10])[0]
    plot = Box(box.left + tick_w + 30, box.top + 40, box.right - 15, box.bottom - 70)
    height = plot.bottom - plot.top
    for tick in scale.ticks:
        y = plot.bottom - height * tick / scale.top
        d.line([(plot.left, y), (plot.right, y)], fill=GRID)
        _text(d, (plot.left - 6, y), str(tick), fonts[10], "rm")
    slot = (plot.right - plot.left) / max(len(labels), 1)
    points = []
    for n, (label, value, total) in enumerate(zip(labels, columns, line, strict=True)):
        middle = plot.left + slot * (n + 0.5)
        if value:
            top = plot.bottom - height * value / scale.top
            d.rectangle(
                [middle - slot * 0.35, top, middle + slot * 0.35, plot.bottom], fill=colours[0]
            )
        points.append((middle, plot.bottom - height * total / scale.top))
        _slanted(d, (middle, plot.bottom + 6), label, fonts[10])
    if len(points) > 1:
        d.line(points, fill=colours[1], width=2)
    for x, y in points:
        d.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colours[1])
    d.rectangle([plot.left, plot.top, plot.right, plot.bottom], outline=INK)
    return plot


def _slanted(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font: Font) -> None:
    """A label turned 30°, its end under the tick, so long month names don't collide."""
    w, h = _size(d, text, font)
    label = Image.new("L", (w + 4, h + 6), 0)
    ImageDraw.Draw(label).text((2, 0), text, fill=255, font=font)
    turned = label.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    x, y = int(xy[0] - turned.width), int(xy[1])
    d.bitmap((x, y), turned, fill=INK)


def legend(
    d: ImageDraw.ImageDraw,
    plot: Box,
    items: Sequence[tuple[str, str]],
    font: Font,
    corner: str,
) -> None:
    """A framed key of coloured squares in one corner of the plot."""
    line = max(_size(d, "国Ay", font)[1], 12) + 6
    width = max(_size(d, text, font)[0] for text, _ in items) + 34
    height = line * len(items) + 8
    left = plot.right - width - 8 if corner.endswith("right") else plot.left + 8
    top = plot.bottom - height - 8 if corner.startswith("lower") else plot.top + 8
    d.rectangle([left, top, left + width, top + height], fill="white", outline=GRID)
    for n, (text, colour) in enumerate(items):
        y = top + 4 + line * n + line / 2
        d.rectangle([left + 8, y - 5, left + 20, y + 5], fill=colour)
        _text(d, (left + 26, y), text, font, "lm")
