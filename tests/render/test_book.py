"""A volume assembled as numbered HTML chapters (render/book.py), on the small fixture project:
what both the PDF and the DOCX print."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import edit
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.book import BookChapter, VolumeBook, book_environment, roman
from masterplan_kit.render.pandoc import project_fragments

PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100"/></svg>\n'


@pytest.fixture
def assemble(small: Path):
    """The chapters of a volume of the fixture project (with a picture in its Profil Kota, and that
    chapter in Buku 2 as well), as (front, body)."""
    (small / "masterplan" / "assets" / "peta.svg").write_text(PICTURE, encoding="utf-8")
    edit(small, "masterplan/chapters/profil.md", "## Lingkungan",
         "![Peta kota](../assets/peta.svg)\n\n## Lingkungan")
    edit(small, "masterplan/masterplan.yml", "contents: [pengantar, pillars,", "contents: [pengantar, profil, pillars,")
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    env = book_environment(small)
    fragments = project_fragments(project)

    def chapters(volume_id: str) -> tuple[list[BookChapter], list[BookChapter]]:
        volume = next(v for v in project.edition.volumes if v.id == volume_id)
        return VolumeBook(project, volume, env, fragments).chapters()

    return chapters


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]


def test_chapters_are_numbered_bab_and_the_annex_lampiran(assemble):
    front, body = assemble("buku-2")
    assert [(ch.key, ch.label) for ch in front] == [("pengantar", "")]
    assert [ch.bookmark for ch in body] == [
        "BAB I Profil Kota", "BAB II Pilar Smart Governance", "BAB III Pilar Smart Environment",
        "BAB IV Peta Jalan", "BAB V Quick Wins", "LAMPIRAN Matriks Program"]
    assert [ch.number for ch in body] == ["1", "2", "3", "4", "5", ""]


def test_sections_are_numbered_within_their_chapter(assemble):
    _front, body = assemble("buku-2")
    governance = body[1]
    assert [(e.label, e.title) for e in governance.headings] == [("2.1", "Kondisi"), ("2.2", "Program"), ("2.3", "Peta Jalan")]
    assert '<span class="secno">2.2.1</span> Elemen Pelayanan Publik' in governance.html  # a section's subsections
    assert '<span class="secno">1.1</span> Wilayah' in body[0].html
    assert all(e.anchor in governance.html for e in governance.headings)


def test_tables_and_figures_are_numbered_per_chapter(assemble):
    _front, body = assemble("buku-2")
    profil, governance, environment = body[0], body[1], body[2]
    assert [e.label for e in profil.tables] == ["Tabel 1.1"] and [e.label for e in profil.figures] == ["Gambar 1.1"]
    assert [(e.label, e.title) for e in governance.tables] == [
        ("Tabel 2.1", "Elemen pilar Smart Governance"), ("Tabel 2.2", "Daftar program (pilar Smart Governance)")]
    assert [(e.label, e.title) for e in environment.figures] == [("Gambar 3.1", "Peta jalan Smart Environment 2024–2026")]
    assert f'<caption id="{governance.tables[1].anchor}">Tabel 2.2 Daftar program' in governance.html
    assert "<figcaption>Gambar 1.1 Peta kota</figcaption>" in profil.html
    annex = body[-1]
    assert [e.label for e in annex.tables] == ["Tabel L.1"]


def test_ids_are_unique_in_the_volume(assemble):
    front, body = assemble("buku-2")
    ids = Counter(i for ch in front + body for i in re.findall(r'\bid="([^"]+)"', ch.html))
    ids.update(ch.key for ch in front + body)  # the chapters' own (their headings in the templates)
    assert ids and max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]


def test_links_resolve_inside_the_volume_or_stay_as_text(assemble):
    front, body = assemble("buku-2")
    ids = {i for ch in front + body for i in re.findall(r'\bid="([^"]+)"', ch.html)} | {ch.key for ch in body}
    profil = body[0].html
    assert re.search(r'<a href="#prog-portal-warga"[^>]*>Portal Warga</a>', profil)
    assert re.search(r'<a href="#pilar-governance"[^>]*>pilar tata kelola</a>', profil)
    targets = {h for ch in front + body for h in re.findall(r'href="#([^"]+)"', ch.html)}
    assert targets and targets <= ids  # every link of the volume finds its anchor in it
    _front, alone = assemble("buku-1")  # no pillars there: the links' text stays, unlinked
    text = alone[0].html
    assert "Portal Warga" in _text(text) and "pilar tata kelola" in _text(text)
    assert 'href="#' not in text and 'href="#"' not in text


def test_footnotes_become_page_footnotes(assemble):
    _front, body = assemble("buku-1")
    html = body[0].html
    assert re.search(r'<span class="footnote">Angka ilustratif\.</span>', html)
    assert "footnote-ref" not in html and 'class="footnotes' not in html  # no list of notes at the end


def test_images_are_file_urls_resolved_from_their_source_file(assemble, small: Path):
    _front, body = assemble("buku-1")
    src = re.search(r'<img src="([^"]+)"', body[0].html)
    assert src and src.group(1) == (small / "masterplan" / "assets" / "peta.svg").resolve().as_uri()


@pytest.mark.parametrize(("nip", "printed"), [(None, None), ("", ""), ("19700101 199003 1 001", "19700101 199003 1 001")])
def test_signature_block_prints_a_nip_only_for_a_civil_servant(small: Path, nip, printed):
    """An elected official (no ``nip``) signs without a NIP line; an empty one leaves a line to fill in."""
    from masterplan_kit.model.edition import Signature
    from masterplan_kit.render.pdf import Lists, front_html, volume_setting

    project, _ = load_and_check(small)
    project.edition.signature = Signature(place="Kota Contoh", date="2025-02-28", office="Wali Kota Contoh", nip=nip)
    volume = project.edition.volumes[0]
    setting = volume_setting(project, volume, book_environment(small))
    front, _body = VolumeBook(project, volume, setting.env, project_fragments(project)).chapters()
    html = front_html(setting, front, Lists([], [], [], []))
    block = re.search(r'<div class="signature">(.*?)</div>', html, re.S)
    assert block and "Wali Kota Contoh" in block.group(1) and "28 Februari 2025" in block.group(1)
    assert '<span class="blank-line"></span>' in block.group(1)  # no name: a line to write it on
    nip_line = re.search(r'<p class="nip">NIP (.*?)</p>', block.group(1))
    if printed is None:
        assert nip_line is None
    else:
        assert nip_line and (printed in nip_line.group(1) if printed else "blank-line" in nip_line.group(1))


def test_names_keep_their_hyphen_on_one_line():
    from masterplan_kit.render.book import keep_names_whole

    page = ('<p>Layanan e-Kelurahan dan SP4N-LAPOR! di Samarinda.</p>'
            '<table><tr><td>APBD-Prov</td><td>berbasis-data</td></tr></table>')
    out = keep_names_whole(page)
    assert '<span class="nh nb">e-Kelurahan</span>' in out and '<span class="nh nb">SP4N-LAPOR</span>!' in out
    assert '<span class="nh">Samarinda</span>' in out
    assert '<td><span class="nb">APBD-Prov</span></td><td>berbasis-data</td>' in out  # in a table too; words stay


def test_first_and_last_rows_of_a_table_body_are_marked():
    from masterplan_kit.render.book import mark_row_ends

    table = '<table><tbody><tr class="odd"><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr></tbody></table>'
    assert mark_row_ends(table) == ('<table><tbody><tr class="mp-row-first odd"><td>1</td></tr><tr><td>2</td></tr>'
                                    '<tr class="mp-row-last"><td>3</td></tr></tbody></table>')
    short = "<table><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table>"
    assert mark_row_ends(short) == short  # two rows: nothing to keep apart
