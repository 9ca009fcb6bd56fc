"""The volume's HTML made ready for pandoc's DOCX writer: column widths, pictures, footnotes."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from masterplan_kit.render.docx_html import Page, column_widths, footnotes, pictures, standalone, tables, text_width_mm

TABLE = """<table><caption id="bab--tabel-1">Tabel 1.1 Anggaran</caption>
<thead><tr><th>Pilar</th><th class="mp-num">Jumlah</th></tr></thead>
<tbody><tr><td><a href="#pilar-x">Smart Governance</a></td><td class="mp-num">Rp 37.320.000.000</td></tr>
<tr><td>Smart Environment dengan nama yang panjang sekali sampai melewati lebar kolomnya sendiri</td>
<td class="mp-num">Rp 1.000</td></tr></tbody></table>"""


def test_a_column_is_as_wide_as_its_longest_word_and_the_rest_is_shared_by_need():
    widths, small = column_widths(TABLE, 165)
    assert not small and abs(sum(widths) - 100) < 1e-6
    amount = 165 * widths[1] / 100
    assert amount >= text_width_mm("Rp 37.320.000.000")  # an amount is never split
    assert widths[0] > widths[1]  # the long text takes what is left


def test_a_table_too_wide_for_its_words_is_set_smaller():
    cells = "".join(f"<td>Rp {n}.000.000.000</td>" for n in range(10, 17))
    widths, small = column_widths(f"<table><tr>{cells}</tr></table>", 165)
    assert small and len(widths) == 7


def test_rows_under_a_cell_spanning_rows_keep_their_columns():
    html = ("<table><tr><td rowspan='2'>A</td><td>x</td><td>Rp 1.000</td></tr>"
            "<tr><td>y</td><td>Rp 2.000.000.000.000.000</td></tr></table>").replace("'", '"')
    widths, _ = column_widths(html, 165)
    assert widths[2] == max(widths)  # the long amount counted in the third column, not the second


def test_tables_lose_their_links_and_keep_their_caption_as_an_anchor():
    out = tables(TABLE, Page())
    assert "<a " not in out and "Smart Governance" in out
    assert out.startswith('<div id="bab--tabel-1"><table>') and "<caption>Tabel 1.1" in out
    assert len(re.findall(r'<col style="width: [\d.]+%">', out)) == 2
    assert 'class="mp-num" style="text-align: right"' in out


def test_inline_svg_becomes_a_picture_fitted_to_the_text_width():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 760 200" width="760" height="200"><title>Peta</title></svg>'
    out = pictures(f"<figure>{svg}<figcaption>Gambar 1.1 Peta</figcaption></figure>", Path("/nowhere"), Page())
    img = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="Peta" width="16.50cm">', out)
    assert img and base64.b64decode(img.group(1)).decode() == svg


def test_a_file_image_is_embedded_only_from_inside_the_project(tmp_path: Path):
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"></svg>')
    inside = pictures(f'<img src="{(tmp_path / "a.svg").as_uri()}" alt="a">', tmp_path, Page())
    assert 'src="data:image/svg+xml;base64,' in inside and 'width="5.29cm"' in inside
    outside = pictures('<img src="file:///etc/hostname" alt="b">', tmp_path, Page())
    assert outside == '<img src="file:///etc/hostname" alt="b">'


def test_chart_ids_are_numbered_within_the_picture():
    one = '<svg id="bc-pillar-3" aria-labelledby="bc-pillar-3-title"><title id="bc-pillar-3-title">T</title></svg>'
    two = one.replace("-3", "-8")
    assert standalone(one) == standalone(two) == '<svg id="svg0" aria-labelledby="svg1"><title id="svg1">T</title></svg>'


def test_footnotes_become_notes_pandoc_reads():
    page = '<body><p>Teks.<span class="footnote">Catatan <span class="nh">Samarinda</span>.</span> Lagi.</p></body>'
    out = footnotes(page)
    assert '<a href="#mpfn1" class="footnote-ref" id="mpfnref1" role="doc-noteref"><sup>1</sup></a> Lagi.' in out
    assert out.endswith('<aside class="footnotes" role="doc-endnotes"><ol><li id="mpfn1"><p>Catatan '
                        '<span class="nh">Samarinda</span>.</p></li></ol></aside></body>')


def test_legends_and_notes_are_table_notes():
    from masterplan_kit.render.docx_html import notes

    page = ('<p class="mp-legend"><span class="mp-badge mp-qw">QW</span> <span lang="en">quick win</span>: cepat.</p>'
            '<p class="mp-note">Anggaran dalam juta rupiah.</p><p>Teks.</p>')
    assert notes(page) == ('<div custom-style="Table Note"><p><span class="mp-badge mp-qw">QW</span> = '
                           '<span lang="en">quick win</span>: cepat.</p></div>'
                           '<div custom-style="Table Note"><p>Anggaran dalam juta rupiah.</p></div><p>Teks.</p>')
