"""``masterplan sheet export``: a workbook of programmes for an OPD to fill in.

Three kinds of workbook come from the same layout: every programme (the team's own), one OPD's
(``opd``: the programmes it leads are editable, those it supports are shown locked and grey),
and a realisation workbook (``year``: only that year's KPI actuals and realised budgets can be
edited). The output is byte-identical for the same sources: the workbook's dates and the zip
entries' times come from ``source_date()``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..model import Programme, Project
from ..render.dates import source_date
from ..templating import environment
from . import layout as L
from .records import Record, programme_record
from .values import needs_quote

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
KEY_FONT = Font(color="808080", size=8)
LOCKED_FONT = Font(color="7F7F7F")
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LOCKED, UNLOCKED = Protection(locked=True), Protection(locked=False)
FORMATS = {"amount": "#,##0", "number": "General", "year": "0"}


@dataclass(frozen=True)
class Scope:
    """What a workbook holds and what of it may be edited."""

    opd: str | None = None
    year: int | None = None

    def editable(self, programme: Programme | None) -> bool:
        """Whether a programme's row may be edited (a new row: ``None``)."""
        if self.year is not None:
            return False
        return self.opd is None or programme is None or programme.lead == self.opd

    def selects(self, programme: Programme) -> bool:
        return self.opd is None or programme.lead == self.opd or self.opd in programme.partners


def programmes_in(project: Project, scope: Scope) -> list[Programme]:
    return [p for p in project.programmes if scope.selects(p)]


def workbook(project: Project, scope: Scope) -> Workbook:
    """Build the workbook of ``project``'s programmes within ``scope``."""
    years = L.period_years(project)
    specs = L.lists(project)
    programmes = programmes_in(project, scope)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = L.GUIDE
    sheets = {name: wb.create_sheet(name) for name in L.DATA_SHEETS}
    lists_sheet = wb.create_sheet(L.LISTS)
    refs = _write_lists(lists_sheet, project, specs, scope, years)
    blank = 0 if scope.year is not None else 1
    n_rows = {
        L.PROGRAM: len(programmes) + blank * L.BLANK_ROWS[L.PROGRAM],
        L.BUDGET: sum(len(p.budget) for p in programmes) + blank * L.BLANK_ROWS[L.BUDGET],
        L.KPI: sum(len(p.kpis) for p in programmes) + blank * L.BLANK_ROWS[L.KPI],
    }
    last_program_row = L.FIRST_ROW + n_rows[L.PROGRAM] - 1
    refs["programme"] = f"{quote_sheetname(L.PROGRAM)}!$A${L.FIRST_ROW}:$A${max(last_program_row, L.FIRST_ROW)}"
    for name, ws in sheets.items():
        cols = L.columns(name, years)
        _frame(ws, cols, n_rows[name], refs, scope)
    _fill(sheets, programmes, scope, years)
    _guide(guide, project, specs, scope)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    stamp = dt.datetime.strptime(source_date(project.root), "%Y-%m-%dT%H:%M:%SZ")
    props = wb.properties
    props.creator = "masterplan"
    props.lastModifiedBy = "masterplan"
    props.title = _title(project, scope)
    props.created = props.modified = stamp
    return wb


def _title(project: Project, scope: Scope) -> str:
    base = project.edition.title
    parts = [base, "Program"]
    if scope.opd:
        opd = project.opd(scope.opd)
        parts.append(opd.label if opd else scope.opd)
    if scope.year is not None:
        parts.append(f"Realisasi {scope.year}")
    return " — ".join(parts)


def to_bytes(wb: Workbook, stamp: str | None = None) -> bytes:
    """The workbook as .xlsx bytes; every zip entry dated ``stamp`` (default: ``source_date()``)."""
    when = dt.datetime.strptime(stamp or source_date(), "%Y-%m-%dT%H:%M:%SZ")
    buf = io.BytesIO()
    archive = _DatedZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    ExcelWriter(wb, archive).save()
    return buf.getvalue()


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, so that two exports of the same sources are identical."""

    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            zinfo.external_attr = 0o644 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        """Worksheets are written from temporary files: store their bytes with the fixed date."""
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type, compresslevel)


def export(project: Project, scope: Scope, target: Path) -> Path:
    from ..render.write import write_bytes

    write_bytes(target, to_bytes(workbook(project, scope)))
    return target


# --- sheets ---------------------------------------------------------------------------------


def _write_lists(ws: Worksheet, project: Project, specs: dict[str, L.ListSpec], scope: Scope,
                 years: list[int]) -> dict[str, str]:
    """The hidden, protected lists sheet; returns each list's range for the dropdowns."""
    refs: dict[str, str] = {}
    col = 1
    for spec in specs.values():
        ws.cell(1, col, spec.name)
        ws.cell(1, col + 1, f"{spec.name}_label")
        for i, (value, label) in enumerate(zip(spec.values, spec.labels, strict=True), 2):
            ws.cell(i, col, int(value) if spec.name == "year" else value).number_format = \
                "0" if spec.name == "year" else "@"
            ws.cell(i, col + 1, label)
        if spec.values:
            letter = get_column_letter(col)
            refs[spec.name] = f"{quote_sheetname(L.LISTS)}!${letter}$2:${letter}${1 + len(spec.values)}"
        ws.column_dimensions[get_column_letter(col)].width = 24
        ws.column_dimensions[get_column_letter(col + 1)].width = 40
        col += 2
    # elements per pillar
    ws.cell(1, col, "element_pillar")
    ws.cell(1, col + 1, "element_id")
    ws.cell(1, col + 2, "element_name")
    row = 2
    for pillar in project.pillars:
        for element in pillar.elements:
            ws.cell(row, col, pillar.id)
            ws.cell(row, col + 1, element.id)
            ws.cell(row, col + 2, element.name)
            row += 1
    col += 4
    meta = {"format": L.FORMAT, "mode": "year" if scope.year is not None else ("opd" if scope.opd else "all"),
            "opd": scope.opd or "", "year": "" if scope.year is None else str(scope.year),
            "period": f"{years[0]}-{years[-1]}" if years else ""}
    ws.cell(1, col, "meta_key")
    ws.cell(1, col + 1, "meta_value")
    for i, key in enumerate(L.META_KEYS, 2):
        ws.cell(i, col, key)
        ws.cell(i, col + 1, meta[key]).number_format = "@"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return refs


def _frame(ws: Worksheet, cols: tuple[L.Column, ...], n_rows: int, refs: dict[str, str], scope: Scope) -> None:
    """Headers, widths, formats, dropdowns, frozen panes, filter, print set-up and protection."""
    last_row = L.FIRST_ROW + max(n_rows, 1) - 1
    for c, col in enumerate(cols, 1):
        letter = get_column_letter(c)
        key = ws.cell(L.KEY_ROW, c, col.key)
        key.font, key.protection = KEY_FONT, LOCKED
        head = ws.cell(L.LABEL_ROW, c, col.header + (" *" if col.required else ""))
        head.font, head.fill, head.alignment, head.protection = HEADER_FONT, HEADER_FILL, WRAP, LOCKED
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        # cells typed below the exported rows take the column's format; editable unless a realisation workbook
        dim.number_format = "@" if col.is_code else FORMATS.get(col.kind, "General")
        dim.protection = LOCKED if scope.year is not None else UNLOCKED
        if col.choices in refs and col.kind != "ids":  # a list of ids is typed, not picked
            dv = DataValidation(type="list", formula1=refs[col.choices], allow_blank=True, showErrorMessage=True,
                                errorTitle="Nilai tidak ada dalam daftar",
                                error=f"Pilih {col.header.lower()} dari daftar.", showInputMessage=False)
            dv.add(f"{letter}{L.FIRST_ROW}:{letter}{last_row}")
            ws.add_data_validation(dv)
    ws.row_dimensions[L.KEY_ROW].hidden = True
    ws.row_dimensions[L.LABEL_ROW].height = 32
    ws.freeze_panes = ws.cell(L.FIRST_ROW, 3 if ws.title == L.KPI else 2).coordinate
    last_col = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A{L.LABEL_ROW}:{last_col}{last_row}"
    ws.print_area = f"A{L.LABEL_ROW}:{last_col}{last_row}"
    ws.print_title_rows = f"{L.LABEL_ROW}:{L.LABEL_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    prot = ws.protection
    prot.sheet = True
    prot.formatColumns = prot.formatRows = prot.autoFilter = prot.sort = False
    if scope.year is None:
        prot.insertRows = prot.deleteRows = False


def _put(ws: Worksheet, row: int, c: int, col: L.Column, value: Any, editable: bool, highlight: bool = False) -> None:
    cell = ws.cell(row, c)
    if isinstance(value, str) and needs_quote(value):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever it starts with
        cell.quotePrefix = True
    else:
        cell.value = value
    cell.number_format = "@" if col.is_code else FORMATS.get(col.kind, "General")
    cell.alignment = WRAP if col.kind in ("longtext", "text", "ids") else TOP
    if not editable:
        cell.protection, cell.font, cell.fill = LOCKED, LOCKED_FONT, LOCKED_FILL
    else:
        cell.protection = UNLOCKED
        if highlight:
            cell.fill = EDIT_FILL


def cell_value(col: L.Column, value: Any) -> Any:
    """A record's value as the workbook shows it."""
    if value is None:
        return None
    if col.kind in ("ids",):
        return ", ".join(value) or None
    if col.kind == "years":
        return ", ".join(str(y) for y in value) or None
    if col.choices == "yesno":
        return L.YES if value else L.NO
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def program_values(rec: Record) -> dict[str, Any]:
    return dict(rec)


def budget_values(rec: Record, programme_id: str) -> dict[str, Any]:
    return {"programme": programme_id, **rec}


def kpi_values(rec: Record, programme_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"programme": programme_id, "indicator": rec["indicator"], "unit": rec["unit"] or None,
                           "direction": rec["direction"]}
    base = rec["baseline"]
    out["baseline_year"] = base["year"] if base else None
    out["baseline_value"] = base["value"] if base else None
    for y, v in rec["targets"].items():
        out[f"target_{y}"] = v
    for y, v in rec["actuals"].items():
        out[f"actual_{y}"] = v
    return out


def _fill(sheets: dict[str, Worksheet], programmes: list[Programme], scope: Scope, years: list[int]) -> None:
    rows = dict.fromkeys(L.DATA_SHEETS, L.FIRST_ROW)
    cols = {name: L.columns(name, years) for name in L.DATA_SHEETS}
    for p in programmes:
        rec = programme_record(p)
        editable = scope.editable(p)
        _row(sheets[L.PROGRAM], rows[L.PROGRAM], cols[L.PROGRAM], program_values(rec),
             lambda key, e=editable: e and not (key == "id" and scope.opd is not None))
        rows[L.PROGRAM] += 1
        for b in rec["budget"]:
            this_year = scope.year is not None and b["year"] == scope.year
            _row(sheets[L.BUDGET], rows[L.BUDGET], cols[L.BUDGET], budget_values(b, p.id),
                 lambda key, e=editable, t=this_year: e or (t and key == "realised"),
                 lambda key, t=this_year: t and key == "realised")
            rows[L.BUDGET] += 1
        for k in rec["kpis"]:
            actual = f"actual_{scope.year}"
            _row(sheets[L.KPI], rows[L.KPI], cols[L.KPI], kpi_values(k, p.id),
                 lambda key, e=editable, a=actual: e or key == a,
                 lambda key, a=actual: scope.year is not None and key == a)
            rows[L.KPI] += 1
    if scope.year is None:  # blank rows for new entries: editable, with the columns' formats
        for name, ws in sheets.items():
            for row in range(rows[name], rows[name] + L.BLANK_ROWS[name]):
                _row(ws, row, cols[name], {}, lambda key: True)


def _row(ws: Worksheet, row: int, cols: tuple[L.Column, ...], values: dict[str, Any], editable: Any,
         highlight: Any = None) -> None:
    for c, col in enumerate(cols, 1):
        _put(ws, row, c, col, cell_value(col, values.get(col.key)), editable(col.key),
             bool(highlight and highlight(col.key)))


def _guide(ws: Worksheet, project: Project, specs: dict[str, L.ListSpec], scope: Scope) -> None:
    """The Petunjuk sheet: the instructions of ``templates/sheet/petunjuk.txt.j2``, a line a row."""
    edition = project.edition
    text = environment(project.root, "sheet", autoescape=False).get_template("petunjuk.txt.j2").render(
        title=edition.title if edition else "Masterplan", city=edition.city if edition else "",
        period_start=edition.period.start if edition else "", period_end=edition.period.end if edition else "",
        opd=project.opd(scope.opd) if scope.opd else None, year=scope.year,
        choice_lists=[{"header": s.header, "pairs": list(zip(s.values, s.labels, strict=True))}
                      for s in specs.values() if s.name not in ("opd", "element", "pillar")],
        pillars=project.pillars, opds=project.opds,
    )
    ws.column_dimensions["A"].width = 120
    for i, line in enumerate(text.splitlines(), 1):
        cell = ws.cell(i, 1)
        if line.startswith("## "):
            cell.value, cell.font = line[3:], Font(bold=True, size=12, color="1F4E78")
        elif line.startswith("# "):
            cell.value, cell.font = line[2:], Font(bold=True, size=14)
        else:
            cell.value = line or None
            if line and needs_quote(line):
                cell.data_type, cell.quotePrefix = "s", True
        cell.alignment = WRAP
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False
