"""Consistency: unique ids, years inside the edition's period, sensible amounts."""

from __future__ import annotations

from ..errors import Location, Report
from ..model import Opd, Programme, Project
from ..model.base import MAX_AMOUNT, RESERVED_IDS


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check(project: Project, report: Report) -> None:
    _unique_ids(project, report)
    _reserved(project, report)
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
            elif b.amount > MAX_AMOUNT:
                report.add("E304", p.where("budget", i, "amount"), _too_large("amount", b.amount))
            if b.realised is not None:
                if b.realised < 0:
                    report.add("E304", p.where("budget", i, "realised"),
                               f"realised must be a non-negative whole number of rupiah, got {b.realised}")
                elif b.realised > MAX_AMOUNT:
                    report.add("E304", p.where("budget", i, "realised"), _too_large("realised", b.realised))
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


def _too_large(name: str, value: int) -> str:
    digits = str(value)
    shown = thousands(value) if len(digits) <= 30 else f"{digits[:12]}… ({len(digits)} digits)"
    return (f"{name} {shown} is more than Rp {thousands(MAX_AMOUNT)} (Rp 100 triliun), beyond any city's "
            "budget; check the digits")


def _reserved(project: Project, report: Report) -> None:
    """Ids that would name a page the site generates itself (opd/index.html lists the OPD)."""
    def refuse(what: str, ident: str, where: Location) -> None:
        report.add("E108", where, f"'{ident}' cannot be a {what} id: the site uses that name for a page of its own; "
                                  "choose another id")

    for o in project.opds:
        if o.id in RESERVED_IDS:
            refuse("OPD", o.id, o.where("id"))
    for p in project.programmes:
        if p.id in RESERVED_IDS:
            refuse("programme", p.id, Location(p.origin.path) if p.origin else p.where())
    for pl in project.pillars:
        if pl.id in RESERVED_IDS:
            refuse("pillar", pl.id, Location(pl.origin.path) if pl.origin else pl.where())
    for cid, ch in project.chapters.items():
        if cid in RESERVED_IDS:
            refuse("chapter", cid, Location(ch.path))


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
