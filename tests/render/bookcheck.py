"""Measurements of a printed volume, for the layout tests: where the body's marks fall against the
text block, how full each page is, where headings and captions end up.

Page geometry comes from templates/pdf (book.css and the paper sheets): the text block of a
right-hand page, mirrored on left-hand pages; landscape pages have their own block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
TOLERANCE = 1.5  # pt (about half a millimetre): glyph overhang, rounding of rules drawn on the edge

# paper -> (top, outer right, bottom, inner left) of a right-hand page, in mm
MARGINS = {"A4": (25, 20, 22, 25), "A5": (16, 13, 16, 16)}
LANDSCAPE = (18, 15, 18, 15)


@dataclass
class Block:
    left: float
    right: float
    top: float
    bottom: float  # pdfplumber coordinates: y grows downwards from the page top


def text_block(width: float, height: float, index: int) -> Block:
    """The text block of the page at physical ``index`` (0: the first, a right-hand page)."""
    if width > height:
        top, right, bottom, left = LANDSCAPE
    else:
        top, right, bottom, left = MARGINS["A5" if width < 500 else "A4"]
        if index % 2:  # a left-hand page mirrors the margins
            left, right = right, left
    return Block(left * MM, width - right * MM, top * MM, height - bottom * MM)


@dataclass
class Mark:
    kind: str  # "char", "rect", "line", "image", "curve"
    x0: float
    x1: float
    top: float
    bottom: float
    text: str = ""


def marks(page) -> list[Mark]:
    """Every glyph, rule, filled box and picture of a pdfplumber page (white boxes and background
    tiles left out: they mark nothing)."""
    out = [Mark("char", c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in page.chars
           if c["text"].strip()]
    for kind in ("rect", "line", "curve", "image"):
        for o in getattr(page, kind + "s"):
            if kind == "rect" and not o.get("stroke") and _white(o.get("non_stroking_color")):
                continue
            out.append(Mark(kind, o["x0"], o["x1"], o["top"], o["bottom"]))
    return out


def _white(colour) -> bool:
    if colour is None:
        return True
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    return all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def outside(page, index: int) -> list[Mark]:
    """Marks of the body (between the top and bottom margins) that stick out of the text block
    sideways, or that run past its foot (running heads and folios sit in the margins, beyond)."""
    block = text_block(float(page.width), float(page.height), index)
    found = []
    for m in marks(page):
        if m.bottom <= block.top or m.top >= block.bottom:
            continue  # running head, folio
        sideways = m.x0 < block.left - TOLERANCE or m.x1 > block.right + TOLERANCE
        if sideways or (m.kind != "char" and m.bottom > block.bottom + TOLERANCE):
            found.append(m)
    return found


def fill(page, index: int) -> float:
    """How much of the text block's height the body uses: from the block's top to the lowest mark."""
    block = text_block(float(page.width), float(page.height), index)
    body = [m for m in marks(page) if m.top >= block.top - 1 and m.bottom <= block.bottom + 1]
    if not body:
        return 0.0
    return (max(m.bottom for m in body) - block.top) / (block.bottom - block.top)


def open_pdf(path: Path):
    import pdfplumber

    return pdfplumber.open(str(path))


ACCENT = (0.071, 0.212, 0.373)  # --accent in book.css (#12365f): headings and captions


def _accent(colour) -> bool:
    if not isinstance(colour, (list, tuple)) or len(colour) != 3:
        return False
    return all(abs(float(a) - b) < 0.02 for a, b in zip(colour, ACCENT, strict=True))


def lines(page, index: int) -> list[list[dict]]:
    """The body's lines of text (chars grouped by their baseline), top to bottom."""
    block = text_block(float(page.width), float(page.height), index)
    rows: dict[int, list[dict]] = {}
    for c in page.chars:
        if c["text"].strip() and block.top - 1 <= c["top"] and c["bottom"] <= block.bottom + 1:
            rows.setdefault(round(c["bottom"]), []).append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def last_line_is_heading(page, index: int) -> str:
    """The text of the page's last body line when it is a heading or a caption (set in the accent
    colour and bold), else ""."""
    body = lines(page, index)
    if not body:
        return ""
    last = body[-1]
    if all(_accent(c.get("non_stroking_color")) and "Bold" in c["fontname"] for c in last):
        return "".join(c["text"] for c in last)
    return ""
