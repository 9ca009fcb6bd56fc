"""Open data: build/data/programmes.json, programmes.csv, kpis.json, kpis.csv, pillars.json, opd.json and
their schemas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..model import Edition, Project
from ..model.dataviews import volumes_showing
from ..model.evaluation import achievement, kpi_refs, progress
from ..model.export import (
    BudgetRecord,
    ElementRecord,
    KpiRecord,
    KpisFile,
    KpiYearRecord,
    OpdFile,
    OpdRecord,
    PeriodRecord,
    PillarRecord,
    PillarsFile,
    ProgrammeRecord,
    ProgrammesFile,
)
from ..model.jsonschema import json_schema
from . import routes
from .outputs import BuildOptions
from .write import StagedDir, write_bytes

SCHEMAS = {
    "programmes.schema.json": ("build/data/programmes.json", ProgrammesFile),
    "kpis.schema.json": ("build/data/kpis.json", KpisFile),
    "pillars.schema.json": ("build/data/pillars.json", PillarsFile),
    "opd.schema.json": ("build/data/opd.json", OpdFile),
}


def _edition(project: Project) -> Edition:
    return project.edition


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def programme_records(project: Project) -> list[ProgrammeRecord]:
    shown = volumes_showing(project)
    out = []
    for p in project.programmes:
        pillar = project.pillar(p.pillar)
        element = pillar.element(p.element) if pillar else None
        lead = project.opd(p.lead)
        out.append(ProgrammeRecord(
            id=p.id, title=p.title, summary=p.summary, description=p.description,
            pillar=p.pillar, pillar_name=pillar.name if pillar else p.pillar,
            element=p.element, element_name=element.name if element else p.element,
            lead=p.lead, lead_name=lead.name if lead else p.lead, partners=list(p.partners),
            kind=p.kind, quick_win=p.quick_win, priority=p.priority, status=p.status, years=list(p.years),
            budget=[BudgetRecord(year=b.year, amount=b.amount, source=b.source, realised=b.realised) for b in p.budget],
            budget_total=p.total_budget,
            kpis=[KpiRecord(
                indicator=k.indicator, unit=k.unit, direction=k.direction,
                baseline_year=k.baseline.year if k.baseline else None,
                baseline_value=_num(k.baseline.value) if k.baseline else None,
                targets={str(y): _num(v) for y, v in sorted(k.targets.items())},
                actuals={str(y): _num(v) for y, v in sorted(k.actuals.items())},
            ) for k in p.kpis],
            related=list(p.related), locations=list(p.locations),
            volumes=shown.get(p.id, []), url=routes.programme(p.id),
        ))
    return out


def kpi_rows(project: Project) -> list[KpiYearRecord]:
    """One row per KPI and year of the period; the progress status is judged from the latest actual."""
    period = _edition(project).period
    rows = []
    for ref in kpi_refs(project.programmes):
        k, p = ref.kpi, ref.programme
        status = progress(k, period.end).status
        for year in range(period.start, period.end + 1):
            found = achievement(k, year)
            target, actual = k.targets.get(year), k.actuals.get(year)
            rows.append(KpiYearRecord(
                kpi=ref.key, programme=p.id, pillar=p.pillar, lead=p.lead, indicator=k.indicator, unit=k.unit,
                direction=k.direction, year=year,
                baseline_year=k.baseline.year if k.baseline else None,
                baseline_value=_num(k.baseline.value) if k.baseline else None,
                target=None if target is None else _num(target), actual=None if actual is None else _num(actual),
                achievement=found.percent if found else None, band=found.band if found else None,
                progress_status=status,
            ))
    return rows


def build_files(project: Project) -> dict[str, bytes]:
    """Every file of build/data/, by name."""
    ed = _edition(project)
    records = programme_records(project)
    programmes = ProgrammesFile(city=ed.city, title=ed.title,
                                period=PeriodRecord(start=ed.period.start, end=ed.period.end), programmes=records)
    rows = kpi_rows(project)
    kpis = KpisFile(city=ed.city, title=ed.title, period=PeriodRecord(start=ed.period.start, end=ed.period.end),
                    rows=rows)
    pillars = PillarsFile(pillars=[
        PillarRecord(
            id=pl.id, name=pl.name, aliases=list(pl.aliases), short=pl.short, definition=pl.definition,
            order=pl.order,
            elements=[ElementRecord(id=e.id, name=e.name, programmes=sum(
                          1 for p in project.programmes if p.pillar == pl.id and p.element == e.id))
                      for e in pl.elements],
            programmes=[p.id for p in project.programmes_of(pl.id)],
            budget_total=sum(p.total_budget for p in project.programmes_of(pl.id)),
            url=routes.pillar(pl.id),
        ) for pl in project.pillars
    ])
    opd = OpdFile(opd=[
        OpdRecord(id=o.id, name=o.name, abbr=o.abbr, kind=o.kind,
                  leads=[p.id for p in project.programmes if p.lead == o.id],
                  supports=[p.id for p in project.programmes if o.id in p.partners],
                  url=routes.opd(o.id))
        for o in project.opds
    ])
    files = {
        "programmes.json": _json(programmes.model_dump(mode="json")),
        "pillars.json": _json(pillars.model_dump(mode="json")),
        "opd.json": _json(opd.model_dump(mode="json")),
        "programmes.csv": programmes_csv(project, records),
        "kpis.json": _json(kpis.model_dump(mode="json")),
        "kpis.csv": kpis_csv(rows),
    }
    for name, (title, model) in SCHEMAS.items():
        files[name] = _json(json_schema(model, title))
    return files


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``; other values as they are.

    Spreadsheets treat a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
    formula (CSV injection); the apostrophe makes them show it as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens it correctly; text cells guarded against formulas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def programmes_csv(project: Project, records: list[ProgrammeRecord]) -> bytes:
    """One row per programme."""
    period = _edition(project).period
    years = list(range(period.start, period.end + 1))
    header = ["id", "title", "pillar", "element", "lead", "partners", "kind", "status", "priority",
              "quick_win", "years", "start_year", "end_year", *[f"budget_{y}" for y in years],
              "budget_total", "funding_sources", "kpi_count", "summary", "url"]
    rows = []
    for r in records:
        by_year = {y: sum(b.amount for b in r.budget if b.year == y) for y in years}
        rows.append([
            r.id, r.title, r.pillar, r.element, r.lead, ";".join(r.partners), r.kind, r.status, r.priority,
            "true" if r.quick_win else "false", ";".join(map(str, r.years)), min(r.years), max(r.years),
            *[by_year[y] for y in years], r.budget_total,
            ";".join(sorted({b.source for b in r.budget})), len(r.kpis), r.summary, r.url,
        ])
    return _csv(header, rows)


def kpis_csv(rows: list[KpiYearRecord]) -> bytes:
    """One row per KPI and year, the columns of kpis.json; an empty cell where the JSON has null."""
    header = list(KpiYearRecord.model_fields)
    return _csv(header, [["" if (v := getattr(r, name)) is None else v for name in header] for r in rows])


def build_data(project: Project, options: BuildOptions) -> list[Path]:
    """The ``data`` output (see outputs.py)."""
    return [write_data(project, options.out / "data")]


def write_data(project: Project, out_dir: Path) -> Path:
    files = build_files(project)
    with StagedDir(out_dir) as tmp:
        for name, data in files.items():
            write_bytes(tmp / name, data)
    return out_dir


