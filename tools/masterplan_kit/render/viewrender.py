"""Data views (``::: {.programmes …}``) rendered from the model through templates/views/.

The same templates serve the site and the PDF; only the ``url`` function differs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from ..model import Programme, Project
from ..model.dataviews import VIEWS, select
from . import charts, fmt
from .barchart import BarItem, bar_chart
from .pandoc import ViewCall

UrlFn = Callable[[str, str], str]  # (scheme, id) -> href


_COUNTER = itertools.count(1)  # ids of charts, unique within a page


def render_view(env: jinja2.Environment, project: Project, call: ViewCall, url: UrlFn, template: str | None = None,
                **extra: object) -> str:
    """A data view's HTML: ``templates/views/<kind>.html.j2`` with the programmes it selects, its
    options, and what ``CONTEXT[kind]`` adds for it."""
    spec = VIEWS[call.kind]
    programmes = select(project, call.attrs, call.kind)
    context = dict(project=project, programmes=programmes, attrs=call.attrs, options=spec.settings(call.attrs),
                   url=url, fmt=fmt, **extra)
    builder = CONTEXT.get(call.kind)
    if builder is not None:
        context.update(builder(project, programmes, context))
    return env.get_template(template or f"views/{call.kind}.html.j2").render(context)


def _roadmap(project: Project, programmes: list[Programme], context: dict) -> dict:
    return {"charts": charts.roadmap(project, programmes)}


def _budget(project: Project, programmes: list[Programme], context: dict) -> dict:
    return {"budget": budget_table(project, programmes)}


@dataclass
class ChartRow:
    """A bar of a chart and its line in the table beside it."""

    key: str
    label: str
    colour: str
    href: str
    amount: int
    count: int  # programmes
    share: float  # percent of the total


def _budget_chart(project: Project, programmes: list[Programme], context: dict) -> dict:
    """One bar per pillar, lead OPD, year or funding source (``by``), largest first except years."""
    by = context["options"]["by"]
    url: UrlFn = context["url"]
    groups: dict[str, tuple[str, str, str, list[tuple[Programme, int]]]] = {}  # key -> label, colour, href, amounts
    for p in programmes:
        for b in p.budget:
            if by == "pillar":
                pillar = project.pillar(p.pillar)
                key, label, href = p.pillar, pillar.name if pillar else p.pillar, url("pillar", p.pillar)
                colour = charts.pillar_colour(project, p.pillar)
            elif by == "opd":
                opd = project.opd(p.lead)
                key, label, href, colour = p.lead, opd.label if opd else p.lead, url("opd", p.lead), charts.NEUTRAL
            elif by == "year":
                key, label, href, colour = str(b.year), str(b.year), "", charts.NEUTRAL
            else:
                key, label, href, colour = b.source, fmt.SOURCE.get(b.source, b.source), "", charts.NEUTRAL
            groups.setdefault(key, (label, colour, href, []))[3].append((p, b.amount))
    total = sum(a for *_, amounts in groups.values() for _, a in amounts)
    rows = []
    for key, (label, colour, href, amounts) in groups.items():
        amount = sum(a for _, a in amounts)
        rows.append(ChartRow(key, label, colour, href, amount, len({p.id for p, _ in amounts}),
                             100 * amount / total if total else 0))
    order = {pl.id: i for i, pl in enumerate(project.pillars)}
    if by == "year":
        rows.sort(key=lambda r: r.key)
    elif by == "pillar":
        rows.sort(key=lambda r: order.get(r.key, len(order)))
    else:
        rows.sort(key=lambda r: (-r.amount, r.label))
    titles = {"pillar": "Anggaran indikatif per pilar", "opd": "Anggaran indikatif per OPD pengampu",
              "year": "Anggaran indikatif per tahun", "source": "Anggaran indikatif per sumber pembiayaan"}
    headings = {"pillar": "Pilar", "opd": "OPD pengampu", "year": "Tahun", "source": "Sumber"}
    items = [BarItem(r.label, r.amount, fmt.rupiah_short(r.amount), r.colour, r.href) for r in rows]
    chart = bar_chart(f"bc-{by}-{next(_COUNTER)}", titles[by], items, label_w=230 if by != "year" else 120)
    return {"chart": chart, "rows": rows, "total": total, "heading": headings[by]}


ContextBuilder = Callable[[Project, list[Programme], dict], dict]
# kind -> what its template needs beyond the selected programmes (views without an entry need nothing more)
CONTEXT: dict[str, ContextBuilder] = {"roadmap": _roadmap, "budget": _budget, "budget-chart": _budget_chart}


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
