"""The exported workbook in LibreOffice: it opens, every sheet converts to CSV, and a workbook
saved again by LibreOffice keeps its dropdowns and imports without a change."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sheetkit import export_book, snapshot

from conftest import copy_project

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
pytestmark = pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
ALL_SHEETS_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert(book: Path, to: str, out: Path) -> None:
    assert OFFICE is not None
    subprocess.run([OFFICE, "--headless", f"-env:UserInstallation=file://{out.parent / 'lo-profile'}",
                    "--convert-to", to, "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The project, its exported workbook, and the folder of LibreOffice's conversions."""
    base = tmp_path_factory.mktemp("office")
    root = copy_project(base / "project")
    book = export_book(root, base / "program.xlsx")
    convert(book, ALL_SHEETS_UTF8, base / "csv")
    convert(book, "xlsx", base / "xlsx")
    return root, book, base


def test_every_sheet_converts_to_csv(office):
    _, _, base = office
    names = sorted(p.name for p in (base / "csv").glob("*.csv"))
    assert names == ["program-Anggaran.csv", "program-Daftar.csv", "program-Indikator.csv", "program-Petunjuk.csv",
                     "program-Program.csv"]
    with (base / "csv" / "program-Program.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["id", "pillar", "title"]
    assert rows[1][0] == "ID program *"
    row = next(r for r in rows if r[0] == "e-kelurahan")
    assert row[7] == "disdukcapil, setda" and row[12] == "2023, 2024, 2025"
    guide = (base / "csv" / "program-Petunjuk.csv").read_text(encoding="utf-8")
    assert "Petunjuk Pengisian — Masterplan Smart City Kota Samarinda" in guide


def test_dropdowns_survive_a_libreoffice_save(office):
    _, book, base = office
    original = openpyxl.load_workbook(book)
    saved = openpyxl.load_workbook(base / "xlsx" / "program.xlsx")
    assert saved.sheetnames == original.sheetnames
    assert saved["Daftar"].sheet_state == "hidden"
    for sheet in ("Program", "Anggaran", "Indikator"):
        def lists(wb, sheet=sheet):
            validations = wb[sheet].data_validations.dataValidation
            return sorted((str(dv.sqref), dv.formula1.replace("'", "")) for dv in validations)
        assert lists(saved) == lists(original), sheet
        assert lists(saved)


def test_a_libreoffice_save_imports_without_changes(office, cli):
    root, _, base = office
    before = snapshot(root)
    result = cli("sheet", "import", base / "xlsx" / "program.xlsx", "--path", root)
    assert result.exit_code == 0, result.output
    assert "0 programme(s) changed, 0 added" in result.output
    assert snapshot(root) == before
