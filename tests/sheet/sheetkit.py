"""Helpers for the workbook tests: export a project, and edit a workbook the way an OPD would."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from masterplan_kit.pipeline import load_and_check
from masterplan_kit.sheet.export import Scope, export


def export_book(root: Path, target: Path, opd: str | None = None, year: int | None = None) -> Path:
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    return export(project, Scope(opd=opd, year=year), target)


def col(ws: Worksheet, key: str) -> int:
    """The column of a field, found by the hidden header row."""
    for cell in ws[1]:
        if cell.value == key:
            return cell.column
    raise AssertionError(f"no column '{key}' on {ws.title}")


def row_of(ws: Worksheet, programme: str, nth: int = 0) -> int:
    """The row of a programme (on Anggaran and Indikator: its nth row)."""
    found = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == programme]
    assert len(found) > nth, f"{programme} has {len(found)} rows on {ws.title}"
    return found[nth]


def first_blank(ws: Worksheet) -> int:
    r = 3
    while any(ws.cell(r, c).value is not None for c in range(1, ws.max_column + 1)):
        r += 1
    return r


def address(ws: Worksheet, row: int, key: str) -> str:
    return f"{ws.title}!{ws.cell(row, col(ws, key)).coordinate}"


class Book:
    """An exported workbook opened for editing: ``with Book(path) as wb: wb.set(...)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = openpyxl.load_workbook(path)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.wb.save(self.path)

    def __getitem__(self, sheet: str) -> Worksheet:
        return self.wb[sheet]

    def set(self, sheet: str, programme: str, key: str, value: Any, nth: int = 0) -> str:
        """Type ``value`` into a programme's cell; returns its address, e.g. 'Program!J5'."""
        ws = self.wb[sheet]
        r = row_of(ws, programme, nth)
        ws.cell(r, col(ws, key)).value = value
        return address(ws, r, key)

    def add(self, sheet: str, values: dict[str, Any]) -> int:
        """Fill the first empty row of a sheet; returns its row."""
        ws = self.wb[sheet]
        r = first_blank(ws)
        for key, value in values.items():
            ws.cell(r, col(ws, key)).value = value
        return r


def snapshot(root: Path) -> dict[str, str]:
    """Every source file's hash, to show that nothing was written."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for d in ("masterplan", "pillars") for p in sorted((root / d).rglob("*")) if p.is_file()}


NEW_PROGRAMME = {
    "id": "dashboard-banjir", "pillar": "environment", "title": "Dasbor Banjir Kota",
    "summary": "Peta genangan dan tinggi muka air sungai secara waktu nyata.",
    "description": "Dasbor publik.\n\nMemakai data [peringatan dini](programme:peringatan-dini-banjir).",
    "element": "proteksi-lingkungan", "lead": "bpbd", "partners": "diskominfo, dlh", "kind": "infostruktur",
    "status": "planned", "priority": "high", "quick_win": "tidak", "years": "2024, 2025",
    "locations": "samarinda-ulu", "related": "peringatan-dini-banjir",
}
