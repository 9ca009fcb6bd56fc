"""`masterplan sheet export`: the workbook's sheets, columns, dropdowns, formats and protection."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sheetkit import col, export_book, row_of

from conftest import edit

DROPDOWNS = {"Program": ["pillar", "element", "lead", "kind", "status", "priority", "quick_win"],
             "Anggaran": ["programme", "year", "source"], "Indikator": ["programme", "direction"]}


@pytest.fixture
def book(project: Path, tmp_path: Path, monkeypatch) -> openpyxl.Workbook:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return openpyxl.load_workbook(export_book(project, tmp_path / "program.xlsx"))


def test_sheets_headers_and_hidden_field_names(book):
    assert book.sheetnames == ["Petunjuk", "Program", "Anggaran", "Indikator", "Daftar"]
    program = book["Program"]
    keys = [c.value for c in program[1]]
    assert keys == ["id", "pillar", "title", "summary", "description", "element", "lead", "partners", "kind",
                    "status", "priority", "quick_win", "years", "locations", "related"]
    assert program.row_dimensions[1].hidden
    assert program.cell(2, 1).value == "ID program *" and program.cell(2, 10).value == "Status *"
    assert [c.value for c in book["Anggaran"][1]] == ["programme", "year", "amount", "source", "realised", "note"]
    kpi_keys = [c.value for c in book["Indikator"][1]]
    assert kpi_keys[:6] == ["programme", "indicator", "unit", "direction", "baseline_year", "baseline_value"]
    assert kpi_keys[6:] == ["target_2023", "actual_2023", "target_2024", "actual_2024", "target_2025", "actual_2025"]
    lists = book["Daftar"]
    assert lists.sheet_state == "hidden" and lists.protection.sheet


def test_rows_hold_the_sources(book):
    program = book["Program"]
    r = row_of(program, "e-kelurahan")
    assert program.cell(r, col(program, "partners")).value == "disdukcapil, setda"
    assert program.cell(r, col(program, "years")).value == "2023, 2024, 2025"
    assert program.cell(r, col(program, "quick_win")).value == "tidak"
    budget = book["Anggaran"]
    r = row_of(budget, "e-kelurahan", 1)
    assert [budget.cell(r, c).value for c in range(1, 5)] == ["e-kelurahan", 2024, 800000000, "APBD"]
    kpi = book["Indikator"]
    r = row_of(kpi, "e-kelurahan")
    assert kpi.cell(r, col(kpi, "actual_2024")).value == 72
    assert kpi.cell(r, col(kpi, "actual_2025")).value is None
    assert sum(1 for r in range(3, program.max_row + 1) if program.cell(r, 1).value) == 72


def test_dropdowns_text_formats_and_layout(book):
    for sheet, keys in DROPDOWNS.items():
        ws = book[sheet]
        covered = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list"
            for rng in dv.sqref.ranges:
                covered[rng.min_col] = dv.formula1
        for key in keys:
            assert col(ws, key) in covered, f"{sheet}.{key} has no dropdown"
        assert ws.freeze_panes in ("B3", "C3")
        assert ws.auto_filter.ref.startswith("A2:")
        assert ws.print_area
        assert ws.protection.sheet
    program = book["Program"]
    status_list = next(dv.formula1 for dv in program.data_validations.dataValidation
                       if any(r.min_col == col(program, "status") for r in dv.sqref.ranges))
    sheet_name, rng = status_list.split("!")
    cells = [c.value for row in book[sheet_name.strip("'")][rng.replace("$", "")] for c in row]
    assert cells == ["planned", "ongoing", "done", "dropped"]
    r = row_of(program, "e-kelurahan")
    for key in ("id", "pillar", "lead", "partners", "years", "related"):
        assert program.cell(r, col(program, key)).number_format == "@", key
        assert program.column_dimensions[program.cell(1, col(program, key)).column_letter].number_format == "@"
    assert program.column_dimensions["A"].width >= 20
    assert program.cell(r, col(program, "description")).alignment.wrap_text


def test_guide_in_indonesian(book):
    text = "\n".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row if c.value)
    for phrase in ("Isi buku kerja", "Sel yang boleh diubah", "Menambah program", "Daftar pilihan",
                   "masterplan sheet import", "ongoing (Berjalan)", "diskominfo: Dinas Komunikasi dan Informatika"):
        assert phrase in text


def test_same_sources_same_bytes(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = export_book(project, tmp_path / "a.xlsx").read_bytes()
    b = export_book(project, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created.isoformat().startswith("2023-11-14")


def test_formula_like_text_is_written_as_text(project, tmp_path):
    edit(project, "pillars/governance/programmes/e-kelurahan.yml", "title: e-Kelurahan", "title: '=1+1 e-Kelurahan'")
    edit(project, "pillars/governance/programmes/e-kelurahan.yml", "unit: \"%\"", "unit: \"+ %\"")
    path = export_book(project, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    program = wb["Program"]
    cell = program.cell(row_of(program, "e-kelurahan"), col(program, "title"))
    assert cell.value == "=1+1 e-Kelurahan" and cell.data_type == "s" and cell.quotePrefix
    kpi = wb["Indikator"]
    assert kpi.cell(row_of(kpi, "e-kelurahan"), col(kpi, "unit")).value == "+ %"


def test_opd_workbook_locks_its_partners_programmes(project, tmp_path):
    wb = openpyxl.load_workbook(export_book(project, tmp_path / "p.xlsx", opd="diskominfo"))
    program = wb["Program"]
    rows = {program.cell(r, 1).value: r for r in range(3, program.max_row + 1) if program.cell(r, 1).value}
    assert "e-kelurahan" in rows and "portal-pariwisata" in rows  # led; supported
    assert "galeri-ekraf" not in rows  # neither
    status = col(program, "status")
    own, partner = rows["e-kelurahan"], rows["portal-pariwisata"]
    assert not program.cell(own, status).protection.locked
    assert program.cell(own, 1).protection.locked  # an existing id is not renamed here
    assert program.cell(partner, status).protection.locked
    assert program.cell(partner, status).fill.fgColor.rgb.endswith("E7E6E6")
    assert program.protection.sheet
    assert not program.cell(max(rows.values()) + 1, status).protection.locked  # a blank row for a new one
    budget = wb["Anggaran"]
    assert budget.cell(row_of(budget, "portal-pariwisata"), col(budget, "amount")).protection.locked
    assert not budget.cell(row_of(budget, "e-kelurahan"), col(budget, "amount")).protection.locked


def test_year_workbook_opens_only_that_years_realisation(project, tmp_path):
    wb = openpyxl.load_workbook(export_book(project, tmp_path / "p.xlsx", year=2025))
    kpi, budget = wb["Indikator"], wb["Anggaran"]
    r = row_of(kpi, "e-kelurahan")
    assert not kpi.cell(r, col(kpi, "actual_2025")).protection.locked
    for key in ("actual_2024", "target_2025", "indicator"):
        assert kpi.cell(r, col(kpi, key)).protection.locked, key
    r2025, r2024 = row_of(budget, "e-kelurahan", 2), row_of(budget, "e-kelurahan", 1)
    assert not budget.cell(r2025, col(budget, "realised")).protection.locked
    assert budget.cell(r2024, col(budget, "realised")).protection.locked
    assert budget.cell(r2025, col(budget, "amount")).protection.locked
    program = wb["Program"]
    assert all(program.cell(3, c).protection.locked for c in range(1, 16))
    assert program.max_row == 2 + 72  # no blank rows: nothing can be added


def test_cli_export(cli, project, tmp_path):
    out = tmp_path / "diskominfo.xlsx"
    result = cli("sheet", "export", "--opd", "diskominfo", "-o", out, "--path", project)
    assert result.exit_code == 0, result.output
    assert out.is_file()
    result = cli("sheet", "export", "--path", project)
    assert result.exit_code == 0 and (project / "build" / "sheets" / "program.xlsx").is_file()
    assert cli("sheet", "export", "--opd", "diskominf", "--path", project).exit_code == 2
    assert "did you mean 'diskominfo'" in cli("sheet", "export", "--opd", "diskominf", "--path", project).output
    assert cli("sheet", "export", "--year", "2030", "--path", project).exit_code == 2


def test_cli_export_never_replaces_a_file_without_force(cli, small, tmp_path):
    """-o naming a file that exists (an OPD's filled workbook, say) leaves it as it was."""
    filled = tmp_path / "dinkes.xlsx"
    filled.write_bytes(b"isian OPD")
    result = cli("sheet", "export", "-o", filled, "--path", small)
    assert result.exit_code == 1
    assert f"error: {filled} exists" in result.output and "--force" in result.output
    assert filled.read_bytes() == b"isian OPD"
    result = cli("sheet", "export", "-o", filled, "--force", "--path", small)
    assert result.exit_code == 0, result.output
    assert filled.read_bytes().startswith(b"PK")


def test_cli_export_to_a_folder_or_fifo(cli, small, tmp_path):
    import os

    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    for target, fragment in ((folder, "is a folder"), (fifo, "is not a regular file")):
        result = cli("sheet", "export", "-o", target, "--force", "--path", small)
        assert result.exit_code == 1
        assert f"error: {target} {fragment}" in result.output
    assert folder.is_dir() and not any(folder.iterdir())
    assert fifo.is_fifo()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
