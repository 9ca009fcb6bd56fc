"""Render units smaller than a chapter, cut where the chapter's own layout starts a new page.

A long chapter (a pillar's thirty pages, the matrix annex) costs seconds to render again for a
one-line edit. It is rendered in *pieces* instead, each a WeasyPrint document of its own, cut only
where the continuous layout of the whole chapter begins a page with a fresh block (a paragraph, a
programme, a table row). A piece lays out exactly as those pages of the chapter would: it begins
after an unforced page break (lead-in pages that nothing fits beside, dropped afterwards), on the
same side of the spread, with the footnote counter where the chapter had it, and the blocks it
continues (a table with its header, a wrapper) reopened without the top margin, padding and
border that a continued box loses.

Where the pieces are cut is a function of the chapter's continuous layout alone, so that a cold
build (which renders whole chapters and cuts them) and an incremental one (which renders the
changed pieces) give the same pieces, byte for byte: from each cut, the next is the first page
that begins with a fresh block at or after the next *checkpoint*. Checkpoints are blocks picked by
their content (a hash, with a chance that grows with their size), so an edit moves no checkpoint
but its own, and the cuts after an edit fall back on the previous ones as soon as the layout does.

An incremental build guesses the cuts from the previous build and renders each guessed piece with
the head of the next piece's first block appended. The guess holds when that block begins a page
of its own (nothing of the piece on it, no footnote of the piece carried over) and no earlier page
of the piece qualifies; otherwise the piece is cut earlier, or joined with the next and rendered
again. The rendering side (``cut_document``) runs in the render processes.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

# average number of elements between checkpoints: about 0.4 s of rendering (WeasyPrint takes
# about as long for every element, be it a table cell, a paragraph or a shape of a chart)
TARGET = 600
# a block larger than this is appended to the previous piece only in part (its head)
HEAD_MAX = 6_000

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW = {"script", "style", "textarea", "title"}
# blocks a page may begin with, by the element they sit in
BLOCKS = {"div", "p", "table", "figure", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre",
          "aside", "section"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

_TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ID_ATTR = re.compile(r"\sid=\"([^\"]+)\"")
_CLASS_ATTR = re.compile(r"\bclass=\"([^\"]*)\"")
_FOOTNOTE = re.compile(r"class=\"footnote\"")

LEAD = '<div class="mp-lead"></div>'


@dataclass
class Node:
    tag: str
    start: int  # offset of its "<"
    open_end: int  # just after its start tag
    end: int  # just after its end tag
    parent: int
    children: list[int] = field(default_factory=list)


class Unsplittable(ValueError):
    """The chapter's HTML is not well formed enough to cut: it renders whole."""


def parse(text: str) -> list[Node]:
    """The elements of a well-formed HTML document with their source spans (document order)."""
    nodes: list[Node] = []
    stack: list[int] = []
    pos = 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(2) is None:  # a comment
            continue
        closing, tag = m.group(1) == "/", m.group(2).lower()
        if closing:
            if not stack or nodes[stack[-1]].tag != tag:
                raise Unsplittable(f"</{tag}> at {m.start()} closes <{nodes[stack[-1]].tag if stack else '-'}>")
            nodes[stack.pop()].end = m.end()
            continue
        parent = stack[-1] if stack else -1
        node = Node(tag, m.start(), m.end(), m.end(), parent)
        nodes.append(node)
        if parent >= 0:
            nodes[parent].children.append(len(nodes) - 1)
        if tag in VOID or m.group(3).rstrip().endswith("/"):
            continue
        if tag in RAW:
            close = text.find(f"</{tag}", pos)
            if close < 0:
                raise Unsplittable(f"<{tag}> is not closed")
            pos = text.index(">", close) + 1
            node.end = pos
            continue
        stack.append(len(nodes) - 1)
    if stack:
        raise Unsplittable(f"<{nodes[stack[-1]].tag}> is not closed")
    return nodes


def _digest(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class Chapter:
    """A body chapter's document, parsed for cutting: its candidate blocks (where a piece may
    begin), their ids (a digest of their HTML) and the checkpoints among them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.nodes = parse(text)
        sections = [i for i, n in enumerate(self.nodes) if n.tag == "section"]
        if not sections:
            raise Unsplittable("no <section>")
        self.section = sections[0]
        self.cands: list[int] = []
        self.ids: dict[int, str] = {}
        self.by_id: dict[str, int] = {}
        self._candidates(self.section)
        self.cands.sort(key=lambda j: self.nodes[j].start)
        self.starts = [self.nodes[i].start for i in self.cands]
        self.checkpoint = self._checkpoints()
        # the annotations of the candidates' start tags: (offset of their ">", text inserted)
        self.marks: list[tuple[int, str]] = []
        for i in self.cands:
            n = self.nodes[i]
            at = n.open_end - 1 - (text[n.open_end - 2] == "/")
            extra = f' data-mp-c="{self.ids[i]}"' + (' data-mp-k=""' if i in self.checkpoint else "")
            self.marks.append((at, extra))
        self.mark_at = [at for at, _ in self.marks]

    # --- structure ----------------------------------------------------------------------

    def _candidates(self, container: int) -> None:
        parent = self.nodes[container]
        for i in parent.children:
            n = self.nodes[i]
            if parent.tag == "table":
                ok = n.tag == "tbody"
                if n.tag == "tfoot":
                    return  # a repeated footer: rows are not cut (the table is, as a whole)
            elif parent.tag == "tbody":
                ok = n.tag == "tr"
            else:
                ok = n.tag in BLOCKS
            if not ok or (parent.tag == "section" and n.tag == "h1"):
                continue
            # its id attribute (which an edit of its content leaves alone), or a digest of its HTML
            own_id = _ID_ATTR.search(self.text, n.start, n.open_end)
            base = ident = f"#{own_id.group(1)}" if own_id else _digest(self.text[n.start:n.end])[:16]
            k = 2
            while ident in self.by_id:
                ident = f"{base}-{k}"
                k += 1
            self.cands.append(i)
            self.ids[i] = ident
            self.by_id[ident] = i
            if n.tag in ("div", "table", "tbody", "section"):
                self._candidates(i)

    def _checkpoints(self) -> set[int]:
        """Candidates chosen by content, about one in every ``TARGET`` elements: past ``TARGET / 2``
        elements from the previous checkpoint, a candidate is one with a chance proportional to
        its own elements (those up to the next candidate; a hash of its id decides), a chance four
        times as high past ``1.5 × TARGET``. An edit moves no checkpoint but near itself: after
        it, the same again from the first checkpoint past it."""
        out = set()
        sec = self.nodes[self.section]
        end = max((i for i in range(self.section, len(self.nodes)) if self.nodes[i].start < sec.end), default=self.section) + 1
        since = 0
        for k, i in enumerate(self.cands):
            own = (self.cands[k + 1] if k + 1 < len(self.cands) else end) - i
            scale = TARGET if since < TARGET * 3 // 2 else TARGET // 4
            if since >= TARGET // 2 and int(_digest(self.ids[i])[:8], 16) / 2**32 < own / scale:
                out.add(i)
                since = 0
            since += own
        return out

    def ancestors(self, i: int) -> list[int]:
        """The elements between the section and ``i``, outermost first."""
        out = []
        p = self.nodes[i].parent
        while p != self.section and p >= 0:
            out.append(p)
            p = self.nodes[p].parent
        return out[::-1]

    # --- the text of a piece ---------------------------------------------------------------

    def emit(self, a: int, b: int) -> str:
        """The source from ``a`` to ``b`` with the candidates in it annotated."""
        lo, hi = bisect.bisect_left(self.mark_at, a), bisect.bisect_left(self.mark_at, b)
        out, pos = [], a
        for at, extra in self.marks[lo:hi]:
            out += [self.text[pos:at], extra]
            pos = at
        out.append(self.text[pos:b])
        return "".join(out)

    def _reopen(self, i: int, extra_style: str = "") -> str:
        """A continued element's start tag with class ``mp-cont`` (no top margin, padding or
        border, as a box continued on a new page; its id stays, as WeasyPrint anchors every part
        of a box); a table gets its header (and column widths) again, not its caption."""
        n = self.nodes[i]
        tag = self.text[n.start:n.open_end]
        if _CLASS_ATTR.search(tag):
            tag = _CLASS_ATTR.sub(lambda m: f'class="{m.group(1)} mp-cont"', tag, count=1)
        else:
            tag = tag[:-1].rstrip("/ ") + ' class="mp-cont">'
        if extra_style:
            tag = tag[:-1] + f' style="{extra_style}">'
        if n.tag == "table":
            tag += "".join(self.text[self.nodes[c].start:self.nodes[c].end] for c in n.children
                           if self.nodes[c].tag in ("colgroup", "col", "thead"))
        return tag

    def head(self, i: int, mark: bool = True) -> str:
        """Enough of block ``i`` to tell whether it begins a page: all of it, or for a long table,
        row group or wrapper its first rows; a heading with the head of what follows it."""
        n, text = self.nodes[i], self.text
        tag = text[n.start:n.open_end]
        if mark:
            k = self.cands.index(i)
            at = self.marks[k][0] - n.start
            tag = tag[:at] + self.marks[k][1] + ' data-mp-next=""' + tag[at:]
        kids = n.children
        if n.end - n.start <= HEAD_MAX or n.tag not in ("table", "tbody", "div") or not kids:
            out = tag + text[n.open_end:n.end]
        elif n.tag == "tbody":
            rows = [c for c in kids if self.nodes[c].tag == "tr"][:2]
            out = tag + "".join(text[self.nodes[c].start:self.nodes[c].end] for c in rows) + "</tbody>"
        elif n.tag == "table":
            body = next((c for c in kids if self.nodes[c].tag == "tbody"), None)
            if body is None:
                out = tag + text[n.open_end:n.end]
            else:
                out = tag + text[n.open_end:self.nodes[body].start] + self.head(body, mark=False) + "</table>"
        else:
            first = kids[0]
            out = tag + text[n.open_end:self.nodes[first].start] + self.head(first, mark=False) + "</div>"
        if n.tag in HEADINGS:
            siblings = self.nodes[n.parent].children
            k = siblings.index(i)
            if k + 1 < len(siblings):
                out += self.head(siblings[k + 1], mark=False)
        return out

    def footnotes_before(self, offset: int) -> int:
        return len(_FOOTNOTE.findall(self.text, self.nodes[self.section].start, offset))

    def piece_text(self, start: str, end: str, left: bool) -> str:
        """The document of the piece from candidate ``start`` ("" the chapter's start) to
        candidate ``end`` ("" the chapter's end), beginning on a left-hand page when ``left``."""
        text, sec = self.text, self.nodes[self.section]
        close_at = text.rindex("</section>", 0, sec.end)
        out: list[str] = []
        if not start:
            a = 0
            out.append(self.emit(0, self.nodes[self.by_id[end]].start if end else len(text)))
        else:
            s = self.by_id[start]
            a = self.nodes[s].start
            out.append(text[:sec.start])
            out.append(self._reopen(self.section, f"counter-reset: footnote {self.footnotes_before(a)}"))
            out.append(LEAD * (1 if left else 2))
            out += [self._reopen(p) for p in self.ancestors(s)]
            out.append(self.emit(a, self.nodes[self.by_id[end]].start if end else len(text)))
        if end:
            e = self.by_id[end]
            out.append(self.head(e))
            out += [f"</{self.nodes[p].tag}>" for p in self.ancestors(e)[::-1]]
            out.append(text[close_at:])
        return "".join(out)

    def whole(self) -> str:
        """The chapter's document with its candidates annotated: the first render of a chapter."""
        return self.emit(0, len(self.text))

    def after(self, start: str, ids: list[str]) -> list[str]:
        """The ids of ``ids`` that exist and come after ``start``, in order."""
        here = self.nodes[self.by_id[start]].start if start else -1
        known = [(self.nodes[self.by_id[i]].start, i) for i in ids if i in self.by_id]
        return [i for at, i in sorted(known) if at > here]


# --- in the render process: where a rendered piece may be cut -----------------------------------

@dataclass
class Cut:
    """Pages ``first`` to ``end`` (exclusive) of a rendered document: the piece from candidate
    ``start`` ("" the chapter's start) to candidate ``until`` ("" the chapter's end)."""

    first: int
    end: int
    start: str
    until: str


@dataclass
class Layout:
    cuts: list[Cut]
    rest: str | None  # the piece from this candidate needs a longer document (None: complete)


def _blocks(box, out: set[int]) -> None:
    """The elements of the block-level boxes under ``box`` (lines are not entered)."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "LineBox":
            continue
        if child.element is not None:
            out.add(id(child.element))
        _blocks(child, out)


def _first_fresh(page_box, before: set[int]):
    """The element of the first block of the page that is not continued from the page before
    (``before``: the elements of its blocks), skipping repeated table headers; None when the page
    begins inside a line (a paragraph continued)."""
    box = page_box.children[0]
    while True:
        kids = [c for c in getattr(box, "children", ())
                if c.is_in_normal_flow() and not getattr(c, "is_header", False) and not getattr(c, "is_footer", False)]
        if not kids or type(kids[0]).__name__ == "LineBox":
            return None
        box = kids[0]
        if box.element is None or id(box.element) not in before:
            return box.element


def cut_document(doc) -> Layout | None:
    """Where a rendered chapter document (whole, or a piece of it) is cut into pieces; None when
    it is not one (no annotated candidates). The layout is read from WeasyPrint's boxes: should a
    version of it not have them as expected, a whole chapter stays in one piece."""
    try:
        return _cut(doc)
    except (AttributeError, IndexError, TypeError):
        if any(el.get("class") == "mp-lead" or el.get("data-mp-next") is not None
               for el in doc.pages[0]._page_box.children[0].element.iter()):
            raise  # a piece of a chapter cannot be taken for the whole
        return Layout([Cut(0, len(doc.pages), "", "")], None)


def _cut(doc) -> Layout | None:
    pages = [p._page_box for p in doc.pages]
    if not pages:
        return None
    root = pages[0].children[0].element
    order: dict[int, int] = {}
    cands, checkpoints, lead, nxt = [], [], 0, None
    for el in root.iter():
        order[id(el)] = len(order)
        if el.get("data-mp-c") is not None:
            cands.append(el)
            if el.get("data-mp-k") is not None:
                checkpoints.append(el)
            if el.get("data-mp-next") is not None:
                nxt = el
        elif el.tag == "div" and el.get("class") == "mp-lead":
            lead += 1
    if not cands:
        return None
    blocks = []
    for box in pages:
        seen: set[int] = set()
        _blocks(box.children[0], seen)
        blocks.append(seen)
    start = cands[0] if lead else None
    trusted = len(pages)
    if nxt is not None:  # the pages before the next piece's block are laid out as in the chapter
        trusted = next((p for p in range(len(pages)) if id(nxt) in blocks[p]), len(pages))
    starts: list[tuple[int, object]] = []
    for p in range(lead + 1, min(trusted + 1, len(pages))):
        el = _first_fresh(pages[p], blocks[p - 1])
        if el is None or el.get("data-mp-c") is None or (p == trusted and el is not nxt):
            continue
        # a footnote of the blocks before, carried over to this page, would stay with them
        notes = [b.element for area in pages[p].children[1:] if type(area).__name__ == "FootnoteAreaBox"
                 for b in area.children if b.element is not None]
        if any(order.get(id(n), -1) < order[id(el)] for n in notes):
            continue
        starts.append((p, el))

    def ident(el) -> str:
        return "" if el is None else str(el.get("data-mp-c"))

    cuts: list[Cut] = []
    page, here = lead, start
    while True:
        at = -1 if here is None else order[id(here)]
        mark = next((k for k in checkpoints if order[id(k)] > at), None)
        if mark is None:
            if nxt is None:
                cuts.append(Cut(page, len(pages), ident(here), ""))
                return Layout(cuts, None)
            return Layout(cuts, ident(here))
        found = next(((p, el) for p, el in starts if p > page and order[id(el)] >= order[id(mark)]), None)
        if found is None:
            if nxt is None:
                cuts.append(Cut(page, len(pages), ident(here), ""))
                return Layout(cuts, None)
            return Layout(cuts, ident(here))
        p, el = found
        cuts.append(Cut(page, p, ident(here), ident(el)))
        page, here = p, el
        if el is nxt:
            return Layout(cuts, None)


# --- in the build: which pieces to render, from the previous build's cuts -------------------------

@dataclass
class Piece:
    """A rendered piece of a chapter: its PDF, page count, the pages of its anchors, where it
    starts and where the next begins (candidate ids, "" for the chapter's start and end), and
    whether its first page is a left-hand one."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    start: str
    until: str
    left: bool

    def meta(self) -> dict:
        return {"pages": self.pages, "anchors": self.anchors, "start": self.start, "until": self.until,
                "left": self.left}


@dataclass
class Rendered:
    """What the render of a chapter document gives: its pieces, and where a piece needs a longer
    document (``rest``, a candidate id; None when the pieces reach the document's end)."""

    pieces: list[Piece]
    rest: str | None
    read: dict[str, str] = field(default_factory=dict)  # the files it was made from (see render/fetch.py)


class Plan:
    """The pieces of one chapter, settled from its start, piece after piece. Each round asks for
    the documents of the pieces guessed from the previous build's cuts (``jobs``); the results
    settle what they can (``advance``): pieces whose start is settled are exact, and a guess that
    fails is dropped, so the next round renders a longer document from the last settled cut."""

    def __init__(self, text: str, digest: str, memory: dict | None) -> None:
        """``digest``: of the text and all that shapes its rendering (the unit cache's key)."""
        self.text = text
        self.digest = digest
        self.memory = memory or {}
        self._chapter: Chapter | None = None
        self.pieces: list[Piece] = []
        self.keys: list[str] = []  # the cache key of each piece's own document
        self.here = ""  # where the next piece to settle starts
        self.pages = 0  # pages settled before it
        self.guesses = [p[1] for p in self.memory.get("pieces", []) if p[1]]
        self.failures = 0  # guesses failed in a row
        self.sides = {p[0]: p[2] for p in self.memory.get("pieces", [])}
        self.done = False

    @property
    def chapter(self) -> Chapter:
        if self._chapter is None:
            self._chapter = Chapter(self.text)
        return self._chapter

    @property
    def whole(self) -> bool:
        """A chapter whose HTML cannot be cut (not well formed): it renders as one document."""
        try:
            return self.chapter is None
        except Unsplittable:
            return True

    def _next(self) -> str:
        """Where the next piece should end: the next guessed cut; after two failed guesses in a
        row (the layout has moved for good, as in a long table), the chapter's end."""
        after = self.chapter.after(self.here, self.guesses)
        return after[0] if after and self.failures < 2 else ""

    def jobs(self) -> list[str]:
        """The documents of the pieces still to settle: from the last settled cut to the next
        guessed one, and (speculatively, mostly found in the cache) between the later guessed
        cuts, each on the side it had in the last build."""
        if self.whole:
            return [self.text]
        out = [self.chapter.piece_text(self.here, self._next(), self.pages % 2 == 1)]
        guesses = self.chapter.after(self.here, self.guesses) if self.failures < 2 else []
        for here, until in zip(guesses, [*guesses[1:], ""][:len(guesses)], strict=True):
            if here not in self.sides:
                break
            out.append(self.chapter.piece_text(here, until, self.sides[here]))
        return out

    def advance(self, found) -> list[tuple[Piece, dict[str, str]]]:
        """Settle pieces with the results at hand (``found``: document text -> Rendered or None);
        the pieces settled now, with the files each was made from."""
        settled: list[tuple[Piece, dict[str, str]]] = []
        while not self.done:
            until = "" if self.whole else self._next()
            result = found(self.text if self.whole else self.chapter.piece_text(self.here, until, self.pages % 2 == 1))
            if result is None:
                break
            for piece in result.pieces:
                settled.append((piece, result.read))
                self.here, self.pages = piece.until, self.pages + piece.pages
            if result.rest is None and (not result.pieces or not result.pieces[-1].until):
                self.done = True
            elif result.rest is not None:
                self.guesses = [g for g in self.guesses if g != until]  # that cut is not a page start
                self.failures += 1
            else:
                self.failures = 0
        self.pieces += [piece for piece, _ in settled]
        return settled

    def own_text(self, piece: Piece) -> str:
        """The document that renders exactly ``piece``: where the next build looks for it."""
        return self.text if self.whole else self.chapter.piece_text(piece.start, piece.until, piece.left)

    def remember(self) -> dict:
        """What the next build starts from: the cuts, the pieces' sizes and cache keys."""
        return {"digest": self.digest,
                "pieces": [[p.start, p.until, p.left, p.pages, k] for p, k in zip(self.pieces, self.keys, strict=True)]}
