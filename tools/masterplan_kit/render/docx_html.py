"""The assembled volume's HTML made ready for pandoc's DOCX writer.

The volume is assembled once for print (render/book.py); a Word document needs a few things told
differently:

* pictures as data URIs: pandoc runs sandboxed and reads no file but its input, so the charts drawn
  inline as SVG and the chapters' images (file URLs) are embedded, each with a width in
  centimetres that fits the text block (pandoc ignores percentages);
* tables as plain text (no links inside a cell), with column widths that keep amounts and words
  whole, found the way a browser lays out an automatic table, and an anchor the contents can point
  to (pandoc drops a caption's id);
* the "Tabel 1.1" and "Gambar 1.1" of a caption in bold, as the PDF prints them;
* footnotes back as notes: the print layout places them with CSS, Word needs real notes;
* legends and notes under tables and charts (``mp-legend``, ``mp-note``) in the small "Table Note"
  style, the quick-win badge written "QW =" before its explanation.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

PX_MM = 25.4 / 96  # a CSS pixel in millimetres
EM_MM = 9 * 25.4 / 72  # tables are set in 9 pt (templates/docx/reference.docx)
CELL_PAD_MM = 3.5  # a cell's padding (1.5 mm each side) and a little air
BOLD = 1.08  # header cells are bold
SMALL = 7.5 / 9  # a table too wide for its words is set in 7.5 pt
SLACK = 1.15  # a reader without Arial (or its metric twin) sets the text in a wider face (DejaVu Sans)
# advance widths of Arial in thousandths of an em (the widths of Helvetica); others count as 600
_ADVANCE = {" ": 278, ".": 278, ",": 278, ":": 278, ";": 278, "/": 278, "-": 333, "–": 556, "(": 333, ")": 333,
            "%": 889, "·": 278, "'": 191, '"': 355}
_ADVANCE.update(dict.fromkeys("0123456789", 556))
_ADVANCE.update(dict(zip("abcdefghijklmnopqrstuvwxyz",
                         (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333,
                          500, 278, 556, 500, 722, 500, 500, 500), strict=True)))
_ADVANCE.update(dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         (667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
                          667, 611, 722, 667, 944, 667, 667, 611), strict=True)))

_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
_LINK_TAG = re.compile(r"</?a\b[^>]*>")
_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
_IMG = re.compile(r"<img\b([^>]*)>")
_CAPTION = re.compile(r"<caption([^>]*)>(.*?)</caption>", re.S)
_NUMBERED = re.compile(r"(<(?:caption|figcaption)\b[^>]*>)((?:Tabel|Gambar) [\dA-Z]+\.\d+)")
_FIRST_CELL = re.compile(r"(<t[hd]\b[^>]*>)(.*?)(</t[hd]>)", re.S)
_NUM_CELL = re.compile(r'(<t[hd]\b[^>]*class="[^"]*\bmp-num\b[^"]*")')
_AMOUNT = re.compile(r"^(Rp\s*)?[-–+]?[\d.,]+\s*(%|miliar|juta)?$")


@dataclass(frozen=True)
class Page:
    """The text block the pictures and tables are fitted to."""

    text_width_mm: float = 165.0


def prepare(page_html: str, root: Path, page: Page) -> str:
    """The volume's HTML as the DOCX is made from it (see the module's docstring)."""
    out = footnotes(page_html)
    out = pictures(out, root, page)
    out = _NUMBERED.sub(r"\1<strong>\2</strong>", out)
    out = notes(out)
    return tables(out, page)


_NOTE = re.compile(r'<p class="(?:mp-legend|mp-note)[^"]*">(.*?)</p>', re.S)
_QW_LEGEND = re.compile(r'^(<span class="mp-badge mp-qw">QW</span>)\s')


def notes(page_html: str) -> str:
    """A legend or note as a paragraph of the "Table Note" style (templates/docx/reference.docx)."""
    def note(m: re.Match) -> str:
        return '<div custom-style="Table Note"><p>' + _QW_LEGEND.sub(r"\1 = ", m.group(1)) + "</p></div>"

    return _NOTE.sub(note, page_html)


# --- pictures --------------------------------------------------------------------------------

def _attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'\b{name}="([^"]*)"', attrs)
    return html.unescape(m.group(1)) if m else None


def svg_width_px(svg: str) -> float | None:
    """The width an SVG asks for: its ``width`` in pixels, or its viewBox's."""
    head = svg[: svg.find(">") + 1]
    width = _attr(head, "width")
    if width and re.fullmatch(r"[\d.]+(px)?", width):
        return float(width.removesuffix("px"))
    box = _attr(head, "viewBox")
    if box and len(box.split()) == 4:
        return float(box.split()[2])
    return None


def _raster_width_px(data: bytes) -> float | None:
    from PIL import Image  # Pillow comes with WeasyPrint

    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi", (96, 96))[0] or 96
        return im.width * 96 / float(dpi)


def _width_cm(px: float | None, page: Page) -> str:
    mm = page.text_width_mm if px is None else min(px * PX_MM, page.text_width_mm)
    return f"{mm / 10:.2f}cm"


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


def standalone(svg: str) -> str:
    """An inline SVG as a file of its own: its ids (unique in a page by a counter, see
    viewrender.py) numbered within the picture, so that the same chart is the same file."""
    for n, ident in enumerate(dict.fromkeys(re.findall(r'\bid="([^"]+)"', svg))):
        svg = re.sub(rf'(?<=["#\s]){re.escape(ident)}(?=["\s)])', f"svg{n}", svg)
    return svg


def pictures(page_html: str, root: Path, page: Page) -> str:
    """Inline SVG charts and file images as ``<img>`` with data URIs and a width that fits."""

    def inline(m: re.Match) -> str:
        svg = standalone(m.group(0))
        title = re.search(r"<title\b[^>]*>(.*?)</title>", svg, re.S)
        alt = html.escape(html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip()) if title else ""
        uri = _data_uri("image/svg+xml", svg.encode("utf-8"))
        return f'<img src="{uri}" alt="{alt}" width="{_width_cm(svg_width_px(svg), page)}">'

    def image(m: re.Match) -> str:
        attrs = m.group(1)
        src = _attr(attrs, "src") or ""
        if not src.startswith("file:"):
            return m.group(0)
        path = Path(unquote(urlparse(src).path))
        inside = root.resolve() in path.resolve().parents
        mime = MIME.get(path.suffix.lower())
        if not inside or mime is None or not path.is_file():
            return m.group(0)  # pandoc reports what it cannot fetch
        data = path.read_bytes()
        width = _attr(attrs, "width")
        if not width or not width.endswith(("cm", "mm", "in")):
            px = svg_width_px(data.decode("utf-8")) if mime == "image/svg+xml" else _raster_width_px(data)
            width = _width_cm(px, page)
        rest = re.sub(r'\s(src|width|height|style)="[^"]*"', "", attrs)
        return f'<img src="{_data_uri(mime, data)}" width="{width}"{rest}>'

    return _IMG.sub(image, _SVG.sub(inline, page_html))


# --- tables ----------------------------------------------------------------------------------

def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def text_width_mm(text: str, bold: bool = False) -> float:
    """About how wide ``text`` is set in the tables' type (9 pt Arial), with room for a wider face."""
    em = sum(_ADVANCE.get(c, 600) for c in text) / 1000
    return em * EM_MM * SLACK * (BOLD if bold else 1.0)


def _smaller(width: float) -> float:
    """A cell's width with its text set in the smaller size (its padding stays)."""
    return (width - CELL_PAD_MM) * SMALL + CELL_PAD_MM


def _cell_extent(cell_html: str, tag: str, attrs: str) -> tuple[float, float]:
    """Millimetres a cell needs at least (its longest word, or all of an amount or a number) and
    would like (its longest line), its padding included."""
    bold = tag == "th" or "<strong>" in cell_html
    lines = [" ".join(_text(part).split()) for part in re.split(r"<br\s*/?>", cell_html)]
    longest = max((text_width_mm(x, bold) for x in lines), default=0.0)
    if tag == "td" and ("mp-num" in attrs or all(_AMOUNT.match(x) for x in lines if x)):  # a heading may wrap
        return longest + CELL_PAD_MM, longest + CELL_PAD_MM
    words = max((text_width_mm(w, bold) for x in lines for w in x.split()), default=0.0)
    return words + CELL_PAD_MM, longest + CELL_PAD_MM


def _extents(table_html: str) -> tuple[list[float], list[float]]:
    """Each column's least and preferred width (mm). Cells spanning columns count for none of
    them; cells spanning rows keep their column from the rows below."""
    lows: list[float] = []
    highs: list[float] = []
    below: dict[int, int] = {}  # column -> rows still covered by a cell above
    for row in _ROW.findall(table_html):
        col = 0
        covered = {c for c, n in below.items() if n > 0}
        below = {c: n - 1 for c, n in below.items() if n > 1}
        for tag, attrs, inner in _CELL.findall(row):
            while col in covered:
                col += 1
            span = int(_attr(attrs, "colspan") or "1")
            rows = int(_attr(attrs, "rowspan") or "1")
            if rows > 1:
                for c in range(col, col + span):
                    below[c] = rows - 1
            while len(lows) < col + span:
                lows.append(0.0)
                highs.append(0.0)
            if span == 1:
                low, high = _cell_extent(inner, tag, attrs)
                lows[col], highs[col] = max(lows[col], low), max(highs[col], high)
            col += span
    return lows, highs


def column_widths(table_html: str, available: float) -> tuple[list[float], bool]:
    """Column widths in percent of the text width, as a browser's automatic table layout finds
    them: every column gets at least its longest word (all of an amount); what is left goes to
    the columns in proportion to how much more their longest lines would take. A table whose
    words do not fit side by side is set a size smaller (the second value says so)."""
    lows, highs = _extents(table_html)
    if not lows:
        return [], False
    small = sum(lows) > available
    if small:
        lows = [_smaller(x) for x in lows]
        highs = [_smaller(x) for x in highs]
    low_sum, high_sum = sum(lows), sum(highs)
    if high_sum <= available:
        widths = highs
    elif low_sum >= available:
        widths = lows
    else:
        share = (available - low_sum) / (high_sum - low_sum)
        widths = [lo + (hi - lo) * share for lo, hi in zip(lows, highs, strict=True)]
    total = sum(widths) or 1.0
    return [100 * w / total for w in widths], small


_COLGROUP = re.compile(r"<colgroup\b.*?</colgroup>\s*", re.S)


def tables(page_html: str, page: Page) -> str:
    """Every table as plain text, with its column widths, amounts set right and an anchor for its
    caption's id."""
    available = page.text_width_mm

    def table(m: re.Match) -> str:
        attrs, inner = m.group(1), _LINK_TAG.sub("", m.group(2))
        inner = _NUM_CELL.sub(r'\1 style="text-align: right"', inner)
        anchor = ""
        cap = _CAPTION.search(inner)
        if cap and (ident := _attr(cap.group(1), "id")):
            anchor = ident
            inner = inner.replace(cap.group(0), f"<caption>{cap.group(2)}</caption>", 1)
        # a colgroup from a source table carries no widths (the sanitiser drops style): widths are ours
        inner = _COLGROUP.sub("", inner)
        widths, small = column_widths(inner, available)
        cols = "".join(f'<col style="width: {w:.1f}%">' for w in widths)
        if small:  # a mark in the first cell: docx_package.py sets the table's type smaller
            inner = _FIRST_CELL.sub(r'\1<span custom-style="Small Table">\2</span>\3', inner, count=1)
        caption = _CAPTION.search(inner)  # the colgroup follows the caption
        at = caption.end() if caption else 0
        inner = f"{inner[:at]}<colgroup>{cols}</colgroup>{inner[at:]}"
        out = f"<table{attrs}>{inner}</table>"
        return f'<div id="{anchor}">{out}</div>' if anchor else out

    return _TABLE.sub(table, page_html)


# --- footnotes -------------------------------------------------------------------------------

_NOTE_OPEN = '<span class="footnote">'
_SPAN_TAG = re.compile(r"<span\b|</span>")


def footnotes(page_html: str) -> str:
    """``<span class="footnote">`` (a note the print layout places) as pandoc's own note markup:
    a numbered reference where it stood and the note in a list at the end, which pandoc's HTML
    reader turns into a Word footnote."""
    out: list[str] = []
    notes: list[str] = []
    pos = 0
    while (start := page_html.find(_NOTE_OPEN, pos)) >= 0:
        depth, at = 1, start + len(_NOTE_OPEN)
        end = -1
        for m in _SPAN_TAG.finditer(page_html, at):
            depth += 1 if m.group(0) == "<span" else -1
            if depth == 0:
                end = m.start()
                break
        if end < 0:
            break
        notes.append(page_html[at:end])
        n = len(notes)
        out.append(page_html[pos:start])
        out.append(f'<a href="#mpfn{n}" class="footnote-ref" id="mpfnref{n}" role="doc-noteref"><sup>{n}</sup></a>')
        pos = end + len("</span>")
    out.append(page_html[pos:])
    text = "".join(out)
    if not notes:
        return text
    items = "".join(f'<li id="mpfn{n}"><p>{body}</p></li>' for n, body in enumerate(notes, start=1))
    aside = f'<aside class="footnotes" role="doc-endnotes"><ol>{items}</ol></aside>'
    return text.replace("</body>", aside + "</body>") if "</body>" in text else text + aside
