"""Make templates/docx/reference.docx: pandoc's reference document with the masterplan's styles.

Run ``python -m masterplan_kit.render.docx_reference`` after changing the styles below; the
result is committed so that every build uses the same reference (and builds are reproducible).
Body text in Arial 11 pt, Indonesian as the proofing language, headings in dark blue, tables
with a light grid.
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


def build_reference() -> bytes:
    import pypandoc

    data = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "word/styles.xml":
                body = _styles(body.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
    return out.getvalue()


def main() -> None:
    path = TOOLKIT_TEMPLATES / "docx" / "reference.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_reference())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
