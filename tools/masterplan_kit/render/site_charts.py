"""Achievement charts of the site: bars on a fixed 0–100 % scale, coloured by band.

Geometry from the shared bar-chart component (``render/barchart.py``), drawn by
``templates/views/barchart.svg.j2`` like the budget charts; every chart is printed with its table.
"""

from __future__ import annotations

import itertools

from ..model.evaluation import BANDS, BandId, Rollup
from . import fmt
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
        text = fmt.percent(mean) + (f" · {BANDS[band]}" if band else "")
        items.append(BarItem(label, mean, text, BAND_COLOURS[band] if band else NO_DATA, href))
    # a last bar of 100 % sets the scale (means are capped at 100), then goes
    chart = bar_chart(f"ac-{next(_COUNTER)}", title, [*items, BarItem("", 100, "", "")], label_w=label_w)
    chart.bars.pop()
    chart.height -= chart.row_h
    return chart
