"""Consistency: unique ids, years inside the edition's period, sensible amounts."""

from __future__ import annotations

from ..errors import Report
from ..model import Opd, Programme, Project


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check(project: Project, report: Report) -> None:
    _unique_ids(project, report)
    edition = project.loaded_edition
    period = edition.period if edition else None
    if edition is not None and period is not None and period.end < period.start:
        report.add("E305", edition.where("period", "end"), f"the period ends ({period.end}) before it starts ({period.start})")
        period = None
    for p in project.programmes:
        for field in ("years", "partners", "related", "locations"):
            _no_repeats(report, p, field)
        for i, b in enumerate(p.budget):
            if b.amount < 0:
                report.add("E304", p.where("budget", i, "amount"), f"amount must be a non-negative whole number of rupiah, got {b.amount}")
            if b.realised is not None:
                if b.realised < 0:
                    report.add("E304", p.where("budget", i, "realised"),
                               f"realised must be a non-negative whole number of rupiah, got {b.realised}")
                elif b.realised > 10 * b.amount:
                    report.add("W406", p.where("budget", i, "realised"),
                               f"realised {thousands(b.realised)} is more than ten times the amount "
                               f"{thousands(b.amount)}; check the digits")
        if period is None:
            continue
        span = f"{period.start}–{period.end}"
        for i, year in enumerate(p.years):
            if not period.start <= year <= period.end:
                report.add("E302", p.where("years", i), f"year {year} is outside the period {span}")
        for i, b in enumerate(p.budget):
            if not period.start <= b.year <= period.end:
                report.add("E302", p.where("budget", i, "year"), f"budget year {b.year} is outside the period {span}")
        for i, k in enumerate(p.kpis):
            if k.baseline is not None and k.baseline.year >= period.start:
                report.add("E303", p.where("kpis", i, "baseline", "year"),
                           f"baseline year {k.baseline.year} must be before the period starts ({period.start})")
            for name in ("targets", "actuals"):
                for year in getattr(k, name):
                    if not period.start <= year <= period.end:
                        report.add("E302", p.where("kpis", i, name, year, key=True),
                                   f"{name[:-1]} year {year} is outside the period {span}")


def _unique_ids(project: Project, report: Report) -> None:
    programmes: dict[str, Programme] = {}
    for p in project.programmes:
        first = programmes.setdefault(p.id, p)
        if first is not p:
            other = first.origin.path if first.origin else "another file"
            report.add("E301", p.where(), f"programme id '{p.id}' is also used by {other}; ids are unique across pillars")
    opds: dict[str, Opd] = {}
    for o in project.opds:
        known = opds.setdefault(o.id, o)
        if known is not o:
            report.add("E301", o.where("id"), f"duplicate OPD id '{o.id}' (first on line {known.where('id').line})")
    for pillar in project.pillars:
        _unique_in(report, pillar, "elements", "element")
    if project.loaded_edition is not None:
        _unique_in(report, project.loaded_edition, "volumes", "volume")
        for i in range(len(project.loaded_edition.volumes)):
            _no_repeats(report, project.loaded_edition, "contents", ("volumes", i))


def _unique_in(report: Report, root, field: str, what: str) -> None:
    first_index: dict[str, int] = {}
    for i, item in enumerate(getattr(root, field)):
        first = first_index.setdefault(item.id, i)
        if first != i:
            line = root.where(field, first, "id").line
            report.add("E301", root.where(field, i, "id"), f"duplicate {what} id '{item.id}' (first on line {line})")


def _no_repeats(report: Report, root, field: str, base: tuple = ()) -> None:
    obj = root
    for part in base:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    seen: set = set()
    for i, entry in enumerate(getattr(obj, field)):
        item = getattr(entry, "id", entry)  # a section named with options counts by its id
        if item in seen:
            report.add("E306", root.where(*base, field, i), f"'{item}' appears twice in {field}")
        seen.add(item)
