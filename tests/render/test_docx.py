"""DOCX copies: Word heading styles, real tables, and a file LibreOffice opens and converts."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest


def test_headings_are_word_heading_styles_and_tables_are_tables(built_books: Path):
    doc = zipfile.ZipFile(built_books / "docx" / "buku-2.docx").read("word/document.xml").decode("utf-8")
    assert len(re.findall(r'<w:pStyle w:val="Heading1"', doc)) >= 10
    assert len(re.findall(r'<w:pStyle w:val="Heading2"', doc)) >= 10
    assert doc.count("<w:tbl>") >= 20
    assert "TOC \\\\o" in doc or 'w:instr="TOC' in doc or "TOC \\o" in doc
    assert "e-Kelurahan" in doc and "BAB I" in doc


def test_reference_styles_are_indonesian(built_books: Path):
    styles = zipfile.ZipFile(built_books / "docx" / "buku-1.docx").read("word/styles.xml").decode("utf-8")
    assert re.search(r'<w:lang [^>]*w:val="id', styles) and "Arial" in styles


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice missing (CI installs it)")
def test_libreoffice_converts_the_docx(built_books: Path, tmp_path: Path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built_books / "docx" / "buku-saku.docx")], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "buku-saku.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 5000
