"""The merge of a volume's separately rendered parts (render/pdfmerge.py), on small documents
rendered here with WeasyPrint: page labels, the blank page before a right-hand opening, links
between parts, the outline, and the running heads and page numbers laid on the body pages."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import copy_fixture
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.book import book_environment
from masterplan_kit.render.pdf import volume_setting
from masterplan_kit.render.pdfmerge import Part, merge, side_of

PAGE = "<style>@page {{ size: A4; margin: 25mm 20mm 22mm 25mm }} .br {{ break-before: page }}</style>{}"


def _pdf(body: str, base: Path) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<!doctype html><html lang=id><body>{PAGE.format(body)}</body></html>", base_url=str(base)).write_pdf()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> tuple[bytes, int]:
    """A front matter of three pages (linking to a section of the second chapter), a chapter of
    one page, and a chapter of two pages with a section, merged with the volume's own furniture."""
    root = copy_fixture(tmp_path_factory.mktemp("merge") / "kota-contoh")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    volume = next(v for v in project.edition.volumes if v.id == "buku-2")
    setting = volume_setting(project, volume, book_environment(root))
    heads = [("BAB I Satu", False), ("BAB II Dua", False)]
    from weasyprint import HTML

    text = setting.env.get_template("pdf/furniture.html.j2").render(setting.context, heads=heads)
    furniture = HTML(string=text, base_url=str(root)).write_pdf()  # the volume's own heads and digits
    front = _pdf('<h1 id="kata-pengantar">Kata Pengantar</h1><p>Lihat <a href="mpanchor:dua--bagian">bagian 2.1</a>.</p>'
                 '<h1 id="daftar-isi" class="br">Daftar Isi</h1><p class="br">Lanjutan daftar isi.</p>', root)
    one = _pdf('<h1 id="satu">BAB I Satu</h1><p>Halaman pertama bab satu.</p>', root)
    two = _pdf('<h1 id="dua">BAB II Dua</h1><p>Bab dua.</p>'
               '<h2 id="dua--bagian" class="br">2.1 Bagian</h2><p>Halaman kedua bab dua.</p>', root)
    parts = [Part(one, False, 0, False), Part(two, False, 1, True)]  # chapter II opens on the right: a blank before it
    return merge(front, parts, furniture, project, volume, "2024-01-02T03:04:05Z")


def test_pages_are_counted_front_matter_padded_and_chapters_opened_on_the_right(book):
    data, total = book
    reader = PdfReader(io.BytesIO(data))
    assert total == len(reader.pages) == 4 + 4  # front 3 + 1 blank; body: I (1), blank (2), II (3, 4)
    assert (reader.pages[3].extract_text() or "").strip() == ""  # the front matter padded to end on a left page
    assert (reader.pages[5].extract_text() or "").strip() == ""  # body page 2: blank, so that BAB II opens on page 3
    assert "BAB II Dua" in reader.pages[6].extract_text()
    assert [side_of(n) for n in (1, 2, 3)] == ["right", "left", "right"]


def test_page_labels_are_roman_then_arabic_from_one(book):
    reader = PdfReader(io.BytesIO(book[0]))
    assert reader.page_labels == ["i", "ii", "iii", "iv", "1", "2", "3", "4"]


def test_a_link_to_another_part_is_a_named_destination_that_resolves(book):
    reader = PdfReader(io.BytesIO(book[0]))
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    dests = [str(a["/Dest"]) for a in links if "/Dest" in a]
    assert dests == ["dua--bagian"]
    assert not any("mpanchor:" in str(a.get("/A", {}).get("/URI", "")) for a in links)
    target = reader.named_destinations["dua--bagian"]
    assert reader.get_destination_page_number(target) == 7  # the section's page: body page 4


def test_the_outline_nests_a_chapters_sections(book):
    reader = PdfReader(io.BytesIO(book[0]))
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[-2:] == ["BAB I Satu", "BAB II Dua"]
    children = outline[outline.index(next(i for i in outline if not isinstance(i, list) and i.title == "BAB II Dua")) + 1]
    assert isinstance(children, list) and [c.title for c in children] == ["2.1 Bagian"]
    assert reader.get_destination_page_number(children[0]) == 7


def test_running_heads_and_page_numbers_are_laid_on_every_body_page(book):
    with pdfplumber.open(io.BytesIO(book[0])) as pdf:
        body = [pdf.pages[i] for i in (4, 6, 7)]  # the blank page 2 is left bare

        def foot(page) -> str:
            return page.crop((0, page.height - 60, page.width, page.height)).extract_text().strip()

        def head(page) -> str:
            return page.crop((0, 0, page.width, 60)).extract_text().strip()

        assert [foot(p) for p in body] == ["1", "3", "4"]
        assert head(body[0]) == "" and head(body[1]) == ""  # a chapter's opening page has no running head
        assert head(body[2]) == "Buku 2: Masterplan"  # a left-hand page names the volume
        assert foot(pdf.pages[5]) == ""


def test_metadata_from_the_edition(book):
    reader = PdfReader(io.BytesIO(book[0]))
    assert reader.metadata.title == "Masterplan Smart City Kota Contoh — Buku 2: Masterplan"
    assert reader.metadata["/CreationDate"] == "D:20240102030405Z"
