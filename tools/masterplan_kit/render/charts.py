"""Geometry of the roadmap chart (a Gantt of programmes by year), drawn by views/roadmap.svg.j2.

Numbers only: the markup lives in the template, and the same SVG serves the site and the PDF.
One chart per pillar (several for a pillar of more than ``MAX_ROWS`` programmes) keeps each chart
short enough for a printed page. Status is told by the bar's shape as well as its colour (the
legend under every chart): planned — outlined, ongoing — solid, done — solid with a tick,
dropped — grey and struck through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Programme, Project

PILLAR_COLOURS = ["#1f5fa8", "#b8860b", "#2e7d32", "#c2185b", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]
NEUTRAL = "#3f51b5"  # bars that stand for no pillar (OPD, years, sources): 6.9:1 on white

ROW_H = 22
HEADER_H = 28
LEGEND_H = 30  # the legend of statuses and the quick-win mark under the bars
MAX_ROWS = 30  # a longer pillar is drawn as several charts, each short enough for a printed page
LABEL_W = 330
WIDTH = 760


@dataclass
class Bar:
    x: float
    width: float
    year: int


@dataclass
class Row:
    programme: Programme
    y: float
    label: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class YearColumn:
    year: int
    x: float
    width: float


@dataclass
class Chart:
    pillar_id: str
    title: str
    colour: str
    width: int
    height: int
    label_w: int
    row_h: int
    header_h: int
    years: list[YearColumn]
    rows: list[Row]
    part: int = 1  # this chart's part of the pillar's roadmap, of ``parts``
    parts: int = 1

    @property
    def legend_y(self) -> int:
        return self.height - LEGEND_H + 6


def pillar_colour(project: Project, pillar_id: str) -> str:
    ids = [p.id for p in project.pillars]
    return PILLAR_COLOURS[ids.index(pillar_id) % len(PILLAR_COLOURS)] if pillar_id in ids else PILLAR_COLOURS[-1]


def _label(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def roadmap(project: Project, programmes: list[Programme]) -> list[Chart]:
    """One chart per pillar that has programmes in ``programmes``."""
    period = project.edition.period
    years = list(range(period.start, period.end + 1))
    col_w = (WIDTH - LABEL_W) / len(years)
    columns = [YearColumn(y, LABEL_W + i * col_w, col_w) for i, y in enumerate(years)]
    x_of = {c.year: c for c in columns}
    charts = []
    for pillar in project.pillars:
        mine = [p for p in programmes if p.pillar == pillar.id]
        if not mine:
            continue
        mine.sort(key=lambda p: (min(p.years), max(p.years), p.title.lower()))
        pieces = [mine[i:i + MAX_ROWS] for i in range(0, len(mine), MAX_ROWS)]
        for n, piece in enumerate(pieces, start=1):
            rows = []
            for i, p in enumerate(piece):
                row = Row(p, HEADER_H + i * ROW_H, _label(p.title))
                for y in sorted(set(p.years)):
                    c = x_of.get(y)
                    if c is not None:
                        row.bars.append(Bar(c.x + 2, c.width - 4, y))
                rows.append(row)
            charts.append(Chart(pillar.id, pillar.name, pillar_colour(project, pillar.id), WIDTH,
                                HEADER_H + len(rows) * ROW_H + 8 + LEGEND_H, LABEL_W, ROW_H, HEADER_H, columns,
                                rows, n, len(pieces)))
    return charts
