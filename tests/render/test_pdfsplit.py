"""Chapters rendered in pieces: cut only where the chapter's continuous layout begins a page, each
piece laid out (byte for byte) as those pages of the whole chapter, a wrong guess detected."""

from __future__ import annotations

import pytest

from masterplan_kit.render import pdfsplit
from masterplan_kit.render.pdfcaptions import caption_rows, first_headers
from masterplan_kit.render.pdfsplit import Chapter, Plan, Rendered, Unsplittable, cut_document

STYLE = """@page { size: A5; margin: 20mm 15mm 20mm 20mm; } @page :left { margin-left: 15mm; margin-right: 20mm; }
body { font: 10pt/1.4 serif; } p { margin: .5em 0; orphans: 2; widows: 2; }
table { width: 100%; border-collapse: collapse; margin: .4em 0 1em; } caption { font-weight: bold; }
td, th { border: .5pt solid #999; padding: 2pt; } thead { display: table-header-group; } tr { break-inside: avoid; }
.box { padding: 4pt; border: 1pt solid #333; margin: 1em 0; }
.footnote { float: footnote; } .chapter { counter-reset: footnote; }
.mp-lead { height: 3000mm; margin: 0; padding: 0; border: 0; }
.mp-cont { margin-top: 0 !important; padding-top: 0 !important; border-top-width: 0 !important; }"""


def chapter_html(paragraphs: int = 30, rows: int = 90) -> str:
    text = " ".join(["Rencana kerja kota disusun bersama warga dan perangkat daerah."] * 6)
    body = [f'<p id="p{i}">{i}. {text}' + ('<span class="footnote">Catatan.</span>' if i % 7 == 3 else "") + "</p>"
            for i in range(paragraphs)]
    table = ('<div class="box"><table><caption>Tabel 1.1 Daftar</caption><thead><tr><th>No</th><th>Program</th></tr>'
             "</thead><tbody>" + "".join(f'<tr id="r{i}"><td>{i}</td><td>Program {i} {"kota " * (i % 9)}</td></tr>'
                                         for i in range(rows)) + "</tbody></table></div>")
    return (f"<!doctype html><html><head><meta charset=utf-8><style>{STYLE}</style></head><body>"
            f'<section class="chapter" id="bab"><h1>Bab</h1>{"".join(body[:paragraphs // 2])}{table}'
            f'{"".join(body[paragraphs // 2:])}</section></body></html>')


def render(text: str):
    from weasyprint import HTML

    doc = HTML(string=text).render()
    first_headers(doc)  # as the book renders: "(lanjutan)" only in the headers a table repeats
    return doc


@pytest.fixture(scope="module")
def chapter(monkeypatch_module) -> Chapter:
    monkeypatch_module.setattr(pdfsplit, "TARGET", 60)  # pieces of a few pages in a short chapter
    return Chapter(caption_rows(chapter_html()))


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_candidates_are_blocks_and_table_rows(chapter: Chapter):
    tags = {chapter.nodes[i].tag for i in chapter.cands}
    assert tags == {"p", "div", "table", "tbody", "tr"}
    assert "#r5" in chapter.by_id and "#p3" in chapter.by_id  # an id attribute names a block
    assert chapter.checkpoint  # some chosen, by content


def test_a_piece_reopens_what_it_continues(chapter: Chapter):
    text = chapter.piece_text("#r40", "#p20", left=True)
    assert text.count('class="mp-lead"') == 1  # one lead-in page: it begins on a left-hand page
    assert 'class="box mp-cont"' in text and "<thead>" in text and "(lanjutan)" in text
    assert "counter-reset: footnote 2" in text  # footnotes 1 and 2 are in the paragraphs before
    assert 'data-mp-next=""' in text and text.index('id="r40"') < text.index('id="p20"')
    assert 'id="r39"' not in text
    assert chapter.piece_text("#r40", "#p20", left=False).count('class="mp-lead"') == 2


def test_unbalanced_html_renders_whole():
    with pytest.raises(Unsplittable):
        Chapter("<html><body><section><div><p>x</section></body></html>")
    plan = Plan("<html><body><section><div></section></body></html>", "", None)
    assert plan.jobs() == [plan.text]


def test_pieces_lay_out_as_the_whole_chapter(chapter: Chapter):
    doc = render(chapter.whole())
    layout = cut_document(doc)
    assert layout is not None and layout.rest is None
    cuts = layout.cuts
    assert len(cuts) >= 3 and cuts[0].start == "" and cuts[-1].until == ""
    assert [c.first for c in cuts[1:]] == [c.end for c in cuts[:-1]] and cuts[-1].end == len(doc.pages)
    for cut in cuts:
        whole = doc.copy(doc.pages[cut.first:cut.end]).write_pdf()
        alone = render(chapter.piece_text(cut.start, cut.until, left=cut.first % 2 == 1))
        again = cut_document(alone)
        assert again is not None and again.rest is None and len(again.cuts) == 1
        piece = again.cuts[0]
        assert (piece.start, piece.until, piece.end - piece.first) == (cut.start, cut.until, cut.end - cut.first)
        assert alone.copy(alone.pages[piece.first:piece.end]).write_pdf() == whole


def test_a_wrong_guess_is_found_and_the_piece_extended(chapter: Chapter):
    doc = render(chapter.whole())
    layout = cut_document(doc)
    assert layout is not None
    second = layout.cuts[1]
    # a block in the middle of the second piece's first page cannot begin a page
    ids = [chapter.ids[i] for i in chapter.cands]
    wrong = ids[ids.index(second.start) + 2]
    alone = cut_document(render(chapter.piece_text(second.start, wrong, left=second.first % 2 == 1)))
    assert alone is not None and alone.cuts == [] and alone.rest == second.start

    plan = Plan(chapter.text, "", {"pieces": [["", second.start, False, 1, ""], [second.start, wrong, False, 1, ""]]})
    results: dict[str, Rendered] = {}
    for _ in range(6):
        if plan.done:
            break
        for text in plan.jobs():
            if text not in results:
                d = render(text)
                got = cut_document(d)
                assert got is not None
                results[text] = Rendered([pdfsplit.Piece(b"", c.end - c.first, {}, c.start, c.until, c.first % 2 == 1)
                                          for c in got.cuts], got.rest)
        plan.advance(results.get)
    assert plan.done
    assert [(p.start, p.until, p.pages) for p in plan.pieces] == [(c.start, c.until, c.end - c.first)
                                                                   for c in layout.cuts]


def test_a_continued_table_says_so():
    doc = render(caption_rows(chapter_html(paragraphs=6, rows=120)))
    pages = ["".join(_texts(p._page_box)) for p in doc.pages]
    assert "Tabel 1.1 Daftar" in pages[0] and "(lanjutan)" not in pages[0]
    continued = [t for t in pages[1:] if "Program" in t]
    assert len(continued) >= 2 and all("Tabel 1.1 Daftar\u00a0(lanjutan)" in t for t in continued)


def _texts(box) -> list[str]:
    out = [box.text] if type(box).__name__ == "TextBox" else []
    for child in getattr(box, "children", ()):
        out += _texts(child)
    return out
