"""Finishing the DOCX pandoc wrote: bookmarks, page references, sections and table grids."""

from __future__ import annotations

from masterplan_kit.render.docx_package import PAPERS, bookmarks, page_references, sections, table_grids

A4 = PAPERS["A4"]


def test_bookmarks_become_points_inside_the_paragraph_they_mark():
    doc = ('<w:bookmarkStart w:id="5" w:name="bab--tabel-1" /><w:p><w:pPr><w:pStyle w:val="TableCaption" /></w:pPr>'
           '<w:r><w:t>Tabel 1.1</w:t></w:r></w:p><w:tbl></w:tbl><w:bookmarkEnd w:id="5" />')
    assert bookmarks(doc) == ('<w:p><w:pPr><w:pStyle w:val="TableCaption" /></w:pPr><w:bookmarkStart w:id="5" '
                              'w:name="bab--tabel-1" /><w:bookmarkEnd w:id="5" /><w:r><w:t>Tabel 1.1</w:t></w:r></w:p><w:tbl></w:tbl>')


def test_a_contents_line_ends_in_a_page_reference_after_a_dotted_tab():
    line = ('<w:p><w:pPr><w:pStyle w:val="TOC2" /></w:pPr><w:hyperlink w:anchor="bab--latar">'
            '<w:r><w:rPr><w:rStyle w:val="Hyperlink" /></w:rPr><w:t>1.1 Latar</w:t></w:r></w:hyperlink></w:p>')
    out = page_references(line, A4)
    assert '<w:tab w:val="right" w:leader="dot" w:pos="9356" />' in out
    assert "<w:instrText xml:space=\"preserve\"> PAGEREF bab--latar \\h </w:instrText>" in out
    assert "Hyperlink" not in out  # a contents line in the text's colour


def test_the_annex_section_turns_the_paper_and_its_tables_fit_it():
    grid = '<w:tbl><w:tblGrid><w:gridCol w:w="100" /><w:gridCol w:w="300" /></w:tblGrid></w:tbl>'
    mark = '<w:p><w:pPr><w:pStyle w:val="SectionBreak" /></w:pPr><w:r><w:t>–</w:t></w:r></w:p>'
    doc = f"<w:body>{grid}{mark}{grid}<w:sectPr><w:pgSz /></w:sectPr></w:body>"
    out = sections(doc, A4)
    portrait, landscape = out.split("</w:sectPr></w:pPr></w:p>")
    assert '<w:gridCol w:w="2339" /><w:gridCol w:w="7017" />' in portrait and "<w:titlePg />" in portrait
    assert 'w:orient="landscape"' in landscape and '<w:pgSz w:w="16840" w:h="11907"' in landscape
    assert '<w:gridCol w:w="3572" /><w:gridCol w:w="10716" />' in landscape
    assert out.endswith("</w:sectPr></w:body>") and out.count("<w:sectPr>") == 2


def test_table_grids_span_the_text_width():
    out = table_grids('<w:tblW w:type="pct" w:w="4950" /><w:tblGrid><w:gridCol w:w="1" /></w:tblGrid>', PAPERS["A5"])
    assert out == '<w:tblW w:type="pct" w:w="5000" /><w:tblGrid><w:gridCol w:w="6747" /></w:tblGrid>'


def test_front_matter_in_roman_and_the_body_from_one():
    mark = '<w:p><w:pPr><w:pStyle w:val="{}" /></w:pPr><w:r><w:t>–</w:t></w:r></w:p>'
    doc = (f"<w:body><w:p>cover</w:p>{mark.format('BodyStart')}{mark.format('SectionBreak')}<w:p>annex</w:p>"
           "<w:sectPr><w:pgSz /></w:sectPr></w:body>")
    out = sections(doc, A4)
    front, annex = out.split("</w:sectPr></w:pPr></w:p>")  # the two marks in a row make one section
    assert '<w:pgNumType w:fmt="lowerRoman" w:start="1" />' in front and "<w:titlePg />" in front
    assert '<w:pgNumType w:fmt="decimal" w:start="1" />' in annex and 'w:orient="landscape"' in annex


def test_a_contents_line_to_the_front_matter_asks_for_a_roman_number():
    line = ('<w:p><w:pPr><w:pStyle w:val="TOC1" /></w:pPr><w:hyperlink w:anchor="{0}">'
            '<w:r><w:t>x</w:t></w:r></w:hyperlink></w:p>')
    doc = (line.format("kata") + line.format("bab") + '<w:p><w:pPr><w:bookmarkStart w:id="1" w:name="kata" />'
           '</w:pPr></w:p><w:p><w:pPr><w:pStyle w:val="BodyStart" /></w:pPr></w:p>'
           '<w:p><w:bookmarkStart w:id="2" w:name="bab" /></w:p>')
    out = page_references(doc, A4)
    assert " PAGEREF kata \\h \\* roman " in out and " PAGEREF bab \\h </w:instrText>" in out
