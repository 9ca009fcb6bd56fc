"""Advisories: things that are allowed but usually a mistake. Errors under ``--strict``."""

from __future__ import annotations

from ..diagnostics import Location, Report
from ..model import Project
from ..model.views import select

SUMMARY_LIMIT = 300


def check(project: Project, report: Report) -> None:
    involved: set[str] = set()
    for p in project.programmes:
        involved.add(p.lead)
        involved.update(p.partners)
        if not p.kpis:
            report.add("W401", p.where(), f"programme '{p.id}' has no KPI: add at least one under 'kpis'")
        if len(p.summary) > SUMMARY_LIMIT:
            report.add("W403", p.where("summary"),
                       f"summary is {len(p.summary)} characters; keep it to one sentence under {SUMMARY_LIMIT}")
    for o in project.opds:
        if o.kind != "kecamatan" and o.id not in involved:
            report.add("W402", o.where("id"), f"OPD '{o.id}' leads or supports no programme")
    if project.edition is None:
        return
    used = {item for v in project.edition.volumes for item in v.contents}
    for chapter in project.chapters.values():
        if chapter.id not in used:
            report.add("W404", Location(chapter.path), f"chapter '{chapter.id}' is not in any volume's contents")
    shown = _programmes_shown(project, used)
    for p in project.programmes:
        if p.id not in shown:
            report.add("W405", p.where(), f"programme '{p.id}' is not shown in any volume")


def _programmes_shown(project: Project, used: set[str]) -> set[str]:
    if used & {"pillars", "programme-matrix", "roadmap", "kpis"}:
        return {p.id for p in project.programmes}
    shown: set[str] = set()
    if "quick-wins" in used:
        shown |= {p.id for p in project.programmes if p.quick_win}
    for cid in used:
        chapter = project.chapters.get(cid)
        if chapter is None:
            continue
        shown |= {link.target for link in chapter.links if link.scheme == "programme"}
        for view in chapter.views:
            if view.kind in ("programmes", "roadmap", "quick-wins", "kpis"):
                shown |= {p.id for p in select(project, view.attrs, view.kind)}
    return shown

