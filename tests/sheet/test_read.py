"""Reading a workbook that is not what it claims to be: every file a person can name, however
wrong or hand-crafted, gives one `FILE.xlsx: error[E601]` line (or the cell's problem) and exit 1,
never a traceback, a hang or a value silently left out."""

from __future__ import annotations

import os
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sheetkit import Book, export_book, snapshot

PROGRAM = "xl/worksheets/sheet2.xml"  # the sheet Program of an exported workbook


@pytest.fixture
def book(small: Path, tmp_path: Path) -> Path:
    return export_book(small, tmp_path / "program.xlsx")


def rewrite(book: Path, name: str, change: Callable[[bytes], bytes] | None = None,
            add: dict[str, bytes] | None = None) -> Path:
    """A copy of ``book`` with one part changed (by hand, as a zip tool would) or parts added."""
    target = book.with_name(name)
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if change is not None and info.filename == PROGRAM:
                data = change(data)
            out.writestr(info.filename, data)
        for part, data in (add or {}).items():
            out.writestr(part, data)
    return target


def add_rows(xml: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


def import_in_time(cli, root: Path, book: Path, seconds: float = 60):
    """Run the import in a thread: a hang fails the test instead of stopping the suite."""
    result: list = []

    def run() -> None:
        try:
            result.append(cli("sheet", "import", book, "--path", root))
        except BaseException as exc:  # a traceback, handed to the test
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"the import of {book.name} did not finish in {seconds} s"
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def refused(cli, root: Path, book: Path) -> str:
    before = snapshot(root)
    result = import_in_time(cli, root, book)
    assert result.exit_code == 1, result.output
    assert snapshot(root) == before
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_file_that_is_not_a_regular_file(cli, small, tmp_path, kind):
    target = tmp_path / "program.xlsx"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    out = refused(cli, small, target)
    assert re.search(rf"^{re.escape(str(target))}: error\[E601\]: .*not a regular file", out, re.M), out


def test_a_symlink_to_a_workbook_is_read(cli, small, book, tmp_path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(book)
    result = import_in_time(cli, small, link)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("name", "change"), [
    ("truncated-xml.xlsx", lambda d: d[: len(d) // 2]),
    ("bad-cell-reference.xlsx", lambda d: d.replace(b'<c r="A3"', b'<c r="ZZZZZZ3"', 1)),
    ("bad-row-number.xlsx", lambda d: d.replace(b'<row r="3"', b'<row r="tiga"', 1)),
])
def test_a_damaged_sheet_is_one_line(cli, small, book, name, change):
    target = rewrite(book, name, change)
    out = refused(cli, small, target)
    assert f"{target}:Program: error[E601]: the workbook is damaged" in out, out
    assert len(out.strip().splitlines()) == 2, out  # the problem, then the summary


def test_a_part_whose_size_lies_is_damaged(cli, small, book):
    """A zip entry that unpacks to more than its header says fails its checksum: no traceback."""
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        size = zf.getinfo(PROGRAM).file_size
    # its entry in the central directory: signature, 42 bytes of fields, then the name
    (pos,) = [m.start() for m in re.finditer(b"PK\x01\x02", data) if data[m.start() + 46:].startswith(PROGRAM.encode())]
    data[pos + 24:pos + 28] = (size - 100).to_bytes(4, "little")  # the uncompressed size
    target = book.with_name("lying.xlsx")
    target.write_bytes(bytes(data))
    out = refused(cli, small, target)
    assert "error[E601]: the workbook is damaged" in out, out


def test_entities_in_a_sheet_are_refused_not_expanded(cli, small, book):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    target = rewrite(book, "laughs.xlsx", lambda d: f"<!DOCTYPE w [{laughs}]>".encode() + d.replace(
        b"</sheetData>", b'<row r="90"><c r="A90" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>'))
    out = refused(cli, small, target)
    assert "error[E601]" in out and len(out.strip().splitlines()) == 2, out
    assert "\\n" not in out


def test_a_value_below_the_declared_dimension_is_read(cli, small, book):
    """The <dimension> of a sheet is a hint a tool may leave stale: a value past it is not ignored."""
    target = rewrite(book, "stale-dimension.xlsx", add_rows(
        '<row r="900"><c r="A900" t="inlineStr"><is><t>Baru!</t></is></c></row>'
        '<row r="901"><c r="Z901" t="inlineStr"><is><t>lost</t></is></c></row>'))
    out = refused(cli, small, target)
    assert f"{target}:Program!A900: error[E605]: 'Baru!' is not valid as a programme id" in out, out
    assert f"{target}:Program!Z901: error[E602]:" in out, out


def test_a_sheet_of_wide_rows_is_refused_quickly(cli, small, book):
    """A row one cell wide at column XFD is 16,384 cells to a reader: 100,000 of them are refused."""
    rows = "".join(f'<row r="{i}"><c r="XFD{i}" s="0"/></row>' for i in range(100, 100_100))
    target = rewrite(book, "wide.xlsx", add_rows(rows))
    out = refused(cli, small, target)
    assert f"{target}:Program: error[E601]: the sheet has more than" in out, out


def test_blank_rows_and_a_far_last_row_are_fine(cli, small, book):
    rows = "".join(f'<row r="{i}"><c r="A{i}" s="0"/></row>' for i in range(100, 100_100))
    target = rewrite(book, "blank.xlsx", add_rows(rows + '<row r="1048576"><c r="B1048576" s="0"/></row>'))
    result = import_in_time(cli, small, target)
    assert result.exit_code == 0, result.output
    assert "0 programme(s) changed, 0 added" in result.output


def test_parts_outside_the_workbook_are_never_unpacked(cli, small, book, tmp_path):
    target = rewrite(book, "traversal.xlsx", add={"../../escaped.txt": b"x", "/tmp/escaped.txt": b"x"})
    result = import_in_time(cli, small, target)
    assert result.exit_code == 0, result.output
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_control_character_is_reported_at_its_cell(cli, small, book):
    with Book(book) as wb:
        cell = wb.set("Program", "data-terpadu", "title", "Data\x85Terpadu")
    out = refused(cli, small, book)
    assert f"{book}:{cell}: error[E107]: control character U+0085 is not allowed in text" in out, out
    assert len(out.strip().splitlines()) == 2, out


def test_a_formula_in_a_required_cell_is_one_problem(cli, small, book):
    with Book(book) as wb:
        cell = wb.set("Program", "data-terpadu", "title", '=HYPERLINK("http://contoh", "Data")')
        wb.set("Indikator", "data-terpadu", "baseline_value", "=1+1")
    out = refused(cli, small, book)
    assert f"{book}:{cell}: error[E603]: a formula" in out, out
    assert "E607" not in out, out


@pytest.mark.parametrize(("sheet", "key", "typed", "code", "message"), [
    ("Program", "years", "2024-9999", "E302", "years 2027, 2028, 2029, 2030, 2031 and 7968 more outside the period "
                                              "2024–2026"),
    ("Anggaran", "year", 2030, "E302", "year 2030 outside the period 2024–2026"),
    ("Anggaran", "amount", 10**20, "E304", "amount 100.000.000.000.000.000.000 is more than Rp 100.000.000.000.000"),
    ("Anggaran", "amount", "9" * 5000, "E304", "an amount of 5,000 digits is more than"),
    ("Anggaran", "realised", "9" * 5000 + " juta", "E304", "an amount of 5,000 digits is more than"),
    ("Indikator", "actual_2024", "9" * 5000, "E107", "the number is too large to be read (not finite)"),
    ("Indikator", "actual_2024", "1.000.000.000.000.000.000", "E107", "1000000000000000000 is out of range"),
    ("Indikator", "baseline_year", 2024, "E303", "the baseline year 2024 must be before the period 2024–2026"),
])
def test_values_the_validator_would_refuse_are_refused_at_their_cell(cli, small, book, sheet, key, typed, code, message):
    with Book(book) as wb:
        cell = wb.set(sheet, "data-terpadu", key, typed)
    out = refused(cli, small, book)
    assert f"{book}:{cell}: error[{code}]: {message}" in out, out
    assert len(out.strip().splitlines()) == 2, out


@pytest.mark.parametrize("year", ["²⁰²⁴", "tahun 2024", "99999999999999999999"])
def test_a_realisation_workbook_whose_year_is_not_a_year(cli, small, tmp_path, year):
    book = export_book(small, tmp_path / "realisasi.xlsx", year=2024)
    with Book(book) as wb:
        ws = wb["Daftar"]
        key = next(c for c in ws[1] if c.value == "meta_key").column
        (cell,) = [ws.cell(r, key + 1) for r in range(2, ws.max_row + 1) if ws.cell(r, key).value == "year"]
        cell.value = year
    out = refused(cli, small, book)
    assert f"{book}:Daftar: error[E602]: the lists sheet names the year '{year}', which is not a year" in out, out


def test_a_workbook_of_too_many_shared_strings_is_refused_before_it_is_read(cli, small, book, monkeypatch):
    """A few hundred kilobytes can hold millions of shared strings, each a Python string before the
    first cell is read: the count is checked on the zip's bytes first."""
    from masterplan_kit.sheet import read

    strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "<si><t>a</t></si>" * 6
    target = rewrite(book, "strings.xlsx", add={"xl/sharedStrings.xml": (strings + "</sst>").encode()})
    monkeypatch.setattr(read, "MAX_STRINGS", 5)
    out = refused(cli, small, target)
    assert f"{target}: error[E601]: the workbook holds more than 5 shared strings" in out, out


def test_a_cell_whose_style_is_missing_is_damaged(cli, small, book):
    target = rewrite(book, "style.xlsx", lambda d: re.sub(rb'<c r="A3" s="\d+"', b'<c r="A3" s="99999"', d, count=1))
    out = refused(cli, small, target)
    assert f"{target}:Program: error[E601]: the workbook is damaged and cannot be read: a cell's style is missing" in out


def test_a_file_name_with_a_line_break_stays_on_one_line(cli, small, book):
    odd = book.with_name("a\nb\x1b[31m.xlsx")
    odd.write_bytes(b"bukan buku kerja")
    out = refused(cli, small, odd)
    assert "a\\nb\\x1b[31m.xlsx: error[E601]: not an Excel workbook" in out, out
