"""Table captions in the printed volumes: a row of the table's header, said again with
"(lanjutan)" on every page the table continues on.

WeasyPrint repeats a table's header group (``thead``) at the top of each page the table runs on,
but nothing tells a repeated header from the first, and a ``caption`` is printed once. So the
caption becomes the first row of the header (``tr.mp-caption``, set like a caption: it also keeps
the caption with the table's first rows at a page foot), ending in "(lanjutan)" glued to its last
word; after layout, the first header of each table has the "(lanjutan)" box taken out. The layout
is the same on every page (the words are there, only not drawn on the first). A table reopened
by a piece of a chapter (class ``mp-cont``, see render/pdfsplit.py) continues from an earlier
page: its first header keeps the word.
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_CAPTION = re.compile(r'<caption((?:\s+id="[^"]*")?)>(.*?)</caption>\s*', re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r'<t[hd]\b([^>]*)>')
_SPAN = re.compile(r'colspan="(\d+)"')
_THEAD = re.compile(r"<thead\b[^>]*>")
_BODY_START = re.compile(r"<tbody\b|<tr\b")

CONTINUED = "mp-lanjutan"


def _columns(table: str) -> int:
    row = _ROW.search(table)
    if row is None:
        return 1
    return sum(int(m.group(1)) if (m := _SPAN.search(attrs)) else 1 for attrs in _CELL.findall(row.group(1))) or 1


def _caption_row(m: re.Match) -> str:
    table = m.group(0)
    cap = _CAPTION.search(table)
    if cap is None:
        return table
    rest = table[:cap.start()] + table[cap.end():]
    row = (f'<tr class="mp-caption"{cap.group(1)}><th colspan="{_columns(rest)}">{cap.group(2).strip()}'
           f'<span class="{CONTINUED}">\u00a0(lanjutan)</span></th></tr>')
    head = _THEAD.search(rest)
    if head is not None:
        return rest[:head.end()] + row + rest[head.end():]
    body = _BODY_START.search(rest, cap.start())
    at = body.start() if body else rest.rindex("</table>")
    return rest[:at] + f"<thead>{row}</thead>" + rest[at:]


def caption_rows(page: str) -> str:
    """Every table caption of ``page`` made the first row of its table's header."""
    return _TABLE.sub(_caption_row, page)


def first_headers(doc) -> None:
    """Take "(lanjutan)" out of the first header of every table of a rendered document, but of
    a table that continues an earlier page (``mp-cont``)."""
    seen: set[int] = set()
    try:
        for page in doc.pages:
            here: set[int] = set()
            _walk(page._page_box, None, seen, here)
            seen |= here
    except AttributeError:
        pass  # WeasyPrint's boxes not as expected: the first header says "(lanjutan)" too


def _walk(box, table, seen: set[int], here: set[int]) -> None:
    element = box.element
    if type(box).__name__ == "TableBox" and element is not None:
        table = element
        here.add(id(element))
    children = getattr(box, "children", None)
    if not children:
        return
    if table is not None and id(table) not in seen and "mp-cont" not in (table.get("class") or "").split():
        kept = [c for c in children if not _continued_mark(c)]
        if len(kept) != len(children):
            box.children = kept
            children = kept
    for child in children:
        _walk(child, table, seen, here)


def _continued_mark(box) -> bool:
    element = box.element
    return (type(box).__name__ == "InlineBox" and element is not None
            and CONTINUED in (element.get("class") or "").split() and box.element_tag == "span")
