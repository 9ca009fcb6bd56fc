"""Advisories: things that are allowed but usually a mistake. Errors under ``--strict``."""

from __future__ import annotations

from ..errors import Location, Report
from ..model import Project
from ..model.dataviews import volumes_showing

SUMMARY_LIMIT = 300
EXAMPLE_PREFIXES = ("contoh-", "example-")  # the example programmes of a new city (masterplan init)


def check(project: Project, report: Report) -> None:
    involved: set[str] = set()
    for p in project.programmes:
        involved.add(p.lead)
        involved.update(p.partners)
        if not p.kpis:
            report.add("W401", p.where(), f"programme '{p.id}' has no KPI: add at least one under 'kpis'")
        if p.id.startswith(EXAMPLE_PREFIXES):
            report.add("W407", p.where(), f"programme '{p.id}' is an example from the template: "
                                          "replace it with a real programme or delete it")
        if len(p.summary) > SUMMARY_LIMIT:
            report.add("W403", p.where("summary"),
                       f"summary is {len(p.summary)} characters; keep it to one sentence under {SUMMARY_LIMIT}")
    for o in project.opds:
        if o.kind != "kecamatan" and o.id not in involved:
            report.add("W402", o.where("id"), f"OPD '{o.id}' leads or supports no programme")
    if project.loaded_edition is None:
        return
    used = {item for v in project.loaded_edition.volumes for item in v.items}
    for chapter in project.chapters.values():
        if chapter.id not in used:
            report.add("W404", Location(chapter.path), f"chapter '{chapter.id}' is not in any volume's contents")
    shown = volumes_showing(project)
    for p in project.programmes:
        if p.id not in shown:
            report.add("W405", p.where(), f"programme '{p.id}' is not shown in any volume")
