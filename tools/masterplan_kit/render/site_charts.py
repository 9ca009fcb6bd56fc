"""The site's bar charts: achievement on a fixed 0–100 % scale, coloured by band, and every bar
chart's stacked layout for phones.

Geometry from the shared bar-chart component (``render/barchart.py``), drawn by
``templates/site/views/barchart.svg.j2``; every chart is printed with its table. A chart 760 units
wide cannot show its values on a phone without shrinking its text below reading size, so the site
draws each chart twice: as it is for wide screens, and ``stacked`` (each label above its bar, 340
units wide) for narrow ones; the stylesheet shows one of the two.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..model.evaluation import BANDS, BandId, Rollup
from . import site_fmt
from .barchart import BarChart, BarItem, bar_chart

# One colour per band, each at least 3:1 against white (the charts' background in both colour
# schemes), from dark green (sangat tinggi) to dark red (sangat rendah).
BAND_COLOURS: dict[BandId, str] = {
    "sangat-tinggi": "#1b5e20",
    "tinggi": "#2e7d32",
    "sedang": "#8a6d00",
    "rendah": "#c24e00",
    "sangat-rendah": "#b71c1c",
}
NO_DATA = "#6b6b6b"

_COUNTER = itertools.count(1)


def achievement_chart(title: str, rollups: list[tuple[str, str, Rollup | None]], label_w: int = 230) -> BarChart:
    """Mean achievement (each KPI capped at 100 %) per group: ``(label, href, rollup)`` in order.

    Bars are drawn on a 0–100 % scale, so that two charts compare; a group without data gets no bar
    and the words "belum ada data".
    """
    items = []
    for label, href, r in rollups:
        mean = r.mean_achievement if r else None
        if mean is None:
            items.append(BarItem(label, 0, "belum ada data", NO_DATA, href))
            continue
        band = r.band if r else None
        text = site_fmt.percent(mean) + (f" · {BANDS[band]}" if band else "")
        items.append(BarItem(label, mean, text, BAND_COLOURS[band] if band else NO_DATA, href))
    # a last bar of 100 % sets the scale (means are capped at 100), then goes
    chart = bar_chart(f"ac-{next(_COUNTER)}", title, [*items, BarItem("", 100, "", "")], label_w=label_w)
    chart.bars.pop()
    chart.height -= chart.row_h
    return chart


NARROW_W = 340
_PAD = 4
_LABEL_H = 16  # a label line of 13-unit text
_BAR_H = 14
_ROW_GAP = 10
_CHAR_W = 7.2  # the width of a character of 13-unit sans-serif text, on average and a little more
_GAP = 8  # between a bar and its value


@dataclass
class StackedBar:
    item: BarItem
    label_y: float  # the baseline of the label
    bar_y: float
    width: float
    text_x: float


@dataclass
class StackedChart:
    """A bar chart for a narrow screen: each label on its own line, its bar and value below it."""

    width: int
    height: int
    pad: int
    bar_h: int
    bars: list[StackedBar] = field(default_factory=list)


def stacked(chart: BarChart) -> StackedChart:
    """The same bars, on the same scale relative to one another, laid out for a phone."""
    value_w = max((len(b.item.text) for b in chart.bars), default=0) * _CHAR_W + _GAP
    plot_w = max(NARROW_W - 2 * _PAD - value_w, NARROW_W / 3)
    scale = plot_w / chart.plot_w if chart.plot_w else 0
    row = _LABEL_H + _BAR_H + _ROW_GAP
    bars = []
    for n, bar in enumerate(chart.bars):
        top = _PAD + n * row
        width = bar.width * scale if bar.width else 0
        width = max(width, 1.5) if bar.width else 0
        bars.append(StackedBar(bar.item, top + 12, top + _LABEL_H + 2, width, _PAD + width + _GAP))
    height = 2 * _PAD + len(chart.bars) * row - _ROW_GAP + 2
    return StackedChart(NARROW_W, int(height), _PAD, _BAR_H, bars)
