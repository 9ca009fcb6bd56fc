"""Make templates/docx/reference.docx: pandoc's reference document with the masterplan's styles.

Run ``python -m masterplan_kit.render.docx_reference`` after changing the styles below; the
result is committed so that every build uses the same reference (and builds are reproducible).
Body text in Arial 11 pt, Indonesian as the proofing language, headings in dark blue, tables
with a light grid; A4 with the PDF's margins (25 mm inner, 20 mm outer, 25 mm top, 22 mm foot), a
header with the document's title and a footer with the page number; every chapter (Heading 1) on a
new page; fields (the table of contents) updated when Word opens the document.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

from ..templating import TOOLKIT_TEMPLATES

FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial" />'
ACCENT = "12365F"


def _styles(xml: str) -> str:
    xml = re.sub(r"<w:rFonts [^>]*/>", FONT, xml, count=1)
    xml = xml.replace('<w:sz w:val="24" />', '<w:sz w:val="22" />', 1).replace('<w:szCs w:val="24" />', '<w:szCs w:val="22" />', 1)
    xml = xml.replace('<w:lang w:val="en-US"', '<w:lang w:val="id-ID"', 1)
    # headings: Arial, bold, the accent colour, pandoc's theme fonts replaced
    xml = re.sub(r'<w:rFonts w:asciiTheme="majorHAnsi"[^>]*/>', FONT, xml)
    xml = re.sub(r'<w:color w:val="[0-9A-Fa-f]{6}" />', f'<w:color w:val="{ACCENT}" />', xml)
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
