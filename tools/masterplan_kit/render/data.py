"""Open data: build/data/programmes.json, programmes.csv, pillars.json, opd.json and their schemas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..model import Project
from ..model.export import (
    BudgetRecord, ElementRecord, KpiRecord, OpdFile, OpdRecord, PeriodRecord, PillarRecord,
    PillarsFile, ProgrammeRecord, ProgrammesFile,
)
from ..model.dataviews import volumes_showing
from ..model.jsonschema import json_schema
from . import routes
from .write import StagedDir, write_bytes

SCHEMAS = {
    "programmes.schema.json": ("build/data/programmes.json", ProgrammesFile),
    "pillars.schema.json": ("build/data/pillars.json", PillarsFile),
    "opd.schema.json": ("build/data/opd.json", OpdFile),
}


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
            budget=[BudgetRecord(year=b.year, amount=b.amount, source=b.source) for b in p.budget],
            budget_total=p.total_budget,
            kpis=[KpiRecord(
                indicator=k.indicator, unit=k.unit,
                baseline_year=k.baseline.year if k.baseline else None,
                baseline_value=_num(k.baseline.value) if k.baseline else None,
                targets={str(y): _num(v) for y, v in sorted(k.targets.items())},
                actuals={str(y): _num(v) for y, v in sorted(k.actuals.items())},
            ) for k in p.kpis],
            related=list(p.related), locations=list(p.locations),
            volumes=shown.get(p.id, []), url=routes.programme(p.id),
        ))
    return out


def build_files(project: Project) -> dict[str, bytes]:
    """Every file of build/data/, by name."""
    ed = project.edition
    records = programme_records(project)
    programmes = ProgrammesFile(city=ed.city, title=ed.title,
                                period=PeriodRecord(start=ed.period.start, end=ed.period.end), programmes=records)
    pillars = PillarsFile(pillars=[
        PillarRecord(
            id=pl.id, name=pl.name, aliases=list(pl.aliases), short=pl.short, definition=pl.definition,
            order=pl.order,
            elements=[ElementRecord(id=e.id, name=e.name,
                                    programmes=sum(1 for p in project.programmes if p.pillar == pl.id and p.element == e.id))
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
    }
    for name, (title, model) in SCHEMAS.items():
        files[name] = _json(json_schema(model, title))
    return files


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def programmes_csv(project: Project, records: list[ProgrammeRecord]) -> bytes:
    """One row per programme; UTF-8 with a byte-order mark so that Excel opens it correctly."""
    years = list(range(project.edition.period.start, project.edition.period.end + 1))
    header = ["id", "title", "pillar", "element", "lead", "partners", "kind", "status", "priority",
              "quick_win", "years", "start_year", "end_year", *[f"budget_{y}" for y in years],
              "budget_total", "funding_sources", "kpi_count", "summary", "url"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for r in records:
        by_year = {y: sum(b.amount for b in r.budget if b.year == y) for y in years}
        writer.writerow([
            r.id, r.title, r.pillar, r.element, r.lead, ";".join(r.partners), r.kind, r.status, r.priority,
            "true" if r.quick_win else "false", ";".join(map(str, r.years)), min(r.years), max(r.years),
            *[by_year[y] for y in years], r.budget_total,
            ";".join(sorted({b.source for b in r.budget})), len(r.kpis), r.summary, r.url,
        ])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write_data(project: Project, out_dir: Path) -> Path:
    files = build_files(project)
    with StagedDir(out_dir) as tmp:
        for name, data in files.items():
            write_bytes(tmp / name, data)
    return out_dir


