"""The DOCX pandoc wrote, finished as a reviewer expects it in Word or LibreOffice.

* The contents and the lists of tables and figures get their page numbers: each line ends in a
  ``PAGEREF`` field to its heading's bookmark after a dotted tab. Word updates them on opening
  (the document asks it to), LibreOffice computes them as it lays the pages out. (A ``TOC`` field
  would be left empty by LibreOffice, or show numbers nobody computed.)
* The volume's paper (A4 or A5) and margins, no header or footer on the cover, the annex on
  landscape pages as in the PDF; the front matter numbered i, ii …, the body from 1 at its first
  chapter, as in the PDF (a contents line to a front-matter page asks for a roman number).
* The header shows the volume's title also where fields are not computed (Word's Protected View,
  web and phone viewers); the document's properties carry the edition's date, not pandoc's.
* A table row never breaks across pages; "Rp" never ends a line apart from its amount.
* Every SVG picture gets the PNG that Word versions before 2016 and other readers show (Word's own
  way: the PNG in the picture, the SVG as its extension).
* Tables span the text width: their grid is scaled to it; one too wide for its words is set in
  smaller type.
* Pandoc's title block goes (the cover says it), and a picture's name is not its data URI.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape as xml_escape

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MM = 56.7  # twentieths of a point in a millimetre
PNG_SCALE = 2.0  # the PNG fallback at twice the SVG's size: about 230 dpi across an A4 text block


@dataclass(frozen=True)
class Paper:
    """A page and its margins in millimetres (the PDF's, templates/pdf/paper-*.css)."""

    width: float
    height: float
    top: float
    outer: float
    bottom: float
    inner: float
    header: float = 12.5
    footer: float = 10.0

    landscape: bool = False

    @property
    def text_width(self) -> float:
        return self.width - self.inner - self.outer

    def turned(self) -> Paper:
        """The same paper in landscape (the annex's wide tables), with the same margins."""
        return replace(self, width=self.height, height=self.width, landscape=not self.landscape)

    def twips(self, mm: float) -> int:
        return round(mm * MM)


PAPERS = {"A4": Paper(210, 297, 25, 20, 22, 25), "A5": Paper(148, 210, 16, 13, 16, 16, 8, 7)}


def section(paper: Paper, first: bool, numbering: str = "") -> str:
    """Section properties: the paper and its margins, the header and footer on every page but the
    cover (the first section's first page); ``numbering`` is "roman" (the front matter, from i),
    "restart" (the body, from 1) or "" (the numbers run on)."""
    t = paper.twips
    orient = ' w:orient="landscape"' if paper.landscape else ""
    pages = {"roman": '<w:pgNumType w:fmt="lowerRoman" w:start="1" />',
             "restart": '<w:pgNumType w:fmt="decimal" w:start="1" />'}.get(numbering, "")
    return ('<w:sectPr><w:headerReference w:type="default" r:id="rIdMpHeader" />'
            '<w:footerReference w:type="default" r:id="rIdMpFooter" />'
            '<w:footnotePr><w:numRestart w:val="continuous" /></w:footnotePr>'
            + ("" if first else '<w:type w:val="nextPage" />')
            + f'<w:pgSz w:w="{t(paper.width)}" w:h="{t(paper.height)}"{orient} />'
            f'<w:pgMar w:top="{t(paper.top)}" w:right="{t(paper.outer)}" w:bottom="{t(paper.bottom)}" '
            f'w:left="{t(paper.inner)}" w:header="{t(paper.header)}" w:footer="{t(paper.footer)}" w:gutter="0" />'
            + pages + ("<w:titlePg />" if first else "") + "</w:sectPr>")


_BREAK = re.compile(r'<w:p><w:pPr><w:pStyle w:val="(SectionBreak|BodyStart)" /></w:pPr>.*?</w:p>', re.S)


def sections(doc: str, paper: Paper) -> str:
    """The volume's sections: where its HTML marks a ``Section Break`` the paper turns (to landscape
    for the annex, and back); where it marks the ``Body Start`` the numbering restarts at 1 in
    arabic numerals (the front matter before it is numbered in roman). Each section's tables are
    fitted to its text width. Two marks in a row make one section."""
    body_end = _LAST_SECTION.search(doc)
    assert body_end is not None, "pandoc writes the document's section properties last"
    parts = _BREAK.split(doc[: body_end.start()])
    has_body = "BodyStart" in parts[1::2]
    chunks, marks = parts[0::2], parts[1::2]
    out = []
    landscape, numbering, first = False, "roman" if has_body else "", True
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        if chunk.strip() or last or first:
            here = paper.turned() if landscape else paper
            out.append(table_grids(chunk, here))
            props = section(here, first=first, numbering=numbering)
            out.append(props if last else f"<w:p><w:pPr>{props}</w:pPr></w:p>")
            numbering, first = "", False
        if not last:
            if marks[n] == "SectionBreak":
                landscape = not landscape
            else:
                numbering = "restart"
    return "".join(out) + doc[body_end.start(1):]


def _field(code: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate" /></w:r><w:r><w:t></w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end" /></w:r>')


_LIST_LINE = re.compile(r'<w:p><w:pPr><w:pStyle w:val="(TOC1|TOC2|TableofFigures)" /></w:pPr>(.*?)</w:p>', re.S)
_HYPERLINK = re.compile(r'<w:hyperlink w:anchor="([^"]+)"[^>]*>(.*?)</w:hyperlink>', re.S)
_LINK_STYLE = re.compile(r'<w:rPr><w:rStyle w:val="Hyperlink" /></w:rPr>')


_BOOKMARK_NAME = re.compile(r'<w:bookmarkStart [^>]*w:name="([^"]+)"')


def page_references(doc: str, paper: Paper) -> str:
    """The lines of the contents and lists: plain text, a dotted tab, the page of their target
    (in roman numerals for a target in the front matter, before the ``Body Start``)."""
    tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{paper.twips(paper.text_width)}" /></w:tabs>'
    body = doc.find('<w:pStyle w:val="BodyStart" />')
    front = set(_BOOKMARK_NAME.findall(doc[:body])) if body >= 0 else set()

    def line(m: re.Match) -> str:
        def link(h: re.Match) -> str:
            runs = _LINK_STYLE.sub("", h.group(2))
            roman = " \\* roman" if h.group(1) in front else ""
            page = _field("PAGEREF " + h.group(1) + " \\h" + roman)
            return f'<w:hyperlink w:anchor="{h.group(1)}" w:history="1">{runs}<w:r><w:tab /></w:r>{page}</w:hyperlink>'

        return f'<w:p><w:pPr><w:pStyle w:val="{m.group(1)}" />{tab}</w:pPr>{_HYPERLINK.sub(link, m.group(2), count=1)}</w:p>'

    return _LIST_LINE.sub(line, doc)


_BODY_BOOKMARKS = re.compile(r"((?:<w:bookmarkStart [^>]*/>\s*)+)<w:p>(<w:pPr>.*?</w:pPr>)?", re.S)
_BOOKMARK_START = re.compile(r'<w:bookmarkStart w:id="(\d+)"[^>]*/>')
_BOOKMARK_END = re.compile(r'<w:bookmarkEnd w:id="\d+" />\s*')


def bookmarks(doc: str) -> str:
    """Bookmarks as points at the start of the paragraph they mark (a heading, a caption): pandoc
    spans them over a whole section, between paragraphs, and LibreOffice loses those that end after
    a table, so the page references to them fail. A link or a page reference needs only the point."""
    doc = _BOOKMARK_END.sub("", doc)
    doc = _BODY_BOOKMARKS.sub(lambda m: f"<w:p>{m.group(2) or ''}{m.group(1).strip()}", doc)
    return _BOOKMARK_START.sub(lambda m: f'{m.group(0)}<w:bookmarkEnd w:id="{m.group(1)}" />', doc)


_COVER_FOOT = re.compile(r'<w:pStyle w:val="CoverFoot" />')
FOOT_FRAME = ('<w:framePr w:wrap="around" w:vAnchor="margin" w:hAnchor="margin" w:xAlign="center" '
              'w:yAlign="bottom" />')


def cover_foot(doc: str) -> str:
    """The cover's foot in a frame at the foot of the page (LibreOffice reads a frame only from
    the paragraph itself, Word from the style as well)."""
    return _COVER_FOOT.sub(lambda m: m.group(0) + FOOT_FRAME, doc)


_TITLE_BLOCK = re.compile(r'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="(?:Title|Subtitle|Author|Date|AbstractTitle|Abstract)" />'
                          r".*?</w:p>", re.S)
_LAST_SECTION = re.compile(r"<w:sectPr>(?:(?!<w:sectPr>).)*</w:sectPr>(\s*</w:body>)", re.S)


_GRID = re.compile(r"<w:tblGrid>(.*?)</w:tblGrid>", re.S)
_GRID_COL = re.compile(r'<w:gridCol w:w="(\d+)" />')
_TABLE_WIDTH = re.compile(r'<w:tblW w:type="pct" w:w="\d+" />')


def table_grids(doc: str, paper: Paper) -> str:
    """Each table as wide as the text, its grid scaled to it (pandoc draws it for a page of its own,
    and its width is the sum of rounded percentages)."""
    width = paper.twips(paper.text_width)

    def grid(m: re.Match) -> str:
        cols = [int(c) for c in _GRID_COL.findall(m.group(1))]
        total = sum(cols)
        if not total:
            return m.group(0)
        scaled = [round(c * width / total) for c in cols]
        return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{c}" />' for c in scaled) + "</w:tblGrid>"

    return _TABLE_WIDTH.sub('<w:tblW w:type="pct" w:w="5000" />', _GRID.sub(grid, doc))


_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_SMALL_MARK = re.compile(r'<w:rPr><w:rStyle w:val="SmallTable" /></w:rPr>|<w:rStyle w:val="SmallTable" />')


def small_tables(doc: str) -> str:
    """Tables marked as too wide for their words (docx_html.py) set in the smaller cell style."""

    def table(m: re.Match) -> str:
        if "SmallTable" not in m.group(0):
            return m.group(0)
        return _SMALL_MARK.sub("", m.group(0)).replace('<w:pStyle w:val="Compact" />', '<w:pStyle w:val="CompactSmall" />')

    return _TABLE.sub(table, doc)


_SVG_BLIP = re.compile(r'<a:blip>(<a:extLst>.*?<asvg:svgBlip [^>]*r:embed="([^"]+)" />.*?</a:extLst>)</a:blip>', re.S)
_REL = re.compile(r'<Relationship [^>]*/>')


def png_fallbacks(parts: dict[str, bytes]) -> None:
    """A PNG for every SVG picture, in the picture's main blip (``parts`` is changed in place)."""
    doc = parts["word/document.xml"].decode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    targets = {}
    for rel in _REL.findall(rels):
        ident, target = re.search(r'Id="([^"]+)"', rel), re.search(r'Target="([^"]+)"', rel)
        if ident and target:
            targets[ident.group(1)] = target.group(1)
    added: dict[str, str] = {}

    def blip(m: re.Match) -> str:
        svg_id = m.group(2)
        if svg_id not in added:
            svg = parts.get(f"word/{targets.get(svg_id, '')}")
            png = svg_png(svg) if svg is not None else None
            if png is None:
                return m.group(0)
            name = f"media/{svg_id}.png"
            parts[f"word/{name}"] = png
            added[svg_id] = f"{svg_id}png"
            rels_add.append(f'<Relationship Id="{svg_id}png" Type="{R_NS}/image" Target="{name}" />')
        return f'<a:blip r:embed="{added[svg_id]}">{m.group(1)}</a:blip>'

    rels_add: list[str] = []
    doc = _SVG_BLIP.sub(blip, doc)
    if not rels_add:
        return
    parts["word/document.xml"] = doc.encode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", "".join(rels_add) + "</Relationships>").encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("</Types>", '<Default Extension="png" ContentType="image/png" /></Types>')
        parts["[Content_Types].xml"] = types.encode("utf-8")


def svg_png(svg: bytes) -> bytes | None:
    """The SVG drawn as a PNG (CairoSVG), on white: a chart's background is the page. None on a
    machine without the Cairo library: the picture is then SVG only (Word 2016 on, LibreOffice)."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    return cairosvg.svg2png(bytestring=svg, scale=PNG_SCALE, background_color="white")


_ROW = re.compile(r"<w:tr>(<w:trPr>)?")
_RUPIAH = re.compile(r"\bRp (?=[0-9])")


def rows_kept_whole(doc: str) -> str:
    """Every table row on one page (a row split across pages leaves half a programme on each)."""
    return _ROW.sub(lambda m: "<w:tr><w:trPr><w:cantSplit />" if m.group(1) else "<w:tr><w:trPr><w:cantSplit /></w:trPr>", doc)


def header_title(header: str, title: str) -> str:
    """The header's ``TITLE`` field with the title as its shown value, for viewers that do not
    compute fields."""
    return header.replace("<w:t>1</w:t>", f"<w:t>{xml_escape(title)}</w:t>", 1)


_CREATED = re.compile(r"(<dcterms:(?:created|modified) [^>]*>)[^<]*(</dcterms:)")


def properties(parts: dict[str, bytes], created: str) -> None:
    """The core properties dated by the sources (pandoc writes the epoch), the extended ones naming
    no word processor and counting nothing that is not counted (``parts`` is changed in place)."""
    core = parts.get("docProps/core.xml")
    if core is not None:
        parts["docProps/core.xml"] = _CREATED.sub(rf"\g<1>{created}\2", core.decode("utf-8")).encode("utf-8")
    if "docProps/app.xml" in parts:
        parts["docProps/app.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            b"<Application>masterplan</Application><DocSecurity>0</DocSecurity></Properties>")


def finish(data: bytes, paper: Paper, title: str = "", created: str = "") -> bytes:
    """The finished DOCX (see the module's docstring); ``title`` for the header, ``created`` (an
    ISO timestamp) for the document's properties."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    doc = parts["word/document.xml"].decode("utf-8")
    doc = _TITLE_BLOCK.sub("", doc)
    doc = re.sub(r'(<pic:cNvPr descr=")data:[^"]*"', r'\1"', doc)
    doc = bookmarks(doc)
    doc = cover_foot(doc)
    doc = page_references(doc, paper)
    doc = sections(doc, paper)
    doc = small_tables(doc)
    doc = rows_kept_whole(doc)
    doc = _RUPIAH.sub("Rp\u00a0", doc)
    parts["word/document.xml"] = doc.encode("utf-8")
    if title and "word/header1.xml" in parts:
        parts["word/header1.xml"] = header_title(parts["word/header1.xml"].decode("utf-8"), title).encode("utf-8")
    if created:
        properties(parts, created)
    png_fallbacks(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, body)
    return out.getvalue()
