"""Data views: the fenced divs that chapters use to embed tables and charts from the model.

One declaration serves the validator (which attributes exist, what their values name) and the
renderers (which programmes a view selects, and with which options). A view renders through
``templates/views/<kind>.html.j2``; ``render/viewrender.py`` adds the data a template needs beyond
the selected programmes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .programme import Programme
from .sections import SECTIONS

if TYPE_CHECKING:
    from .project import Project


@dataclass(frozen=True)
class Filter:
    name: str
    refers_to: str  # pillar | element | opd | programme | kind | status | priority | year | bool
    help: str


FILTERS: dict[str, Filter] = {f.name: f for f in [
    Filter("pillar", "pillar", "programmes of this pillar"),
    Filter("element", "element", "programmes of this element"),
    Filter("lead", "opd", "programmes led by this OPD"),
    Filter("opd", "opd", "programmes this OPD leads or supports"),
    Filter("kind", "kind", "infrastruktur, suprastruktur or infostruktur"),
    Filter("status", "status", "planned, ongoing, done or dropped"),
    Filter("priority", "priority", "high, medium or low"),
    Filter("year", "year", "programmes active in this year"),
    Filter("quick_win", "bool", "true or false"),
    Filter("programme", "programme", "one programme"),
]}

@dataclass(frozen=True)
class Option:
    """A setting of one view that is not a programme filter, e.g. ``by=opd`` of a chart."""

    name: str
    values: tuple[str, ...]
    default: str
    help: str


@dataclass(frozen=True)
class ViewSpec:
    kind: str  # the div's class: ::: {.<kind> …}
    help: str
    filters: tuple[str, ...] = tuple(FILTERS)  # the programme filters it accepts
    options: tuple[Option, ...] = ()
    quick_wins_only: bool = False

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.filters + tuple(o.name for o in self.options)

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def settings(self, attrs: dict[str, str]) -> dict[str, str]:
        """Every option's value: as written, or its default."""
        return {o.name: attrs.get(o.name, o.default) for o in self.options}


VIEWS: dict[str, ViewSpec] = {v.kind: v for v in [
    ViewSpec("programmes", "a table of programmes: element, lead OPD, years, status, budget"),
    ViewSpec("roadmap", "programmes by year as a chart, one per pillar"),
    ViewSpec("quick-wins", "the quick wins with their main indicator",
             filters=("pillar", "element", "lead", "opd", "kind", "year"), quick_wins_only=True),
    ViewSpec("kpis", "indicators: baseline, target and actual by year"),
    ViewSpec("budget", "indicative budget by pillar and year, and by funding source"),
    ViewSpec("budget-chart", "indicative budget as a bar chart, with its table",
             options=(Option("by", ("pillar", "opd", "year", "source"), "pillar",
                             "one bar per pillar, lead OPD, year or funding source"),)),
    ViewSpec("pillars", "the pillars with their elements, programmes and budget", filters=()),
]}


def select(project: Project, attrs: dict[str, str], view: str = "programmes") -> list[Programme]:
    """The programmes a view shows, in the project's order (pillar order, then id)."""
    chosen: Iterable[Programme] = project.programmes
    spec = VIEWS.get(view)
    if spec is not None and spec.quick_wins_only:
        chosen = (p for p in chosen if p.quick_win)
    for name, value in attrs.items():
        if name not in FILTERS:
            continue
        chosen = [p for p in chosen if _matches(p, name, value)]
    return list(chosen)


def _matches(p: Programme, name: str, value: str) -> bool:
    if name == "pillar":
        return p.pillar == value
    if name == "element":
        return p.element == value
    if name == "lead":
        return p.lead == value
    if name == "opd":
        return p.lead == value or value in p.partners
    if name == "kind":
        return p.kind == value
    if name == "status":
        return p.status == value
    if name == "priority":
        return p.priority == value
    if name == "year":
        return value.isdigit() and int(value) in p.years
    if name == "quick_win":
        return p.quick_win == (value.lower() == "true")
    if name == "programme":
        return p.id == value
    return True


def programmes_in_volume(project: Project, contents: list[str]) -> set[str]:
    """Ids of the programmes a volume with these contents shows (tables, links or sections)."""
    if any(SECTIONS[c].shows_all for c in contents if c in SECTIONS):
        return {p.id for p in project.programmes}
    shown: set[str] = set()
    if "quick-wins" in contents:
        shown |= {p.id for p in project.programmes if p.quick_win}
    for cid in contents:
        chapter = project.chapters.get(cid)
        if chapter is None:
            continue
        shown |= {link.target for link in chapter.doc.links if link.scheme == "programme"}
        for view in chapter.doc.views:
            if view.kind != "pillars":
                shown |= {p.id for p in select(project, view.attrs, view.kind)}
    return shown


def volumes_showing(project: Project) -> dict[str, list[str]]:
    """Programme id -> ids of the volumes it appears in, in volume order."""
    out: dict[str, list[str]] = {}
    if project.loaded_edition is None:
        return out
    for volume in project.edition.volumes:
        for pid in programmes_in_volume(project, volume.items):
            out.setdefault(pid, []).append(volume.id)
    return out
