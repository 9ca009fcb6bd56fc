"""One PDF book from a volume's separately rendered parts (pikepdf).

The body's pieces (render/pdfsplit.py) are typeset without running heads or page numbers, each on
the side of the spread it falls on. Their page furniture comes from one small document
(``templates/pdf/furniture.html.j2``): four pages whose footers show the digits 0–9 (right and
left, portrait and landscape), from which every page number is set in the book's own type, and a
pair of pages per chapter that show the running heads of its right-hand and left-hand pages. At the
merge every body page gets its heads and its number laid over it; a part typeset for the other
side than it falls on would be moved sideways by the difference between the two pages' margins
(left pages mirror the right pages' margins), its links with it.
Every part embeds its own subset of each typeface; the book gets one font per typeface
(render/pdffonts.py).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator, OutlineItem, PageLocation, String

from ..errors import BuildError
from ..model import Project, Volume
from .pdffonts import unify

DIGIT_PAGES = {("portrait", "right"): 0, ("portrait", "left"): 1, ("landscape", "right"): 2, ("landscape", "left"): 3}
HEAD_PAGES = 4  # then a right-hand and a left-hand page per running head


@dataclass
class Part:
    """A rendered part of the body as the merge needs it."""

    pdf: bytes
    landscape: bool
    head: int  # which running head (index into the furniture document's head pairs)
    blank_before: bool  # a blank left-hand page before it (chapters open on the right)
    opens: bool = True  # it opens its chapter (else it continues the chapter of the part before)
    left: bool = False  # its first page was typeset as a left-hand page


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """The matrix m×n (PDF order: a point is transformed by m first, then by n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]


def _widths(font) -> tuple[dict[int, float], float]:
    """Glyph advances (thousandths of the font size) of a Type 0 font, by CID."""
    desc = font.DescendantFonts[0]
    out: dict[int, float] = {}
    w = list(desc.get("/W") or [])
    i = 0
    while i + 1 < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], Array):
            for k, v in enumerate(w[i + 1]):
                out[first + k] = float(v)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                out[cid] = float(w[i + 2])
            i += 3
    return out, float(desc.get("/DW", 1000))


class _Digits:
    """A page whose footer shows "0123456789": any page number is set from it by replacing the
    shown glyphs and moving the text so that it stays centred."""

    def __init__(self, page) -> None:
        self.ops = list(pikepdf.parse_content_stream(page))
        self.bbox = [float(x) for x in page.mediabox]
        ctm, stack = [1.0, 0, 0, 1, 0, 0], []
        tm, font, size = [1.0, 0, 0, 1, 0, 0], None, 0.0
        for i, ins in enumerate(self.ops):  # noqa: B007 - i is where the digits are set, used after the loop
            op, args = str(ins.operator), ins.operands
            if op == "q":
                stack.append(ctm)
            elif op == "Q" and stack:
                ctm = stack.pop()
            elif op == "cm":
                ctm = _multiply([float(x) for x in args], ctm)
            elif op == "Tm":
                tm = [float(x) for x in args]
            elif op == "Tf":
                font, size = args[0], float(args[1])
            elif op in ("TJ", "Tj") and font is not None:
                parts = list(args[0]) if op == "TJ" else [args[0]]
                raw = b"".join(bytes(p) for p in parts if isinstance(p, String))
                kerning = sum(float(p) for p in parts if not isinstance(p, String))
                break
        else:
            raise BuildError("templates/pdf/furniture.html.j2: a page shows no digits for the page numbers")
        self.at, self.size = i, size
        if len(raw) != 20:
            raise BuildError("templates/pdf/furniture.html.j2: the footer must show the ten digits 0123456789")
        self.codes = [raw[k:k + 2] for k in range(0, 20, 2)]
        widths, default = _widths(page.obj.Resources.Font[font])
        self.widths = [widths.get(int.from_bytes(c, "big"), default) for c in self.codes]
        self.total = sum(self.widths) - kerning
        # the centre of the digits on the page, to measure the sideways move between left and right pages
        half = self.total / 2 * size / 1000
        x, y = tm[0] * half + tm[4], tm[1] * half + tm[5]
        self.centre = ctm[0] * x + ctm[2] * y + ctm[4]
        self.resources = page.obj.Resources

    def number(self, pdf, text: str, resources):
        digits = [int(ch) for ch in text]
        width = sum(self.widths[d] for d in digits)
        ops = list(self.ops)
        ops[self.at] = ContentStreamInstruction([Array([String(b"".join(self.codes[d] for d in digits))])],
                                                Operator("TJ"))
        ops.insert(self.at, ContentStreamInstruction([round((self.total - width) / 2 * self.size / 1000, 4), 0],
                                                     Operator("Td")))
        return pdf.make_stream(pikepdf.unparse_content_stream(ops), Type=Name.XObject, Subtype=Name.Form,
                               BBox=Array(self.bbox), Resources=resources)


class Furniture:
    """Running heads and page numbers for the body pages, from the furniture document."""

    def __init__(self, out, data: bytes) -> None:
        self.out = out
        self.src = pikepdf.open(io.BytesIO(data))
        self.digits = {key: _Digits(self.src.pages[i]) for key, i in DIGIT_PAGES.items()}
        self.resources = {key: out.copy_foreign(d.resources) for key, d in self.digits.items()}
        self.heads: dict[int, object] = {}

    def shift(self, landscape: bool, side: str) -> float:
        """How far a page typeset for the other side moves to sit on ``side``."""
        orient = "landscape" if landscape else "portrait"
        right, left = self.digits[(orient, "right")].centre, self.digits[(orient, "left")].centre
        return left - right if side == "left" else right - left

    def head(self, index: int, side: str):
        page = HEAD_PAGES + 2 * index + (side == "left")
        if page not in self.heads:
            if page >= len(self.src.pages):
                raise BuildError("templates/pdf/furniture.html.j2: a running head page is missing")
            self.heads[page] = self.out.copy_foreign(self.src.pages[page].as_form_xobject())
        return self.heads[page]

    def number(self, n: int, landscape: bool, side: str):
        key = ("landscape" if landscape else "portrait", side)
        return self.digits[key].number(self.out, str(n), self.resources[key])


def _dress(pdf, page, shift: float, forms: dict[str, object]) -> None:
    """Move ``page``'s content sideways by ``shift`` and lay ``forms`` (form XObjects) over it. The
    page's own content is wrapped in q … Q so that its graphics state cannot move the stamps; the
    resource names are fixed so that builds stay byte-identical."""
    resources = Dictionary(dict(page.obj.get("/Resources") or {}))  # a copy: pages of a part may share one
    xobjects = Dictionary(dict(resources.get("/XObject") or {}))
    for name, form in forms.items():
        xobjects[Name("/" + name)] = form
    resources[Name.XObject] = xobjects
    page.obj.Resources = resources
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, Array) else [contents] if contents is not None else []
    head = b"q\n" + (f"1 0 0 1 {shift:.4f} 0 cm\n".encode() if shift else b"")
    tail = b"\nQ\n" + b"".join(f"q /{name} Do Q\n".encode() for name in forms)
    page.obj.Contents = Array([pdf.make_stream(head), *streams, pdf.make_stream(tail)])
    if shift:
        for annot in page.obj.get("/Annots") or []:
            rect = annot.get("/Rect")
            if rect is not None:
                annot.Rect = Array([float(rect[0]) + shift, rect[1], float(rect[2]) + shift, rect[3]])


class Book:
    """The merged PDF as it is built, step by step: pages appended (front matter, then body parts),
    the named destinations and outline entries they bring, then links, names, outline, page labels
    and metadata written once every page is in."""

    def __init__(self, furniture_pdf: bytes) -> None:
        self.out = pikepdf.new()
        self.furniture = Furniture(self.out, furniture_pdf)
        self.dests: dict[str, Array] = {}
        self.outline: list[OutlineItem] = []
        self.front_pages = 0

    def append(self, src, shifts: list[float], continues: bool = False) -> None:
        """Append ``src``'s pages (each moved sideways by its shift), gathering its named
        destinations (the first of a name stands: a box continued over pages is anchored on each)
        and its outline (under the last chapter's entry when it ``continues`` that chapter)."""
        out = self.out
        start = len(out.pages)
        with warnings.catch_warnings():  # the named destinations are gathered below, from every part
            warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
            out.pages.extend(src.pages)
        index = {page.objgen: start + i for i, page in enumerate(src.pages)}

        def target(dest) -> tuple[int, float, float] | None:
            if isinstance(dest, Array) and len(dest) >= 4 and dest[0].objgen in index:
                page = index[dest[0].objgen]
                shift = shifts[page - start] if shifts else 0.0
                return page, float(dest[2]) + shift, float(dest[3])
            return None

        if "/Names" in src.Root and "/Dests" in src.Root.Names:
            for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
                found = target(dest)
                if found is not None and name not in self.dests:
                    page, left, top = found
                    self.dests[name] = Array([out.pages[page].obj, Name.XYZ, left, top, 0])

        def items(entries) -> list[OutlineItem]:
            made = []
            for entry in entries:
                found = target(entry.destination)
                if found is None:
                    continue
                page, left, top = found
                item = OutlineItem(entry.title, page, PageLocation.XYZ, left=left, top=top)
                item.children.extend(items(entry.children))
                made.append(item)
            return made

        with src.open_outline() as ol:
            entries = items(ol.root)
        if continues and self.outline:
            self.outline[-1].children.extend(entries)
        else:
            self.outline.extend(entries)

    def blank(self) -> None:
        """A blank page the size of the last one."""
        box = self.out.pages[-1].mediabox
        self.out.add_blank_page(page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1])))

    def add_front(self, front_pdf: bytes) -> None:
        """The front matter, and a blank page after it when it ends on a right-hand page: page 1
        of the body is a right-hand page."""
        self.append(pikepdf.open(io.BytesIO(front_pdf)), [])
        if len(self.out.pages) % 2:
            self.blank()
        self.front_pages = len(self.out.pages)

    def add_part(self, part: Part) -> None:
        """A body part: a blank page before it when asked, its pages moved to the side they fall
        on, dressed with their running heads (not on a chapter's opening page) and their page
        numbers."""
        if part.blank_before:
            self.blank()
        first = len(self.out.pages) - self.front_pages + 1  # the body page number of the part's first page
        src = pikepdf.open(io.BytesIO(part.pdf))
        sides = [side_of(first + k) for k in range(len(src.pages))]
        moved = (first % 2 == 0) != part.left  # typeset for the other side than it falls on
        shifts = [self.furniture.shift(part.landscape, side) if moved else 0.0 for side in sides]
        self.append(src, shifts, continues=not part.opens)
        for k, side in enumerate(sides):
            forms = {} if k == 0 and part.opens else {"MPhead": self.furniture.head(part.head, side)}
            forms["MPfolio"] = self.furniture.number(first + k, part.landscape, side)
            _dress(self.out, self.out.pages[self.front_pages + first + k - 1], shifts[k], forms)

    def resolve_links(self) -> None:
        """``mpanchor:`` links (to another part) become links to the named destinations."""
        for page in self.out.pages:
            for annot in page.obj.get("/Annots") or []:
                action = annot.get("/A")
                uri = action.get("/URI") if action is not None else None
                if uri is not None and str(uri).startswith("mpanchor:"):
                    del annot["/A"]
                    annot.Dest = String(str(uri)[len("mpanchor:"):])

    def write_names(self) -> None:
        names = pikepdf.NameTree.new(self.out)
        for name in sorted(self.dests):
            names[name] = self.dests[name]
        self.out.Root.Names = Dictionary(Dests=names.obj)

    def write_outline(self) -> None:
        with self.out.open_outline() as ol:
            ol.root.extend(self.outline)
        self.out.Root.PageMode = Name.UseOutlines

    def write_page_labels(self) -> None:
        """Roman numbers for the front matter, arabic from 1 for the body: as printed."""
        nums: list = [0, Dictionary(S=Name.r)]  # page index, then its numbering style
        if len(self.out.pages) > self.front_pages:
            nums += [self.front_pages, Dictionary(S=Name.D)]
        self.out.Root.PageLabels = Dictionary(Nums=Array(nums))

    def write_metadata(self, project: Project, volume: Volume, created: str) -> None:
        ed = project.edition
        self.out.Root.Lang = String(ed.language)
        stamp = "D:" + created.replace("-", "").replace(":", "").replace("T", "").rstrip("Z") + "Z"
        info = {
            "/Title": f"{ed.title} — {volume.title}", "/Author": ed.publisher or ed.city,
            "/Subject": volume.subtitle or volume.title,
            "/Keywords": f"smart city, masterplan, {ed.city}, {ed.period.start}-{ed.period.end}, "
                         + ", ".join(p.name for p in project.pillars),
            "/Creator": "masterplan", "/Producer": "WeasyPrint", "/CreationDate": stamp, "/ModDate": stamp,
        }
        for key, value in info.items():
            self.out.docinfo[key] = String(value)

    def save(self) -> bytes:
        unify(self.out)  # one font per typeface, not one per part
        buffer = io.BytesIO()
        self.out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
        return buffer.getvalue()


def side_of(body_page: int) -> str:
    """Odd body pages are right-hand pages (the body starts on one)."""
    return "right" if body_page % 2 else "left"


def merge(front_pdf: bytes, parts: list[Part], furniture_pdf: bytes, project: Project, volume: Volume,
          created: str) -> tuple[bytes, int]:
    """Join the front matter and the body parts into one book: the front matter (padded to end on
    a left-hand page), each part (after a blank page where its chapter must open on the right) with
    its heads and numbers, ``mpanchor:`` links resolved against the named destinations gathered
    from every part, the outline from the parts' own, page labels and metadata."""
    book = Book(furniture_pdf)
    book.add_front(front_pdf)
    for part in parts:
        book.add_part(part)
    book.resolve_links()
    book.write_names()
    book.write_outline()
    book.write_page_labels()
    book.write_metadata(project, volume, created)
    return book.save(), len(book.out.pages)
