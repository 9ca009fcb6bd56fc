"""Open data, build/data/: the JSON files with their JSON Schemas, the tidy CSV tables, the SQLite
database (masterplan.db, with datasette's metadata.json) and the package metadata (datapackage.json,
ckan.json)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..model import Edition, Project
from ..model.dataviews import volumes_showing
from ..model.evaluation import achievement, kpi_refs, progress
from ..model.export import (
    BudgetRecord,
    BudgetRow,
    ElementRecord,
    ElementRow,
    KpiRecord,
    KpisFile,
    KpiYearRecord,
    LocationRow,
    OpdFile,
    OpdRecord,
    OpdRow,
    PeriodRecord,
    PillarRecord,
    PillarRow,
    PillarsFile,
    ProgrammeRecord,
    ProgrammesFile,
)
from ..model.jsonschema import json_schema
from ..model.tables import Column, Table, tables
from . import routes
from .dates import source_date
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


def period_years(project: Project) -> list[int]:
    period = _edition(project).period
    return list(range(period.start, period.end + 1))


def table_rows(project: Project, records: list[ProgrammeRecord], kpis: list[KpiYearRecord],
               declared: list[Table]) -> dict[str, list[BaseModel]]:
    """The rows of every table, by table name."""
    years = period_years(project)
    leads = Counter(p.lead for p in project.programmes)
    supports = Counter(o for p in project.programmes for o in p.partners)
    per_element = Counter((p.pillar, p.element) for p in project.programmes)
    per_pillar = Counter(p.pillar for p in project.programmes)
    budget_of: Counter[str] = Counter()
    for p in project.programmes:
        budget_of[p.pillar] += p.total_budget
    programme_model = next(t.model for t in declared if t.name == "programmes")
    programmes: list[BaseModel] = []
    for r in records:
        by_year = dict.fromkeys(years, 0)
        for b in r.budget:
            by_year[b.year] = by_year.get(b.year, 0) + b.amount
        programmes.append(programme_model(
            id=r.id, title=r.title, pillar=r.pillar, element=r.element, lead=r.lead, partners=r.partners,
            kind=r.kind, status=r.status, priority=r.priority, quick_win=r.quick_win, years=r.years,
            start_year=min(r.years), end_year=max(r.years), **{f"budget_{y}": by_year[y] for y in years},
            budget_total=r.budget_total, funding_sources=sorted({b.source for b in r.budget}),
            kpi_count=len(r.kpis), summary=r.summary, url=r.url, description=r.description,
        ))
    return {
        "pillars": [PillarRow(
            id=pl.id, name=pl.name, order=pl.order, short=pl.short, definition=pl.definition,
            element_count=len(pl.elements), programme_count=per_pillar[pl.id], budget_total=budget_of[pl.id],
            url=routes.pillar(pl.id)) for pl in project.pillars],
        "elements": [ElementRow(pillar=pl.id, id=e.id, name=e.name, description=e.description,
                                programme_count=per_element[pl.id, e.id])
                     for pl in project.pillars for e in pl.elements],
        "opd": [OpdRow(id=o.id, name=o.name, abbr=o.abbr, kind=o.kind, code=o.code, verified=o.verified,
                       website=o.website, leads=leads[o.id], supports=supports[o.id], url=routes.opd(o.id, o.kind))
                for o in project.opds],
        "programmes": programmes,
        "budget": [BudgetRow(programme=p.id, line=n, year=b.year, amount=b.amount, source=b.source,
                             realised=b.realised, note=b.note)
                   for p in project.programmes for n, b in enumerate(p.budget, 1)],
        "kpis": list(kpis),
        "locations": [LocationRow(programme=p.id, kecamatan=k) for p in project.programmes for k in p.locations],
    }


def build_files(project: Project) -> dict[str, bytes]:
    """Every file of build/data/, by name."""
    from .database import database, datasette_metadata
    from .datapackage import ckan_dataset, data_package

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
                  url=routes.opd(o.id, o.kind))
        for o in project.opds
    ])
    files = {name: _model_json(model) for name, model in (
        ("programmes.json", programmes), ("pillars.json", pillars), ("opd.json", opd), ("kpis.json", kpis))}
    for name, (title, model) in SCHEMAS.items():
        files[name] = _json(json_schema(model, title))
    declared = tables(period_years(project))
    content = table_rows(project, records, rows, declared)
    for table in declared:
        files[table.file] = table_csv(table, content[table.name])
    files["masterplan.db"] = database(declared, content)
    files["metadata.json"] = _json(datasette_metadata(project, declared))
    files["datapackage.json"] = _json(data_package(project, declared, files, source_date(project.root)))
    files["ckan.json"] = _json(ckan_dataset(project, declared, files))
    return files


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _model_json(model: BaseModel) -> bytes:
    """The same bytes as ``_json(model.model_dump(mode="json"))``, from pydantic's serializer: several
    times faster than the json module, which indents in pure Python."""
    return (model.model_dump_json(indent=2) + "\n").encode("utf-8")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``; other values as they are.

    Spreadsheets treat a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
    formula (CSV injection); the apostrophe makes them show it as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _join(items: list) -> str:
    return ";".join(map(str, items))


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def cell_writer(column: Column) -> Callable[[Any], Any] | None:
    """How a column's values become CSV cells, None for as they are: ``;`` between the items of a list,
    true/false, and the formula guard on free text only (see ``model/tables.py``). A null is an empty cell."""
    if column.type == "list":
        return _join
    if column.type == "boolean":
        return _boolean
    if column.free_text:
        return spreadsheet_safe
    return None


def table_csv(table: Table, rows: list[BaseModel]) -> bytes:
    """The CSV file of a table: UTF-8 with a byte-order mark, so that Excel opens it correctly; the
    header is the row model's fields."""
    cols = table.columns
    values = attrgetter(*[c.name for c in cols])
    writers = [(i, w) for i, c in enumerate(cols) if (w := cell_writer(c)) is not None]
    out = []
    for r in rows:
        cells = list(values(r)) if len(cols) > 1 else [values(r)]
        for i, w in writers:
            if cells[i] is not None:
                cells[i] = w(cells[i])
        out.append(cells)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # writes None as an empty cell
    writer.writerow([c.name for c in cols])
    writer.writerows(out)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def build_data(project: Project, options: BuildOptions) -> list[Path]:
    """The ``data`` output (see outputs.py)."""
    return [write_data(project, options.out / "data")]


def write_data(project: Project, out_dir: Path) -> Path:
    files = build_files(project)
    with StagedDir(out_dir) as tmp:
        for name, data in files.items():
            write_bytes(tmp / name, data)
    return out_dir
