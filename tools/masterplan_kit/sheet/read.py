"""Reading a filled workbook back: the file itself, its layout, then every cell.

Nothing here looks at the sources except through ``Catalog`` (the project's lists of ids); what
the rows mean for the programme files is decided in ``apply``. Every problem names its cell,
``FILE.xlsx:Program!J12``, and all problems are collected before anything is refused.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import CODES, _one_line
from ..model import Project
from . import layout as L
from . import values as V
from .records import Record

MAX_BYTES = 20 * 1024 * 1024  # a workbook larger than this is refused
MAX_UNPACKED = 64 * 1024 * 1024  # nor one that unpacks to more (a zip bomb); 2,000 programmes take 8 MB
MAX_STRINGS = 1_000_000  # nor one of more shared strings (each costs a Python string before any cell is read)
_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
MAX_CELLS = 2_000_000  # nor a sheet of more cells (blank ones included) than its rows are wide
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, order=True)
class Problem:
    sheet_rank: int
    row: int
    col: int
    code: str
    message: str
    sheet: str = ""

    def format(self, file: str) -> str:
        where = _one_line(file)  # a file name may hold a line break or a terminal escape
        if self.sheet:
            where += f":{self.sheet}"
            if self.row:
                where += f"!{get_column_letter(self.col)}{self.row}" if self.col else f"!{self.row}:{self.row}"
        return f"{where}: error[{self.code}]: {self.message}"


class Problems:
    """The problems of one workbook, in sheet, row and column order."""

    def __init__(self) -> None:
        self._items: set[Problem] = set()

    def add(self, code: str, message: str, sheet: str = "", row: int = 0, col: int = 0) -> None:
        assert code in CODES, code
        rank = L.SHEETS.index(sheet) + 1 if sheet in L.SHEETS else (len(L.SHEETS) + 1 if sheet else 0)
        self._items.add(Problem(rank, row, col, code, _one_line(message), sheet))

    @property
    def items(self) -> list[Problem]:
        return sorted(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def to_text(self, file: str) -> str:
        return "".join(p.format(file) + "\n" for p in self.items)


@dataclass
class Row:
    """One data row: the values read from it, keyed by field, and where it is."""

    sheet: str
    row: int
    values: Record
    cols: dict[str, int]  # field -> column number
    reported: set[str] = field(default_factory=set)  # fields whose cell has a problem already


    def at(self, key: str) -> tuple[str, int, int]:
        return self.sheet, self.row, self.cols.get(key, 1)


@dataclass
class Book:
    """What a workbook holds: the export's settings and the rows of each data sheet."""

    meta: dict[str, str] = field(default_factory=dict)
    programmes: list[Row] = field(default_factory=list)
    budget: list[Row] = field(default_factory=list)
    kpis: list[Row] = field(default_factory=list)

    @property
    def opd(self) -> str | None:
        return self.meta.get("opd") or None

    @property
    def year(self) -> int | None:
        value = self.meta.get("year") or ""
        return int(value) if re.fullmatch(r"[0-9]{4}", value) else None


@dataclass
class Catalog:
    """The ids a cell may name, from the project."""

    pillars: dict[str, set[str]]  # pillar -> its element ids
    opds: tuple[str, ...]
    kecamatan: tuple[str, ...]
    elements: tuple[str, ...]
    years: list[int]

    @classmethod
    def of(cls, project: Project) -> Catalog:
        return cls(
            pillars={p.id: {e.id for e in p.elements} for p in project.pillars},
            opds=tuple(o.id for o in project.opds),
            kecamatan=tuple(o.id for o in project.opds if o.kind == "kecamatan"),
            elements=tuple(dict.fromkeys(e.id for p in project.pillars for e in p.elements)),
            years=L.period_years(project),
        )


class Damaged(Exception):
    """The workbook's parts cannot be read (invalid XML, a bad cell reference, a failed checksum) or
    hold more cells than a workbook of programmes ever does."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.message, self.sheet = message, sheet


def load_bytes(path: Path, problems: Problems) -> bytes | None:
    """The workbook's bytes, read once: only a regular file, only up to the size limit.

    The file is opened without blocking and checked after opening, so a FIFO or device named as the
    workbook is refused instead of waited on, and what is checked is what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        problems.add("E601", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, device or socket"
            problems.add("E601", f"not a regular file but {kind}; name the workbook's .xlsx file")
            return None
        if info.st_size > MAX_BYTES:
            problems.add("E601", f"the file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
            return None
        data = b""
        while len(data) <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        problems.add("E601", f"cannot read the file: {exc.strerror or exc}")
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        problems.add("E601", f"the file is more than {MAX_BYTES:,} bytes, the limit")
        return None
    return data


def check_file(path: Path, data: bytes, problems: Problems) -> bool:
    """Refuse what is not a plain .xlsx workbook before opening it."""
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        problems.add("E601", "a macro-enabled workbook is not accepted; save it as an Excel Workbook (.xlsx)")
        return False
    if data[:8] == OLE_MAGIC:
        problems.add("E601", "the workbook is password-protected (encrypted) or an old .xls file; "
                             "remove the password and save it as an Excel Workbook (.xlsx)")
        return False
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problems.add("E601", "not an Excel workbook (.xlsx); save it with Excel's 'Excel Workbook' format")
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        problems.add("E601", f"the workbook is damaged and cannot be opened: {_reason(exc)}")
        return False
    if "xl/workbook.xml" not in names:
        problems.add("E601", "not an Excel workbook (.xlsx): the file has no xl/workbook.xml")
        return False
    if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
        problems.add("E601", "the workbook contains macros (VBA); save it as an Excel Workbook (.xlsx) without macros")
        return False
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        problems.add("E601", f"the workbook unpacks to more than {MAX_UNPACKED:,} bytes")
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:  # in any part: the workbook's links may name any
            strings = sum(len(_SHARED_STRING.findall(zf.read(i))) for i in infos if not i.is_dir())
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        problems.add("E601", f"the workbook is damaged and cannot be opened: {_reason(exc)}")
        return False
    if strings > MAX_STRINGS:
        problems.add("E601", f"the workbook holds more than {MAX_STRINGS:,} shared strings; copy the entries into "
                             "a newly exported workbook")
        return False
    return True


def _reason(exc: BaseException) -> str:
    """The first line of what went wrong at the bottom of a chain of exceptions."""
    while exc.__cause__ is not None or (exc.__context__ is not None and not exc.__suppress_context__):
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def read_book(path: Path, catalog: Catalog, problems: Problems) -> Book | None:
    """Read every data row of the workbook at ``path``; None when it cannot be read at all."""
    data = load_bytes(path, problems)
    if data is None or not check_file(path, data, problems):
        return None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        problems.add("E601", f"the workbook is damaged and cannot be opened: {_reason(exc)}")
        return None
    try:
        return _read(wb, catalog, problems)
    except Damaged as exc:
        problems.add("E601", exc.message, exc.sheet)
        return None
    finally:
        wb.close()


def _rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only sheet as stored, whatever its <dimension> claims (a value past a stale
    dimension is read, not dropped), within a budget of cells: a row is as wide as its last cell,
    so a few thousand rows that each end at column XFD would otherwise take hours. Anything the
    reader raises on a damaged part becomes ``Damaged``."""
    name = ws.title
    try:
        ws.reset_dimensions()
        rows = ws.iter_rows(min_row=1)
        budget = MAX_CELLS
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            budget -= len(row)
            if budget < 0:
                raise Damaged(f"the sheet has more than {MAX_CELLS:,} cells (a row reaching a far column, "
                              "or many rows); copy the entries into a newly exported workbook", name)
            yield row
    except Damaged:
        raise
    except Exception as exc:  # openpyxl reads a sheet lazily, and raises many kinds on a damaged one
        raise Damaged(f"the workbook is damaged and cannot be read: {_reason(exc)}", name) from exc


def _read(wb: Any, catalog: Catalog, problems: Problems) -> Book | None:
    names = list(wb.sheetnames)
    for name in names:
        if name not in L.SHEETS:
            problems.add("E602", f"unknown sheet '{name}'; the workbook takes only the sheets "
                                 f"{', '.join(L.SHEETS)}: move its contents into them and delete it", name)
    missing = [s for s in (*L.DATA_SHEETS, L.LISTS) if s not in names]
    for name in missing:
        problems.add("E602", f"sheet '{name}' is missing; export a new workbook and copy the entries into it")
    if missing:
        return None
    book = Book(meta=_meta(wb[L.LISTS]))
    if book.meta.get("format") != L.FORMAT:
        problems.add("E602", f"the lists sheet does not name the format '{L.FORMAT}'; was the workbook "
                             "exported by 'masterplan sheet export'?", L.LISTS, 1, 1)
        return None
    period = f"{catalog.years[0]}-{catalog.years[-1]}" if catalog.years else ""
    if not book.meta.get("period"):
        problems.add("E602", "the lists sheet does not name the period the workbook was exported for; "
                             "export a new workbook", L.LISTS)
        return None
    if book.meta.get("period") != period:
        problems.add("E602", f"the workbook was exported for the period {book.meta.get('period')}, the masterplan's "
                             f"period is now {period}; export a new workbook", L.LISTS)
        return None
    if book.meta.get("year") and book.year is None:
        problems.add("E602", f"the lists sheet names the year '{book.meta['year']}', which is not a year; "
                             "export a new workbook", L.LISTS)
        return None
    readers = {L.PROGRAM: _program_row, L.BUDGET: _budget_row, L.KPI: _kpi_row}
    for name in L.DATA_SHEETS:
        rows = _sheet_rows(wb[name], L.columns(name, catalog.years), readers[name], catalog, book, problems)
        {L.PROGRAM: book.programmes, L.BUDGET: book.budget, L.KPI: book.kpis}[name].extend(rows)
    return book


def _meta(ws: Any) -> dict[str, str]:
    rows = [[getattr(c, "value", None) for c in r] for r in _rows(ws)]
    if not rows:
        return {}
    header = rows[0]
    if "meta_key" not in header or header.index("meta_key") + 1 >= len(header):
        return {}
    k = header.index("meta_key")
    return {str(r[k]): "" if r[k + 1] is None else str(r[k + 1]) for r in rows[1:]
            if len(r) > k + 1 and r[k] is not None}


def _sheet_rows(ws: Any, cols: tuple[L.Column, ...], reader: Callable, catalog: Catalog, book: Book,
                problems: Problems) -> list[Row]:
    name = ws.title
    out: list[Row] = []
    expected = [c.key for c in cols]
    positions = {c.key: i + 1 for i, c in enumerate(cols)}
    header_ok = True
    for r, row_cells in enumerate(_rows(ws), 1):
        cells = [c for c in row_cells if getattr(c, "column", None) is not None]
        if r == L.KEY_ROW:
            found = {c.column: c.value for c in cells}
            for i, key in enumerate(expected, 1):
                if found.get(i) != key:
                    header_ok = False
                    seen = V.describe(found[i]) if found.get(i) is not None else "an empty cell"
                    problems.add("E602", f"the hidden header row was changed: expected '{key}', found {seen}; "
                                         "columns must not be inserted, deleted, moved or renamed", name, r, i)
            for col_no, value in found.items():
                if col_no > len(expected) and value is not None:
                    header_ok = False
                    problems.add("E602", f"unknown column {V.describe(value)}; the sheet takes only the exported "
                                         "columns", name, r, col_no)
            continue
        if r == L.LABEL_ROW or not header_ok:
            continue
        raw: dict[str, Any] = {}
        reported: set[str] = set()
        blank = True
        for cell in cells:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            blank = False
            if cell.column > len(expected):
                problems.add("E602", f"{V.describe(value)} in a column without a header; the sheet takes only the "
                                     "exported columns", name, r, cell.column)
                continue
            if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
                problems.add("E603", "a formula; type the value itself (copy, then Paste Values)", name, r, cell.column)
                reported.add(expected[cell.column - 1])
                continue
            if cell.data_type == "e":
                problems.add("E605", f"an error value ({value}); type the value itself", name, r, cell.column)
                reported.add(expected[cell.column - 1])
                continue
            raw[expected[cell.column - 1]] = (value, _number_format(cell, name))
        if blank or not raw:
            continue
        row = Row(name, r, {}, positions, reported)
        reader(row, raw, catalog, book, problems)
        out.append(row)
    return out


def _number_format(cell: Any, sheet: str) -> str:
    """A cell's number format, which openpyxl looks up in the styles only when asked."""
    try:
        return str(cell.number_format)
    except (IndexError, KeyError, AttributeError, TypeError) as exc:
        raise Damaged(f"the workbook is damaged and cannot be read: a cell's style is missing ({_reason(exc)})",
                      sheet) from exc


class _Cells:
    """Reads the cells of one row, recording each problem at its cell."""

    def __init__(self, row: Row, raw: dict[str, Any], problems: Problems) -> None:
        self.row, self.raw, self.problems = row, raw, problems

    def get(self, key: str, read: Callable[..., Any], *args: Any, required: bool = False, what: str = "") -> Any:
        value, number_format = self.raw.get(key, (None, "General"))
        try:
            out = read(value, number_format) if read is V.number else read(value, *args)
        except V.CellError as exc:
            self.problems.add(exc.code, exc.message, *self.row.at(key))
            self.row.reported.add(key)
            return None
        if required and out in (None, []) and key not in self.row.reported:
            self.problems.add("E607", f"{what or key} is required", *self.row.at(key))
        return out

    def fail(self, key: str, code: str, message: str) -> None:
        self.problems.add(code, message, *self.row.at(key))


def _program_row(row: Row, raw: dict[str, Any], catalog: Catalog, book: Book, problems: Problems) -> None:
    c = _Cells(row, raw, problems)
    v = row.values
    v["id"] = c.get("id", V.ident, "a programme id", required=True, what="the programme id")
    v["pillar"] = c.get("pillar", V.choice, tuple(catalog.pillars), "pillar", required=True, what="the pillar")
    v["title"] = c.get("title", V.text, required=True, what="the title")
    v["summary"] = c.get("summary", V.text, required=True, what="the summary")
    v["description"] = c.get("description", V.text)
    v["element"] = c.get("element", V.choice, catalog.elements, "element", required=True, what="the element")
    if v["element"] and v["pillar"] and v["element"] not in catalog.pillars[v["pillar"]]:
        choices = ", ".join(f"'{e}'" for e in sorted(catalog.pillars[v["pillar"]]))
        c.fail("element", "E604", f"element '{v['element']}' is not an element of pillar '{v['pillar']}'; "
                                  f"choose one of {choices}")
    lead = c.get("lead", V.choice, catalog.opds, "OPD")
    if lead is None and book.opd and "lead" not in raw and "lead" not in row.reported:
        lead = book.opd  # a new row of an OPD's workbook is led by that OPD
    elif lead is None and "lead" not in raw and "lead" not in row.reported:
        c.fail("lead", "E607", "the lead OPD is required")
    v["lead"] = lead
    v["partners"] = _members(c, "partners", catalog.opds, "OPD")
    v["kind"] = c.get("kind", V.choice, L.KINDS, "kind", required=True, what="the kind")
    v["status"] = c.get("status", V.choice, L.STATUSES, "status", required=True, what="the status")
    v["priority"] = c.get("priority", V.choice, L.PRIORITIES, "priority") or "medium"
    qw_raw = raw.get("quick_win", (None, ""))[0]
    v["quick_win"] = qw_raw if isinstance(qw_raw, bool) else \
        c.get("quick_win", V.choice, (L.YES, L.NO), "quick win") == L.YES
    v["years"] = c.get("years", V.year_list, required=True, what="at least one year") or []
    _in_period(c, "years", v["years"], catalog)
    v["locations"] = _members(c, "locations", catalog.kecamatan, "kecamatan")
    v["related"] = c.get("related", V.ident_list, "programme id") or []


def _in_period(c: _Cells, key: str, years: list[int], catalog: Catalog) -> None:
    """Years outside the period, refused at their cell (a range like 2024-9999 is one problem, not thousands)."""
    outside = sorted({y for y in years if y not in catalog.years})
    if outside and catalog.years:
        shown = ", ".join(map(str, outside[:5])) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
        c.fail(key, "E302", f"{'year' if len(outside) == 1 else 'years'} {shown} outside the period "
                            f"{catalog.years[0]}–{catalog.years[-1]}")


def _members(c: _Cells, key: str, allowed: tuple[str, ...], what: str) -> list[str]:
    from ..errors import did_you_mean

    ids = c.get(key, V.ident_list, f"{what} id") or []
    for item in ids:
        if item not in allowed:
            c.fail(key, "E604", f"{what} '{item}' is not in the list{did_you_mean(item, allowed)}")
    return ids


def _budget_row(row: Row, raw: dict[str, Any], catalog: Catalog, book: Book, problems: Problems) -> None:
    c = _Cells(row, raw, problems)
    v = row.values
    v["programme"] = c.get("programme", V.ident, "a programme id", required=True, what="the programme id")
    v["year"] = c.get("year", V.year, required=True, what="the year")
    _in_period(c, "year", [v["year"]] if v["year"] is not None else [], catalog)
    v["amount"] = c.get("amount", V.amount, required=True, what="the amount")
    v["source"] = c.get("source", V.choice, L.SOURCES, "funding source", required=True, what="the funding source")
    v["realised"] = c.get("realised", V.amount)
    v["note"] = c.get("note", V.text)


def _kpi_row(row: Row, raw: dict[str, Any], catalog: Catalog, book: Book, problems: Problems) -> None:
    c = _Cells(row, raw, problems)
    v = row.values
    v["programme"] = c.get("programme", V.ident, "a programme id", required=True, what="the programme id")
    v["indicator"] = c.get("indicator", V.text, required=True, what="the indicator")
    v["unit"] = c.get("unit", V.text) or ""
    v["direction"] = c.get("direction", V.choice, L.DIRECTIONS, "direction") or "increase"
    base_year = c.get("baseline_year", V.year)
    base_value = c.get("baseline_value", V.number)
    if base_year is not None and catalog.years and base_year >= catalog.years[0]:
        c.fail("baseline_year", "E303", f"the baseline year {base_year} must be before the period "
                                        f"{catalog.years[0]}–{catalog.years[-1]}")
    if (base_year is None) != (base_value is None):
        missing = "baseline_year" if base_year is None else "baseline_value"
        if missing not in raw and missing not in row.reported:  # (a cell that could not be read is reported already)
            c.fail(missing, "E607", "a baseline needs both its year and its value")
    v["baseline"] = None if base_year is None or base_value is None else {"year": base_year, "value": base_value}
    v["targets"] = {}
    v["actuals"] = {}
    for y in catalog.years:
        for part, key in (("targets", f"target_{y}"), ("actuals", f"actual_{y}")):
            value = c.get(key, V.number)
            if value is not None:
                v[part][y] = value
