"""``masterplan report``: a year's KPI achievement and budget realisation per pillar and for the city.

The figures come from ``model.evaluation``; the text table is laid out by ``templates/report/``
(a project may put its own ``templates/report/year.txt.j2`` in place), the JSON keeps the numbers
unrounded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .model import Project
from .model.evaluation import (
    BANDS,
    STATUSES,
    Rollup,
    Shortfall,
    below_target,
    city_rollup,
    latest_actual_year,
    rollups,
)
from .render import fmt
from .templating import environment

SCHEMA_VERSION = 1
TEMPLATE = "year.txt.j2"


class YearOutsidePeriod(ValueError):
    """The year asked for is not a year of the masterplan's period."""


@dataclass(frozen=True)
class YearReport:
    city: str
    title: str
    start: int
    end: int
    year: int
    pillars: list[Rollup]
    total: Rollup
    below: list[Shortfall]


def year_report(project: Project, year: int | None = None) -> YearReport:
    """The report of ``year``; by default the latest year with actuals (else the period's first year)."""
    ed = project.edition
    if ed is None:
        raise ValueError("the project has no edition (masterplan/masterplan.yml)")
    start, end = ed.period.start, ed.period.end
    if year is None:
        latest = latest_actual_year(project)
        year = latest if latest is not None and start <= latest <= end else start
    if not start <= year <= end:
        raise YearOutsidePeriod(f"year {year} is outside the period {start}–{end}")
    return YearReport(
        city=ed.city, title=ed.title, start=start, end=end, year=year,
        pillars=rollups(project, year, "pillar"), total=city_rollup(project, year),
        below=below_target(project, year),
    )


def _rollup_json(r: Rollup) -> dict[str, Any]:
    budget = r.budget
    return {
        "key": r.key, "name": r.name, "kpis": r.kpis, "with_data": r.with_data, "without_data": r.without_data,
        "assessed": r.assessed, "measured": r.measured, "on_track": r.on_track,
        "mean_achievement": r.mean_achievement, "band": r.band, "bands": dict(r.bands),
        "statuses": dict(r.statuses),
        "budget": None if budget is None else {**asdict(budget), "realisation": budget.realisation},
    }


def to_json(report: YearReport) -> str:
    """The report as JSON: stable keys, numbers unrounded, percentages in percent."""
    data = {
        "schema_version": SCHEMA_VERSION, "city": report.city, "title": report.title,
        "period": {"start": report.start, "end": report.end}, "year": report.year,
        "pillars": [_rollup_json(r) for r in report.pillars],
        "city_total": _rollup_json(report.total),
        "below_target": [{
            "kpi": s.ref.key, "programme": s.programme.id, "programme_title": s.programme.title,
            "pillar": s.programme.pillar, "lead": s.lead, "indicator": s.ref.kpi.indicator, "unit": s.ref.kpi.unit,
            "direction": s.achievement.direction, "target": s.achievement.target, "actual": s.achievement.actual,
            "achievement": s.achievement.percent, "band": s.achievement.band,
        } for s in report.below],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(value: object, width: int) -> str:
    """Left-aligned in ``width`` columns, cut with an ellipsis when longer."""
    text = str(value)
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def _rcell(value: object, width: int) -> str:
    """Right-aligned in ``width`` columns, cut with an ellipsis when longer."""
    text = str(value)
    return (text[: width - 1] + "…" if len(text) > width else text).rjust(width)


def _percent(value: float | None) -> str:
    """86,5 % — one decimal, Indonesian; an en dash when there is none."""
    return "–" if value is None else f"{fmt.number(value, 1)} %"


def to_text(report: YearReport, root: Path, project: Project) -> str:
    """The report as a plain-text table that fits 80 columns."""
    env = environment(root, "report", autoescape=False)  # plain text for the terminal
    env.filters.update(cell=_cell, rcell=_rcell, percent=_percent,
                       band_label=lambda b: BANDS.get(b, "–"), progress_label=STATUSES.get)
    leads = {o.id: o.label for o in project.opds}
    text = env.get_template(TEMPLATE).render(report=report, bands=list(BANDS), statuses=list(STATUSES), leads=leads)
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
