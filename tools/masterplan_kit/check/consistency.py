"""Consistency: unique ids, years inside the edition's period, sensible amounts."""

from __future__ import annotations

from ..diagnostics import Report
from ..model import Project


def check(project: Project, report: Report) -> None:
    _unique_ids(project, report)
    edition = project.edition
    period = edition.period if edition else None
    if period is not None and period.end < period.start:
        report.add("E305", period.where("end"), f"the period ends ({period.end}) before it starts ({period.start})")
        period = None
    for p in project.programmes:
        for field in ("years", "partners", "related", "locations"):
            _no_repeats(report, p, field)
        for i, b in enumerate(p.budget):
            if b.amount < 0:
                report.add("E304", b.where("amount"), f"amount must be a non-negative whole number of rupiah, got {b.amount}")
        if period is None:
            continue
        span = f"{period.start}–{period.end}"
        for i, year in enumerate(p.years):
            if not period.start <= year <= period.end:
                report.add("E302", p.where("years", i), f"year {year} is outside the period {span}")
        for b in p.budget:
            if not period.start <= b.year <= period.end:
                report.add("E302", b.where("year"), f"budget year {b.year} is outside the period {span}")
        for k in p.kpis:
            if k.baseline is not None and k.baseline.year >= period.start:
                report.add("E303", k.baseline.where("year"),
                           f"baseline year {k.baseline.year} must be before the period starts ({period.start})")
            for name in ("targets", "actuals"):
                for year in getattr(k, name):
                    if not period.start <= year <= period.end:
                        report.add("E302", k.where(name, year, key=True),
                                   f"{name[:-1]} year {year} is outside the period {span}")


def _unique_ids(project: Project, report: Report) -> None:
    seen: dict[str, object] = {}
    for p in project.programmes:
        first = seen.setdefault(p.id, p)
        if first is not p:
            report.add("E301", p.where(), f"programme id '{p.id}' is also used by {first.origin.path}; ids are unique across pillars")
    seen = {}
    for o in project.opds:
        first = seen.setdefault(o.id, o)
        if first is not o:
            report.add("E301", o.where("id"), f"duplicate OPD id '{o.id}' (first on line {first.where('id').line})")
    for pillar in project.pillars:
        seen = {}
        for e in pillar.elements:
            first = seen.setdefault(e.id, e)
            if first is not e:
                report.add("E301", e.where("id"), f"duplicate element id '{e.id}' (first on line {first.where('id').line})")
    if project.edition is not None:
        seen = {}
        for v in project.edition.volumes:
            first = seen.setdefault(v.id, v)
            if first is not v:
                report.add("E301", v.where("id"), f"duplicate volume id '{v.id}' (first on line {first.where('id').line})")
            _no_repeats(report, v, "contents")


def _no_repeats(report: Report, obj, field: str) -> None:
    seen: set = set()
    for i, item in enumerate(getattr(obj, field)):
        if item in seen:
            report.add("E306", obj.where(field, i), f"'{item}' appears twice in {field}")
        seen.add(item)
