"""`masterplan sheet import`: an OPD's edits become exactly those source changes, or a clear error
at the cell that holds the problem and no file touched."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sheetkit import NEW_PROGRAMME, Book, export_book, snapshot

from conftest import edit
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.sheet import apply as apply_mod
from masterplan_kit.synth import write_synthetic

EK = "pillars/governance/programmes/e-kelurahan.yml"


@pytest.fixture
def book(project: Path, tmp_path: Path) -> Path:
    return export_book(project, tmp_path / "program.xlsx")


def run(cli, project: Path, book: Path, *extra: str):
    return cli("sheet", "import", book, "--path", project, *extra)


def refused(cli, project: Path, book: Path) -> str:
    """Import a bad workbook: exit 1, every source file as it was; returns the output."""
    before = snapshot(project)
    result = run(cli, project, book)
    assert result.exit_code == 1, result.output
    assert snapshot(project) == before
    assert "nothing was written" in result.output
    return result.output


def test_round_trip_without_edits_changes_nothing(cli, project, book):
    before = snapshot(project)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "0 programme(s) changed, 0 added" in result.output
    assert snapshot(project) == before


def test_round_trip_of_a_synthetic_project(cli, tmp_path):
    root = write_synthetic(tmp_path / "synth", 300, paragraphs=1)
    book = export_book(root, tmp_path / "synth.xlsx")
    before = snapshot(root)
    result = run(cli, root, book)
    assert result.exit_code == 0, result.output
    assert snapshot(root) == before


def test_status_change_keeps_comments_and_other_lines(cli, project, book):
    edit(project, EK, "status: ongoing", "status: ongoing   # disepakati FGD Juli 2022")
    edit(project, EK, "kpis:\n", "# capaian dilaporkan Bapperida\nkpis:\n")
    edit(project, EK, "  - {year: 2023, amount: 650000000, source: APBD, realised: 612400000}",
         "  - {year: 2023, amount: 650000000, source: APBD, realised: 612400000}   # DPA 2023")
    before = (project / EK).read_text(encoding="utf-8")
    book = export_book(project, book)
    with Book(book) as wb:
        wb.set("Program", "e-kelurahan", "status", "done")
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "changed e-kelurahan" in result.output and "status: ongoing → done" in result.output
    after = (project / EK).read_text(encoding="utf-8").splitlines()
    lines = before.splitlines()
    changed = [i for i, (a, b) in enumerate(zip(lines, after, strict=True)) if a != b]
    assert len(after) == len(lines) and len(changed) == 1
    # the comment stays at its column
    assert after[changed[0]] == "status: done      # disepakati FGD Juli 2022"


def test_kpi_actual_and_realised_budget(cli, project, book):
    with Book(book) as wb:
        wb.set("Indikator", "e-kelurahan", "actual_2025", 98)
        wb.set("Indikator", "e-kelurahan", "actual_2025", "23.500", nth=1)
        wb.set("Anggaran", "e-kelurahan", "realised", "Rp 1.500.000.000", nth=2)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    text = (project / EK).read_text(encoding="utf-8")
    assert "actuals: {2023: 45, 2024: 72, 2025: 98}" in text
    assert "actuals: {2023: 9800, 2024: 16400, 2025: 23500}" in text
    assert "  - {year: 2025, amount: 750000000, source: APBD, realised: 1500000000}" in text
    assert "budget 2025 APBD: realised: – → 1.500.000.000" in result.output
    _, report = load_and_check(project)
    assert not report.errors()


def test_new_programme_with_budget_and_kpi(cli, project, book):
    with Book(book) as wb:
        wb.add("Program", NEW_PROGRAMME)
        wb.add("Anggaran", {"programme": "dashboard-banjir", "year": 2024, "amount": "1,5 miliar", "source": "APBD"})
        wb.add("Anggaran", {"programme": "dashboard-banjir", "year": 2025, "amount": 750000000, "source": "DAK",
                            "note": "usulan"})
        wb.add("Indikator", {"programme": "dashboard-banjir", "indicator": "Kelurahan rawan banjir terpantau",
                             "unit": "kelurahan", "direction": "increase", "baseline_year": 2022, "baseline_value": 0,
                             "target_2024": 10, "target_2025": "12,5"})
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "added dashboard-banjir (pillars/environment/programmes/dashboard-banjir.yml)" in result.output
    text = (project / "pillars/environment/programmes/dashboard-banjir.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/programme.schema.json\n")
    assert "  - {year: 2024, amount: 1500000000, source: APBD}\n" in text
    assert "  - {year: 2025, amount: 750000000, source: DAK, note: usulan}\n" in text
    assert "description: |\n  Dasbor publik.\n\n  Memakai data" in text
    assert "targets: {2024: 10, 2025: 12.5}" in text
    project_, report = load_and_check(project)
    assert not report.errors(), report.to_text()
    new = project_.programme("dashboard-banjir")
    assert new is not None and new.partners == ["diskominfo", "dlh"] and new.locations == ["samarinda-ulu"]


def test_dry_run_shows_and_writes_nothing(cli, project, book):
    with Book(book) as wb:
        wb.set("Program", "e-kelurahan", "title", "e-Kelurahan Terpadu")
    before = snapshot(project)
    result = run(cli, project, book, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "title: e-Kelurahan → 'e-Kelurahan Terpadu'" in result.output
    assert "dry run: nothing written" in result.output
    assert snapshot(project) == before


def test_a_removed_row_keeps_its_file(cli, project, book):
    with Book(book) as wb:
        ws = wb["Program"]
        from sheetkit import row_of
        ws.delete_rows(row_of(ws, "jdih"))
        budget = wb["Anggaran"]
        for r in reversed(range(3, budget.max_row + 1)):
            if budget.cell(r, 1).value == "jdih":
                budget.delete_rows(r)
        kpi = wb["Indikator"]
        for r in reversed(range(3, kpi.max_row + 1)):
            if kpi.cell(r, 1).value == "jdih":
                kpi.delete_rows(r)
    before = snapshot(project)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "not in the workbook, file kept: jdih (pillars/governance/programmes/jdih.yml)" in result.output
    assert snapshot(project) == before


def test_reordered_sheets_are_read_by_name(cli, project, book):
    with Book(book) as wb:
        wb.wb.move_sheet("Indikator", offset=-3)
        wb.wb.move_sheet("Petunjuk", offset=3)
        wb.set("Program", "santer", "priority", "medium")
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "priority: high → medium" in result.output


def test_formula_date_list_and_header_problems_all_at_once(cli, project, book):
    with Book(book) as wb:
        a_formula = wb.set("Anggaran", "santer", "amount", "=1200000000*1.1")
        a_date = wb.set("Program", "santer", "id", dt.datetime(2024, 3, 1))
        a_choice = wb.set("Program", "e-kelurahan", "status", "berjalan")
        a_amount = wb.set("Anggaran", "e-kelurahan", "amount", "1.500.000,50")
        a_pct = wb.set("Indikator", "e-kelurahan", "actual_2025", 0.45)
        wb["Indikator"][a_pct.split("!")[1]].number_format = "0%"
    out = refused(cli, project, book)
    for address, code, words in ((a_formula, "E603", "formula"), (a_date, "E605", "date"),
                                 (a_choice, "E604", "'berjalan' is not in the list"),
                                 (a_amount, "E606", "decimal comma"), (a_pct, "E606", "percentage")):
        assert f"{book}:{address}: error[{code}]:" in out and words in out, (address, out)


def test_hidden_header_row_edited(cli, project, book):
    with Book(book) as wb:
        wb["Program"]["J1"] = "Status"
    out = refused(cli, project, book)
    assert f"{book}:Program!J1: error[E602]: the hidden header row was changed: expected 'status'" in out


def test_inserted_column_and_unknown_sheet(cli, project, book):
    with Book(book) as wb:
        wb["Anggaran"].insert_cols(3)
        wb.wb.create_sheet("Catatan")
    out = refused(cli, project, book)
    assert f"{book}:Anggaran!C1: error[E602]:" in out
    assert f"{book}:Catatan: error[E602]: unknown sheet 'Catatan'" in out


def test_duplicate_id_and_id_of_another_pillar(cli, project, book):
    with Book(book) as wb:
        dup = wb.add("Program", {**NEW_PROGRAMME, "id": "santer", "pillar": "governance",
                                 "element": "pelayanan-publik"})
        moved = wb.set("Program", "atcs", "id", "atcs")
        wb.set("Program", "atcs", "pillar", "environment")
        wb.set("Program", "atcs", "element", "proteksi-lingkungan")
    out = refused(cli, project, book)
    assert f"{book}:Program!A{dup}: error[E608]: programme 'santer' appears twice" in out
    assert f"{book}:{moved}: error[E608]: programme id 'atcs' is already used in pillar 'living'" in out


def test_broken_cross_reference_is_refused_with_the_validators_message(cli, project, book):
    with Book(book) as wb:
        address = wb.set("Program", "e-kelurahan", "related", "e-warga, e-wargaa")
    out = refused(cli, project, book)
    row = address.split("!")[1][1:]
    assert f"{book}:Program!A{row}: error[E610]: the change would not validate: {EK}:" in out
    assert "error[E203]: unknown programme 'e-wargaa'" in out


def test_unknown_programme_on_budget_sheet(cli, project, book):
    with Book(book) as wb:
        r = wb.add("Anggaran", {"programme": "tidak-ada", "year": 2024, "amount": 5, "source": "APBD"})
    out = refused(cli, project, book)
    assert f"{book}:Anggaran!A{r}: error[E604]: programme 'tidak-ada' is not on sheet Program" in out


def test_required_cells(cli, project, book):
    with Book(book) as wb:
        r = wb.add("Program", {k: v for k, v in NEW_PROGRAMME.items() if k not in ("title", "status")})
    out = refused(cli, project, book)
    assert f"{book}:Program!C{r}: error[E607]: the title is required" in out
    assert f"{book}:Program!J{r}: error[E607]: the status is required" in out


@pytest.mark.parametrize(("name", "data", "fragment"), [
    ("program.xlsx", b"this is not a workbook", "not an Excel workbook"),
    ("program.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password-protected"),
    ("program.xlsm", None, "macro-enabled"),
])
def test_files_that_are_not_plain_workbooks(cli, project, book, name, data, fragment):
    target = book.with_name(name)
    if data is None:
        shutil.copy(book, target)
    else:
        target.write_bytes(data)
    out = refused(cli, project, target)
    assert f"{target}: error[E601]:" in out and fragment in out


def test_workbook_with_macros_inside(cli, project, book):
    import zipfile

    with zipfile.ZipFile(book, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\0")
    out = refused(cli, project, book)
    assert "error[E601]: the workbook contains macros" in out


def test_size_limit(cli, project, book, monkeypatch):
    from masterplan_kit.sheet import read

    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    out = refused(cli, project, book)
    assert "error[E601]: the file is" in out and "the limit is 1,000 bytes" in out


def test_opd_workbook_refuses_edits_to_its_partners_programmes(cli, project, tmp_path):
    book = export_book(project, tmp_path / "diskominfo.xlsx", opd="diskominfo")
    with Book(book) as wb:
        own = wb.set("Program", "e-kelurahan", "status", "done")
        partner = wb.set("Program", "portal-pariwisata", "status", "done")
        budget = wb.set("Anggaran", "portal-pariwisata", "amount", 1)
        other = wb.add("Program", {**NEW_PROGRAMME})  # led by bpbd
    out = refused(cli, project, book)
    assert f"{book}:{partner}: error[E609]: status was changed (ongoing → done); 'portal-pariwisata' is led by " \
           "'dispar' and is read-only in the workbook of 'diskominfo'" in out
    assert f"{book}:{budget}: error[E609]:" in out
    assert f"{book}:Program!G{other}: error[E609]: a new programme in the workbook of 'diskominfo' must be led" in out
    assert own not in out
    with Book(book) as wb:
        wb.set("Program", "portal-pariwisata", "status", "ongoing")
        wb.set("Anggaran", "portal-pariwisata", "amount", 300000000)
        wb["Program"].delete_rows(other)
        wb.add("Program", {**NEW_PROGRAMME, "lead": None})  # a new row of diskominfo's workbook is diskominfo's
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "lead: diskominfo" in (project / "pillars/environment/programmes/dashboard-banjir.yml").read_text()
    assert "status: done" in (project / EK).read_text()


def test_year_workbook_takes_only_that_years_realisation(cli, project, tmp_path):
    book = export_book(project, tmp_path / "realisasi-2025.xlsx", year=2025)
    with Book(book) as wb:
        wb.set("Indikator", "e-kelurahan", "actual_2025", 100)
        wb.set("Anggaran", "e-kelurahan", "realised", 700000000, nth=2)
        target = wb.set("Indikator", "e-kelurahan", "target_2025", 90)
        realised_2024 = wb.set("Anggaran", "e-kelurahan", "realised", 800000000, nth=1)
    out = refused(cli, project, book)
    assert f"{book}:{target}: error[E609]:" in out and "only the realisation of 2025" in out
    assert f"{book}:{realised_2024}: error[E609]:" in out
    with Book(book) as wb:
        wb.set("Indikator", "e-kelurahan", "target_2025", 100)
        wb.set("Anggaran", "e-kelurahan", "realised", 744000000, nth=1)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    text = (project / EK).read_text()
    assert "actuals: {2023: 45, 2024: 72, 2025: 100}" in text
    assert "{year: 2025, amount: 750000000, source: APBD, realised: 700000000}" in text


def test_formula_like_text_round_trips(cli, project, tmp_path):
    edit(project, EK, "title: e-Kelurahan", "title: '=e-Kelurahan'")
    edit(project, EK, "unit: \"%\"", "unit: \"-%\"")
    book = export_book(project, tmp_path / "p.xlsx")
    before = snapshot(project)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before


def test_all_files_or_none(project, book, monkeypatch):
    with Book(book) as wb:
        wb.set("Program", "e-kelurahan", "status", "done")
        wb.set("Program", "santer", "status", "done")
    before = snapshot(project)
    real_replace = apply_mod.os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(apply_mod.os, "replace", failing_replace)
    with pytest.raises(OSError):
        apply_mod.import_workbook(project, book)
    assert snapshot(project) == before
    assert not [p for p in (project / "pillars").rglob(".*") if p.is_file()]


def test_sources_with_errors_are_not_imported_into(cli, project, book):
    edit(project, EK, "status: ongoing", "status: berjalan")
    result = run(cli, project, book)
    assert result.exit_code == 1
    assert "error[E104]" in result.output and "fix them first" in result.output


def test_sorted_rows_change_nothing(cli, project, book):
    with Book(book) as wb:
        for name in ("Anggaran", "Indikator"):
            ws = wb[name]
            rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3) if r[0].value]
            rows.sort(key=lambda r: (str(r[1]), str(r[0])), reverse=True)
            for i, values in enumerate(rows, 3):
                for j, v in enumerate(values, 1):
                    ws.cell(i, j).value = v
    before = snapshot(project)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "0 programme(s) changed, 0 added" in result.output
    assert snapshot(project) == before


def test_a_deleted_budget_row_removes_that_line_only(cli, project, book):
    before = (project / EK).read_text(encoding="utf-8")
    with Book(book) as wb:
        from sheetkit import row_of
        ws = wb["Anggaran"]
        ws.delete_rows(row_of(ws, "e-kelurahan", 1))
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "budget row: '2024 APBD 800.000.000" in result.output and "→ –" in result.output
    assert (project / EK).read_text(encoding="utf-8") == before.replace(
        "  - {year: 2024, amount: 800000000, source: APBD, realised: 744000000}\n", "")


def test_opd_realisation_workbook(cli, project, tmp_path):
    book = export_book(project, tmp_path / "p.xlsx", opd="diskominfo", year=2025)
    with Book(book) as wb:
        wb.set("Indikator", "e-kelurahan", "actual_2025", 99)
        title = wb.set("Program", "e-kelurahan", "title", "e-Kelurahan Baru")
        partner = wb.set("Indikator", "portal-pariwisata", "target_2025", 1)
    out = refused(cli, project, book)
    assert f"{book}:{title}: error[E609]:" in out and f"{book}:{partner}: error[E609]:" in out
    with Book(book) as wb:
        wb.set("Program", "e-kelurahan", "title", "e-Kelurahan")
        wb.set("Indikator", "portal-pariwisata", "target_2025", None)
    project_, _ = load_and_check(project)
    target = project_.programme("portal-pariwisata").kpis[0].targets.get(2025)
    with Book(book) as wb:
        wb.set("Indikator", "portal-pariwisata", "target_2025", target)
    result = run(cli, project, book)
    assert result.exit_code == 0, result.output
    assert "2025: 99}" in (project / EK).read_text()


def test_every_workbook_code_is_tested():
    from masterplan_kit.errors import CODES

    text = Path(__file__).read_text(encoding="utf-8")
    assert [c for c in CODES if c.startswith("E6") and f"error[{c}]" not in text and f'"{c}"' not in text] == []


@pytest.mark.parametrize("absolute", [True, False])
def test_a_linked_programme_file(cli, small, tmp_path, absolute):
    """A programme file that is a link to another file of the project: a dry run writes nothing
    (the check of the result never writes through the link), and an import edits the file the link
    names and keeps the link."""
    shared = small / "shared" / "data-terpadu.yml"
    shared.parent.mkdir()
    link = small / "pillars/governance/programmes/data-terpadu.yml"
    link.rename(shared)
    link.symlink_to(shared if absolute else Path("../../../shared/data-terpadu.yml"))
    book = export_book(small, tmp_path / "p.xlsx")
    with Book(book) as wb:
        wb.set("Program", "data-terpadu", "status", "done")
    before = shared.read_bytes()
    result = cli("sheet", "import", book, "--path", small, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "status: planned → done" in result.output and "dry run: nothing written" in result.output
    assert shared.read_bytes() == before
    result = cli("sheet", "import", book, "--path", small)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "status: done" in shared.read_text(encoding="utf-8")


def test_a_linked_programmes_folder(cli, small, tmp_path):
    real = small / "shared-programmes"
    folder = small / "pillars/governance/programmes"
    folder.rename(real)
    folder.symlink_to(real)
    book = export_book(small, tmp_path / "p.xlsx")
    with Book(book) as wb:
        wb.set("Program", "data-terpadu", "status", "done")
    before = (real / "data-terpadu.yml").read_bytes()
    result = cli("sheet", "import", book, "--path", small, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (real / "data-terpadu.yml").read_bytes() == before
    result = cli("sheet", "import", book, "--path", small)
    assert result.exit_code == 0, result.output
    assert folder.is_symlink() and "status: done" in (real / "data-terpadu.yml").read_text(encoding="utf-8")


def test_a_file_the_round_trip_cannot_read_is_named_not_a_traceback(cli, small, tmp_path):
    """YAML the validator reads but ruamel's round trip does not (a tab before a comment)."""
    rel = "pillars/governance/programmes/data-terpadu.yml"
    edit(small, rel, "status: planned", "status: planned\t# menunggu DPA")
    book = export_book(small, tmp_path / "p.xlsx")
    with Book(book) as wb:
        cell = wb.set("Program", "data-terpadu", "priority", "high")
    before = snapshot(small)
    result = cli("sheet", "import", book, "--path", small)
    assert result.exit_code == 1, result.output
    assert f"{book}:Program!A3: error[E610]: {rel} cannot be edited in place" in result.output, (cell, result.output)
    assert snapshot(small) == before


def test_links_to_folders_that_hold_them_do_not_make_the_check_endless(cli, small, tmp_path):
    (small / "masterplan/assets/di-sini").symlink_to("..")
    (small / "pillars/governance/naik").symlink_to("../..")
    book = export_book(small, tmp_path / "p.xlsx")
    with Book(book) as wb:
        wb.set("Program", "data-terpadu", "status", "done")
    result = cli("sheet", "import", book, "--path", small, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "status: planned → done" in result.output
