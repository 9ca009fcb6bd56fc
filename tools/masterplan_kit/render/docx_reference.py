"""Make templates/docx/reference.docx: pandoc's reference document with the masterplan's styles.

Run ``python -m masterplan_kit.render.docx_reference`` after changing the styles below; the
result is committed so that every build uses the same reference (and builds are reproducible).
Body text in Arial 11 pt, Indonesian as the proofing language (and its decimal comma), headings in
dark blue, tables in 9 pt with a light grid and a shaded header row; A4 with the PDF's margins (25 mm
inner, 20 mm outer, 25 mm top, 22 mm foot), a header with the document's title and a footer with the
page number; every chapter (Heading 1) on a new page; fields (the page numbers of the contents)
updated when Word opens the document. The custom styles of ``STYLES`` are those the volume's HTML
names (``<div custom-style="Cover Title">`` …): the cover, the imprint, the signature block, the
lines of the contents and of the lists of tables and figures.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

from ..templating import TOOLKIT_TEMPLATES

FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial" />'
ACCENT = "12365F"
TEXT_WIDTH = 9355  # A4 less the margins, in twentieths of a point: where right-aligned tabs stop


# the order WordprocessingML requires of paragraph and run properties (Word rejects a file otherwise)
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl"]
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
             "rtl", "cs", "em", "lang"]
_ELEMENT = re.compile(r"<w:(\w+)\b[^>]*/>|<w:(\w+)\b[^>]*>.*?</w:\2>", re.S)


def _ordered(properties: str, order: list[str]) -> str:
    parts = [(m.group(1) or m.group(2), m.group(0)) for m in _ELEMENT.finditer(properties)]
    return "".join(xml for _name, xml in sorted(parts, key=lambda p: order.index(p[0])))


def _para(style_id: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", nxt: str = "") -> str:
    """A custom paragraph style (pandoc applies it to ``<div custom-style="Name">`` in the volume's HTML)."""
    return (f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}" />'
            f'<w:basedOn w:val="{based}" />' + (f'<w:next w:val="{nxt}" />' if nxt else "")
            + f"<w:qFormat /><w:pPr>{_ordered(ppr, PPR_ORDER)}</w:pPr><w:rPr>{_ordered(rpr, RPR_ORDER)}</w:rPr></w:style>")


CENTRE = '<w:jc w:val="center" />'
BOLD = "<w:b /><w:bCs />"


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}" /><w:szCs w:val="{half_points}" />'


def _colour(rgb: str) -> str:
    return f'<w:color w:val="{rgb}" />'


def _spacing(before: int = 0, after: int = 0) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" />'


def _toc_tab(leader: str = "dot") -> str:
    return f'<w:tabs><w:tab w:val="right" w:leader="{leader}" w:pos="{TEXT_WIDTH}" /></w:tabs>'


GRID = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF" />'
               for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
# styles added to pandoc's reference, or replacing its own (by style id)
STYLES = {
    # tables: a light grid, 9 pt type, the header row bold on a pale band (repeated on every page)
    "Table": ('<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table" />'
              '<w:basedOn w:val="TableNormal" /><w:uiPriority w:val="59" /><w:qFormat />'
              f'<w:pPr>{_spacing(20, 20)}</w:pPr><w:rPr>{_size(18)}</w:rPr>'
              f'<w:tblPr><w:tblInd w:w="0" w:type="dxa" /><w:tblBorders>{GRID}</w:tblBorders>'
              '<w:tblCellMar><w:top w:w="28" w:type="dxa" /><w:left w:w="85" w:type="dxa" />'
              '<w:bottom w:w="28" w:type="dxa" /><w:right w:w="85" w:type="dxa" /></w:tblCellMar></w:tblPr>'
              f'<w:tblStylePr w:type="firstRow"><w:rPr>{BOLD}</w:rPr><w:tcPr>'
              '<w:shd w:val="clear" w:color="auto" w:fill="E3EAF2" /><w:vAlign w:val="bottom" /></w:tcPr></w:tblStylePr>'
              "</w:style>"),
    # a programme's title (under its element's heading): bold, not pandoc's italic
    "Heading4": ('<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4" /><w:basedOn w:val="Normal" />'
                 '<w:next w:val="BodyText" /><w:uiPriority w:val="9" /><w:unhideWhenUsed /><w:qFormat />'
                 f'<w:pPr><w:keepNext /><w:keepLines />{_spacing(240, 60)}<w:outlineLvl w:val="3" /></w:pPr>'
                 f'<w:rPr>{FONT}{BOLD}{_colour(ACCENT)}{_size(22)}</w:rPr></w:style>'),
    "CompactSmall": _para("CompactSmall", "Compact Small", _spacing(20, 20), _size(15), based="Compact"),
    "Caption": ('<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption" /><w:basedOn w:val="Normal" />'
                f'<w:qFormat /><w:pPr>{_spacing(120, 80)}</w:pPr><w:rPr>{_colour("333333")}{_size(19)}</w:rPr></w:style>'),
    "TableCaption": _para("TableCaption", "Table Caption", "<w:keepNext /><w:keepLines />", based="Caption"),
    "ImageCaption": _para("ImageCaption", "Image Caption", f"{CENTRE}{_spacing(60, 240)}", based="Caption"),
    "Figure": _para("Figure", "Figure", f"{CENTRE}{_spacing(120, 0)}"),
    "CaptionedFigure": _para("CaptionedFigure", "Captioned Figure", "<w:keepNext />", based="Figure"),
    "TableNote": _para("TableNote", "Table Note", _spacing(40, 200), f"{_colour('333333')}{_size(16)}"),
    "FootnoteText": _para("FootnoteText", "Footnote Text", _spacing(0, 40), _size(18), nxt="FootnoteText"),
    # the cover: a title page centred on the page, its foot (publisher, year, notice) at the foot of the page
    "CoverLogo": _para("CoverLogo", "Cover Logo", f"{CENTRE}{_spacing(600, 360)}"),
    "CoverCity": _para("CoverCity", "Cover City", f"{CENTRE}{_spacing(240, 240)}", f"{BOLD}<w:caps />{_size(28)}"),
    "CoverTitle": _para("CoverTitle", "Cover Title", f"{CENTRE}{_spacing(240, 360)}",
                        f"{BOLD}{_size(52)}{_colour(ACCENT)}"),
    "CoverVolume": _para("CoverVolume", "Cover Volume", f"{CENTRE}{_spacing(0, 120)}", _size(36)),
    "CoverSubtitle": _para("CoverSubtitle", "Cover Subtitle", f"{CENTRE}{_spacing(0, 120)}", f"<w:i />{_size(24)}"),
    "CoverPeriod": _para("CoverPeriod", "Cover Period", f"{CENTRE}{_spacing(240, 0)}", f"{BOLD}{_size(24)}"),
    "CoverFoot": _para("CoverFoot", "Cover Foot",
                       '<w:framePr w:wrap="around" w:vAnchor="margin" w:hAnchor="margin" w:xAlign="center" '
                       f'w:yAlign="bottom" />{CENTRE}{_spacing(0, 80)}', _size(20)),
    # the imprint on the back of the cover, the signature under the Kata Pengantar
    "ImprintTitle": _para("ImprintTitle", "Imprint Title", f"<w:pageBreakBefore />{_spacing(0, 240)}",
                          f"{BOLD}{_size(20)}", nxt="Imprint"),
    "Imprint": _para("Imprint", "Imprint", _spacing(0, 100), _size(18)),
    "Signature": _para("Signature", "Signature", f'<w:keepNext /><w:keepLines /><w:ind w:left="5200" />{_spacing(0, 0)}'),
    "SignatureSpace": _para("SignatureSpace", "Signature Space", f"<w:keepNext />{_spacing(1100, 0)}",
                            based="Signature"),
    "SectionBreak": _para("SectionBreak", "Section Break"),  # docx_package.py puts the section's end there
    # the contents and the lists of tables and figures: page numbers after a dotted leader
    "TOC1": _para("TOC1", "toc 1", f"{_toc_tab()}{_spacing(120, 20)}", BOLD),
    "TOC2": _para("TOC2", "toc 2", f'{_toc_tab()}<w:ind w:left="440" />{_spacing(0, 20)}'),
    "TableofFigures": _para("TableofFigures", "table of figures", f'{_toc_tab()}{_spacing(0, 40)}'),
}


def _styles(xml: str) -> str:
    xml = re.sub(r"<w:rFonts [^>]*/>", FONT, xml, count=1)
    xml = xml.replace('<w:sz w:val="24" />', '<w:sz w:val="22" />', 1).replace('<w:szCs w:val="24" />', '<w:szCs w:val="22" />', 1)
    xml = xml.replace('<w:lang w:val="en-US"', '<w:lang w:val="id-ID"', 1)
    # headings: Arial, the accent colour, pandoc's theme fonts replaced
    xml = re.sub(r'<w:rFonts w:asciiTheme="majorHAnsi"[^>]*/>', FONT, xml)
    xml = re.sub(r'<w:rFonts w:eastAsiaTheme="majorEastAsia"[^>]*/>', FONT, xml)
    xml = re.sub(r'<w:color w:val="[0-9A-Fa-f]{6}"[^>]*/>', f'<w:color w:val="{ACCENT}" />', xml)
    for style_id, style in STYLES.items():
        pattern = re.compile(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', re.S)
        xml, found = pattern.subn(style.replace("\\", "\\\\"), xml, count=1)
        if not found:
            xml = xml.replace("</w:styles>", style + "</w:styles>")
    return xml


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SMALL = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" /><w:i /><w:color w:val="555555" /><w:sz w:val="16" /></w:rPr>'


def _field(code: str, align: str) -> str:
    """A paragraph showing a field (``TITLE``, ``PAGE``), computed by Word and LibreOffice."""
    return (f'<w:p><w:pPr><w:jc w:val="{align}" /></w:pPr>'
            f'<w:r>{SMALL}<w:fldChar w:fldCharType="begin" /></w:r>'
            f'<w:r>{SMALL}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            f'<w:r>{SMALL}<w:fldChar w:fldCharType="separate" /></w:r>'
            f'<w:r>{SMALL}<w:t>1</w:t></w:r>'
            f'<w:r>{SMALL}<w:fldChar w:fldCharType="end" /></w:r></w:p>')


HEADER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}>{_field("TITLE", "right")}</w:hdr>'
FOOTER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}>{_field("PAGE", "center")}</w:ftr>'
# A4 in twentieths of a point, the PDF's margins (mm × 56.7)
SECTION = (f'<w:headerReference xmlns:r="{R}" w:type="default" r:id="rIdMpHeader" />'
           f'<w:footerReference xmlns:r="{R}" w:type="default" r:id="rIdMpFooter" />'
           '<w:pgSz w:w="11906" w:h="16838" />'
           '<w:pgMar w:top="1417" w:right="1134" w:bottom="1247" w:left="1417" w:header="709" w:footer="567" w:gutter="0" />')


def _document(xml: str) -> str:
    return re.sub(r"<w:sectPr>", "<w:sectPr>" + SECTION, xml, count=1)


def _heading_page_breaks(xml: str) -> str:
    return re.sub(r'(<w:style w:type="paragraph" w:styleId="Heading1">.*?<w:keepLines />)',
                  r"\1<w:pageBreakBefore />", xml, count=1, flags=re.S)


def _rels(xml: str) -> str:
    return xml.replace("</Relationships>",
                       f'<Relationship Type="{R}/header" Id="rIdMpHeader" Target="header1.xml" />'
                       f'<Relationship Type="{R}/footer" Id="rIdMpFooter" Target="footer1.xml" /></Relationships>')


def _types(xml: str) -> str:
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    return xml.replace("</Types>", f'<Override PartName="/word/header1.xml" ContentType="{ct}.header+xml" />'
                                   f'<Override PartName="/word/footer1.xml" ContentType="{ct}.footer+xml" /></Types>')


def _settings(xml: str) -> str:
    xml = xml.replace('<w:decimalSymbol w:val="." />', '<w:decimalSymbol w:val="," />')
    xml = xml.replace('<w:listSeparator w:val="," />', '<w:listSeparator w:val=";" />')
    return xml.replace("</w:settings>", '<w:updateFields w:val="true" /></w:settings>')


EDITS = {"word/styles.xml": lambda x: _heading_page_breaks(_styles(x)), "word/document.xml": _document,
         "word/_rels/document.xml.rels": _rels, "[Content_Types].xml": _types, "word/settings.xml": _settings}


def build_reference() -> bytes:
    import pypandoc

    data = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename in EDITS:
                body = EDITS[info.filename](body.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
        for name, text in (("word/header1.xml", HEADER), ("word/footer1.xml", FOOTER)):
            fixed = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, text.encode("utf-8"))
    return out.getvalue()


def main() -> None:
    path = TOOLKIT_TEMPLATES / "docx" / "reference.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_reference())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
