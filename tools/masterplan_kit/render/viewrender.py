"""Data views (``::: {.programmes …}``) rendered from the model through templates/views/.

The same templates serve the site and the PDF; only the ``url`` function differs.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from ..model import Project
from ..model.dataviews import select
from . import charts, fmt
from .pandoc import ViewCall

UrlFn = Callable[[str, str], str]  # (scheme, id) -> href


def render_view(env: jinja2.Environment, project: Project, call: ViewCall, url: UrlFn, template: str | None = None,
                **extra) -> str:
    programmes = select(project, call.attrs, call.kind)
    context = dict(project=project, programmes=programmes, attrs=call.attrs, url=url, fmt=fmt, **extra)
    if call.kind == "roadmap":
        context["charts"] = charts.roadmap(project, programmes)
    if call.kind == "budget":
        context["budget"] = budget_table(project, programmes)
    return env.get_template(template or f"views/{call.kind}.html.j2").render(context)


def budget_table(project: Project, programmes) -> dict:
    """Indicative budget by pillar and year, with totals by funding source."""
    period = project.edition.period
    years = list(range(period.start, period.end + 1))
    rows = []
    for pillar in project.pillars:
        mine = [p for p in programmes if p.pillar == pillar.id]
        if not mine:
            continue
        by_year = {y: sum(b.amount for p in mine for b in p.budget if b.year == y) for y in years}
        rows.append({"pillar": pillar, "by_year": by_year, "total": sum(by_year.values()), "count": len(mine)})
    totals = {y: sum(r["by_year"][y] for r in rows) for y in years}
    sources: dict[str, int] = {}
    for p in programmes:
        for b in p.budget:
            sources[b.source] = sources.get(b.source, 0) + b.amount
    return {"years": years, "rows": rows, "totals": totals, "total": sum(totals.values()),
            "sources": sorted(sources.items(), key=lambda kv: -kv[1])}
