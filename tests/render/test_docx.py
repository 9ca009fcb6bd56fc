"""DOCX copies as a reviewer opens them: page setup, cover, contents with page numbers, pictures,
tables across the text width, the PDF's numbers, and a file LibreOffice converts."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import copy_project

docx = pytest.importorskip("docx")  # python-docx, in the test extra
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def volumes(tmp_path_factory) -> Path:
    """The default masterplan's DOCX volumes (the DOCX only: no PDF is needed)."""
    from masterplan_kit.pipeline import load_and_check
    from masterplan_kit.render.docx import write_docx

    root = copy_project(tmp_path_factory.mktemp("docx") / "project")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    write_docx(project, root / "build" / "docx")
    return root / "build" / "docx"


def _xml(path: Path, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(path).read(part).decode("utf-8")


def _paragraphs(doc: str) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, in order."""
    out = []
    for m in re.finditer(r"<w:p>(.*?)</w:p>", doc, re.S):
        style = re.search(r'<w:pStyle w:val="([^"]+)"', m.group(1))
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", m.group(1)))
        out.append((style.group(1) if style else "", text))
    return out


def test_a4_pages_with_the_pdf_margins_and_no_header_on_the_cover(volumes: Path):
    document = docx.Document(str(volumes / "buku-1.docx"))
    section = document.sections[-1]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert abs(section.left_margin - Mm(25)) < Mm(0.5) and abs(section.right_margin - Mm(20)) < Mm(0.5)
    assert abs(section.top_margin - Mm(25)) < Mm(0.5) and abs(section.bottom_margin - Mm(22)) < Mm(0.5)
    front = document.sections[0]
    assert front.different_first_page_header_footer  # the cover has no header or footer
    numbering = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    assert numbering[0].get(qn("w:fmt")) == "lowerRoman"  # the front matter in roman, as in the PDF
    assert (numbering[1].get(qn("w:fmt")), numbering[1].get(qn("w:start"))) == ("decimal", "1")  # BAB I is page 1
    assert all(n is None for n in numbering[2:])  # the numbers run on through the annex
    booklet = docx.Document(str(volumes / "buku-saku.docx")).sections[-1]
    assert abs(booklet.page_width - Mm(148)) < Mm(0.5)  # the Buku Saku is A5, as printed


def test_header_names_the_volume_and_footer_numbers_the_page(volumes: Path):
    document = docx.Document(str(volumes / "buku-2.docx"))
    section = document.sections[0]
    header = section.header._element.xml
    footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> TITLE </w:instrText>", header)
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert document.core_properties.title.endswith("Buku 2: Masterplan Smart City")
    # the title also where a viewer does not compute fields; the properties dated by the sources
    assert "Buku 2: Masterplan Smart City</w:t>" in header
    assert document.core_properties.created.year >= 2000
    assert "Microsoft" not in _xml(volumes / "buku-2.docx", "docProps/app.xml")


def test_table_rows_stay_on_one_page_and_rupiah_keeps_its_amount(volumes: Path):
    doc = _xml(volumes / "buku-2.docx")
    rows = re.findall(r"<w:tr>(.*?)</w:tr>", doc, re.S)
    assert rows and all(r.startswith("<w:trPr><w:cantSplit />") for r in rows)
    assert "Rp\u00a0" in doc and not re.search(r"Rp [0-9]", doc)


def test_every_chapter_opens_a_new_page(volumes: Path):
    styles = _xml(volumes / "buku-2.docx", "word/styles.xml")
    heading1 = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S)
    assert heading1 and "<w:pageBreakBefore />" in heading1.group(0)
    chapters = [text for style, text in _paragraphs(_xml(volumes / "buku-2.docx")) if style == "Heading1"]
    assert chapters[:2] == ["Kata Pengantar", "Daftar Isi"]
    assert "BAB I Visi dan Misi" in chapters and any(c.startswith("LAMPIRAN") for c in chapters)


def test_cover_says_what_the_pdf_cover_says_and_the_notice_is_printed_once(volumes: Path):
    paragraphs = _paragraphs(_xml(volumes / "buku-1.docx"))
    first = dict(paragraphs[:10])
    assert first["CoverCity"] == "Pemerintah Kota Samarinda"
    assert first["CoverTitle"] == "Masterplan Smart CityKota Samarinda"  # two lines (a break between them)
    assert first["CoverVolume"] == "Buku 1: Analisis Strategis"
    assert first["CoverPeriod"] == "Periode 2023–2025"
    text = "\n".join(t for _s, t in paragraphs)
    assert text.count("bukan dokumen resmi") == 1  # the notice, at the cover's foot only
    assert any(style == "CoverFoot" and "bukan dokumen resmi" in t for style, t in paragraphs)
    assert not any(style in ("Title", "Subtitle", "Author", "Date") for style, _t in paragraphs)  # no second title block
    assert "2025-" not in text.split("Kata Pengantar")[0]  # dates in Indonesian, never ISO


def test_contents_are_filled_with_page_references_to_headings(volumes: Path):
    doc = _xml(volumes / "buku-2.docx")
    lines = re.findall(r'<w:p><w:pPr><w:pStyle w:val="TOC([12])" />.*?</w:p>', doc, re.S)
    chapters = [t for s, t in _paragraphs(doc) if s == "Heading1" and t not in ("Daftar Isi",)]
    sections = [t for s, t in _paragraphs(doc) if s == "Heading2"]
    assert lines.count("1") == len(chapters) and lines.count("2") == len(sections)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', doc))
    refs = re.findall(r"<w:instrText[^>]*> PAGEREF (\S+) \\h (?:\\\* roman )?</w:instrText>", doc)
    assert re.search(r"> PAGEREF kata-pengantar \\h \\\* roman </w:instrText>", doc)  # page iii, as printed
    tables = [t for s, t in _paragraphs(doc) if s == "TableCaption"]
    figures = [t for s, t in _paragraphs(doc) if s == "ImageCaption"]
    assert len(refs) == len(chapters) + len(sections) + len(tables) + len(figures)
    assert set(refs) <= bookmarks  # every page reference finds its heading or caption
    toc = [t for s, t in _paragraphs(doc) if s in ("TOC1", "TOC2")]
    assert "BAB I Visi dan Misi" in toc and "1.1 Visi" in toc
    assert re.search(r'<w:updateFields w:val="true" />', _xml(volumes / "buku-2.docx", "word/settings.xml"))


def _pictures(doc: str) -> list[str]:
    return re.findall(r"<w:drawing>.*?</w:drawing>", doc, re.S)


def test_roadmap_is_a_picture_per_pillar_with_a_png_fallback(volumes: Path):
    path = volumes / "buku-2.docx"
    doc = _xml(path)
    captions = [t for s, t in _paragraphs(doc) if s == "ImageCaption" and "Peta jalan" in t]
    assert len(captions) == 6  # one per pillar
    pictures = _pictures(doc)
    assert len(pictures) >= 6
    rels = _xml(path, "word/_rels/document.xml.rels")
    media = set(zipfile.ZipFile(path).namelist())
    for picture in pictures:
        png = re.search(r'<a:blip r:embed="([^"]+)"', picture)
        svg = re.search(r'<asvg:svgBlip [^>]*r:embed="([^"]+)"', picture)
        assert png and svg, "each chart: the SVG, and a PNG for readers without SVG"
        target = re.search(rf'Id="{png.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{png.group(1)}"', rels)
        assert target and target.group(1).endswith(".png") and f"word/{target.group(1)}" in media
    assert "data:image" not in doc  # a picture's name is not its data
    assert "<w:tbl>" in doc and "●" not in doc  # no table of dots in place of the chart


def test_chapter_images_are_embedded(volumes: Path):
    doc = _xml(volumes / "buku-1.docx")
    figures = [t for s, t in _paragraphs(doc) if s == "ImageCaption"]
    assert figures[:2] == ["Gambar 2.1 Luas wilayah per kecamatan (km²)",
                           "Gambar 2.2 Jumlah penduduk per kecamatan, 2022 (angka ilustratif)"]
    assert len(_pictures(doc)) == len(figures) + 1  # the figures and the logo on the cover
    extents = [int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', doc)]
    assert max(extents) <= Mm(165) + Mm(0.5)  # no picture wider than the text


def test_tables_span_the_text_width_with_plain_text_cells(volumes: Path):
    doc = _xml(volumes / "buku-2.docx")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S)
    assert len(tables) >= 20
    for table in tables:
        assert '<w:tblW w:type="pct" w:w="5000" />' in table
        assert "<w:hyperlink" not in table  # programme names in tables are text, not links
        grid = [int(c) for c in re.findall(r'<w:gridCol w:w="(\d+)" />', table)]
        assert any(abs(sum(grid) - width) <= 5 for width in (9355, 14288))  # the portrait or landscape text width


def test_amounts_are_never_split_in_a_table(volumes: Path):
    """Each column is at least as wide as its widest amount, set in Arial at the table's size."""
    from masterplan_kit.render.docx_html import CELL_PAD_MM, SLACK, text_width_mm

    doc = _xml(volumes / "buku-2.docx")
    checked = 0
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", doc, re.S):
        grid = [int(c) / 56.7 for c in re.findall(r'<w:gridCol w:w="(\d+)" />', table)]
        scale = 7.5 / 9 if "CompactSmall" in table else 1.0
        for row in re.findall(r"<w:tr>.*?</w:tr>", table, re.S):
            cells = re.findall(r"<w:tc>.*?</w:tc>", row, re.S)
            if len(cells) != len(grid) or "<w:tblHeader" in row:
                continue
            for width, cell in zip(grid, cells, strict=True):
                text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell))
                if re.fullmatch(r"Rp\u00a0[\d.]+", text):
                    checked += 1
                    assert text_width_mm(text) / SLACK * scale + CELL_PAD_MM <= width + 0.01, text
    assert checked > 20


def test_table_and_figure_numbers_are_the_pdfs(volumes: Path):
    from masterplan_kit.pipeline import load_and_check
    from masterplan_kit.render.book import VolumeBook, book_environment
    from masterplan_kit.render.pandoc import project_fragments

    root = volumes.parents[1]
    project, _ = load_and_check(root)
    env = book_environment(root)
    fragments = project_fragments(project)
    for volume in project.edition.volumes:
        _front, body = VolumeBook(project, volume, env, fragments).chapters()  # as the PDF assembles it
        expected = [f"{e.label} {e.title}" for ch in body for e in ch.tables + ch.figures]
        paragraphs = _paragraphs(_xml(volumes / f"{volume.id}.docx"))
        captions = [t for s, t in paragraphs if s in ("TableCaption", "ImageCaption")]
        assert sorted(captions) == sorted(expected), volume.id
        assert all(re.match(r"(Tabel|Gambar) [\dL]+\.\d+ ", c) for c in captions)


def test_footnotes_are_word_footnotes(volumes: Path):
    path = volumes / "buku-1.docx"
    notes = " ".join(t for _s, t in _paragraphs(_xml(path, "word/footnotes.xml")))
    assert "Rumusan visi dan misi masterplan" in notes
    doc = _xml(path)
    text = " ".join(t for _s, t in _paragraphs(doc))
    assert "<w:footnoteReference" in doc and "Rumusan visi dan misi" not in text


def test_builds_are_reproducible(volumes: Path, tmp_path: Path):
    from masterplan_kit.pipeline import load_and_check
    from masterplan_kit.render.docx import write_docx

    project, _ = load_and_check(volumes.parents[1])
    again = write_docx(project, tmp_path, ["buku-saku"])[0]
    assert again.read_bytes() == (volumes / "buku-saku.docx").read_bytes()


OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice missing (CI installs it)")
def test_libreoffice_converts_the_docx_with_its_contents_and_pictures(volumes: Path, tmp_path: Path):
    assert OFFICE is not None
    subprocess.run([OFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(volumes / "buku-1.docx")], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "buku-1.pdf")
    pages = [page.extract_text() or "" for page in reader.pages]
    assert len(pages) > 20
    assert "Masterplan Smart City" in pages[0] and "Periode 2023" in pages[0]
    text = "\n".join(pages)
    assert "Reference source not found" not in text and "Error:" not in text
    toc = next(p for p in pages if "Daftar Isi" in p)
    line = re.search(r"BAB I Pendahuluan\W*?(\d+)", toc)
    assert line, "the contents give the chapter's page"
    opening = next(n for n, p in enumerate(pages, 1) if re.search(r"^BAB I Pendahuluan\s*$", p, re.M) and p is not toc)
    assert int(line.group(1)) == 1 and re.search(r"^\s*1\s*$", pages[opening - 1], re.M)  # BAB I is page 1
    second = re.search(r"BAB II Profil Kota\W*?(\d+)", toc)
    assert second, "the contents give the chapter's page"
    assert re.search(r"^BAB II Profil Kota\s*$", pages[opening - 2 + int(second.group(1))], re.M)
    assert sum(len(page.images) for page in reader.pages) >= 3  # the chapter's figures
