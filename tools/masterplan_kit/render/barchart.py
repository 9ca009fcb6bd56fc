"""Geometry of a horizontal bar chart (budget by pillar, OPD or year; achievement by pillar …),
drawn by ``templates/views/barchart.svg.j2``.

Numbers only: the markup lives in the template, and the same SVG serves the site, the PDF and (as
a picture) the DOCX. Every chart is printed with its data as a table beside it, so a reader without
the picture (a screen reader, a phone in text mode) has the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROW_H = 26
BAR_H = 16
WIDTH = 760  # the widest a chart is drawn
PLOT_W = 250  # the bars' room in a chart whose labels and values are short
PAD = 8
GAP = 10  # between a bar and its value
CHAR_W = 7.6  # the mean advance of a character at the charts' 13 px, with some room to spare


@dataclass
class BarItem:
    """One bar as the caller describes it."""

    label: str
    value: float
    text: str  # the value as printed, e.g. "Rp 4,2 miliar"
    colour: str
    href: str = ""  # where the bar links to (empty: no link)


@dataclass
class Bar:
    item: BarItem
    y: float
    width: float
    text_x: float


@dataclass
class BarChart:
    id: str  # unique in the page: ids of the title and description
    title: str
    width: int
    height: int
    label_w: int
    plot_w: float
    row_h: int
    bar_h: int
    bars: list[Bar] = field(default_factory=list)


def bar_chart(chart_id: str, title: str, items: list[BarItem], label_w: int = 250, value_w: int = 130) -> BarChart:
    """Bars scaled to the largest value; labels on the left, values after each bar.

    The chart is as wide as its words need: ``label_w`` and ``value_w`` are the most room they
    get, and short labels (six pillar names, four years) give a narrower picture. A picture scaled
    down to a page or a phone keeps its type larger that way: a pillar chart in an A5 booklet
    prints its labels at about 9 pt rather than 6."""
    label_w = min(label_w, round(max((len(i.label) for i in items), default=0) * CHAR_W) + PAD)
    value_w = min(value_w, round(max((len(i.text) for i in items), default=0) * CHAR_W) + GAP + PAD)
    chart_w = min(WIDTH, label_w + value_w + PLOT_W + 2 * PAD)
    plot_w = chart_w - label_w - value_w - 2 * PAD
    top = max((i.value for i in items), default=0) or 1
    bars = []
    for n, item in enumerate(items):
        width = max(plot_w * max(item.value, 0) / top, 1.5 if item.value > 0 else 0)
        bars.append(Bar(item, PAD + n * ROW_H, width, label_w + PAD + width + GAP))
    height = 2 * PAD + len(items) * ROW_H
    return BarChart(chart_id, title, chart_w, height, label_w, plot_w, ROW_H, BAR_H, bars)
