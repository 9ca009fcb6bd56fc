"""Layout invariants of the printed volumes, measured on the PDFs: the default volumes and Buku 2 of
a synthetic 300-programme masterplan (chapters long enough to run over many pages, tables that
continue, charts split over pages).

- nothing of the body outside the text block (landscape pages against their own block);
- every chapter opening, and page 1, on a right-hand (odd) physical page;
- the merged book is the single-pass render of the same HTML: same page count, every anchor on the
  same page (the render units are invisible);
- no body page more than 60 % empty unless a chapter or the annex opens next;
- no heading or caption last on a page;
- hyphenation by Indonesian rules: never in names or words in capitals, never a consonant parted
  from its vowel, never more than two hyphenated lines in a row.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import bookcheck
import pikepdf
import pytest

from conftest import REPO

DEFAULT = ["buku-1", "buku-2", "buku-saku", "laporan-capaian"]
HYPHEN = "\u2010"  # the hyphen WeasyPrint sets where it breaks a word


def _build(root: Path) -> None:
    subprocess.run([str(Path(sys.executable).with_name("masterplan")), "build", "pdf", "--volume", "buku-2",
                    "--html", "--path", str(root)], check=True, capture_output=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """Buku 2 of a synthetic 300-programme masterplan, built once (about half a minute)."""
    from masterplan_kit.synth import write_synthetic

    root = write_synthetic(tmp_path_factory.mktemp("synth") / "project", programmes=300, paragraphs=1)
    _build(root)
    return root / "build" / "pdf"


@pytest.fixture(scope="module")
def edited(synthetic: Path, tmp_path_factory) -> Path:
    """The synthetic masterplan with its build and caches, a programme's title made long enough to
    take more lines in every table, built again: the changed pieces are rendered again, the layout
    after them moves, the cuts the last build found fail and are found anew."""
    root = tmp_path_factory.mktemp("edited") / "project"
    shutil.copytree(synthetic.parent.parent, root)
    prog = sorted((root / "pillars" / "governance" / "programmes").glob("*.yml"))[1]
    prog.write_text(prog.read_text(encoding="utf-8").replace(
        "title: Program", "title: Program terpadu lintas perangkat daerah untuk layanan warga", 1), encoding="utf-8")
    _build(root)
    return root / "build" / "pdf"


@pytest.fixture(params=[*DEFAULT, "synthetic", "edited"])
def book(request, built_books: Path) -> Path:
    """The PDF of a volume (its HTML copy beside it)."""
    if request.param in ("synthetic", "edited"):
        return request.getfixturevalue(request.param) / "buku-2.pdf"
    return built_books / "pdf" / f"{request.param}.pdf"


def test_an_edited_book_equals_a_cold_build(edited: Path, tmp_path: Path):
    """Pieces reused, rendered again or cut anew: the same bytes as a build from nothing."""
    root = tmp_path / "project"
    shutil.copytree(edited.parent.parent, root, ignore=shutil.ignore_patterns("build"))
    _build(root)
    assert (root / "build" / "pdf" / "buku-2.pdf").read_bytes() == (edited / "buku-2.pdf").read_bytes()


def _labels(path: Path) -> list[str]:
    import pypdf

    return pypdf.PdfReader(path).page_labels


def _destinations(path: Path) -> dict[str, int]:
    with pikepdf.open(path) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        return {name: index[d[0].objgen] for name, d in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def _openings(path: Path) -> list[int]:
    """Physical indexes of the pages that open a chapter or the annex (top-level outline entries
    of the body)."""
    import pypdf

    reader = pypdf.PdfReader(path)
    return [reader.get_destination_page_number(item) for item in reader.outline
            if not isinstance(item, list) and item.title.startswith(("BAB ", "LAMPIRAN"))]


def test_nothing_outside_the_text_block(book: Path):
    with bookcheck.open_pdf(book) as pdf:
        outside = {i + 1: "".join(m.text or m.kind[0] for m in found[:20])
                   for i, page in enumerate(pdf.pages[1:], start=1) if (found := bookcheck.outside(page, i))}
    assert outside == {}


def test_chapters_and_page_one_open_on_right_hand_pages(book: Path):
    labels = _labels(book)
    assert labels.index("1") % 2 == 0  # physical index 0 is the first right-hand page
    openings = _openings(book)
    assert openings and all(i % 2 == 0 for i in openings), [labels[i] for i in openings if i % 2]


@dataclass
class SinglePass:
    pages: int
    anchors: dict[str, int]  # the page of each anchor
    continued: list[tuple[int, bool]]  # see _continued_tables


_SINGLE: dict[Path, SinglePass] = {}


def _single_pass(book: Path) -> SinglePass:
    """The volume's HTML rendered as one WeasyPrint document (once per book)."""
    if book not in _SINGLE:
        from weasyprint import HTML

        from masterplan_kit.render import typeset
        from masterplan_kit.render.pdf import use_hyphenation

        use_hyphenation(REPO)
        typeset.apply()  # as the render processes do
        doc = HTML(filename=str(book.with_suffix(".html"))).render()
        anchors: dict[str, int] = {}
        for i, page in enumerate(doc.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, i)
        _SINGLE[book] = SinglePass(len(doc.pages), anchors, _continued_tables(doc))
    return _SINGLE[book]


def test_merged_book_is_the_single_pass_render(book: Path):
    """Rendered as one document, the volume's HTML gives the same pages: the units are invisible."""
    single = _single_pass(book)
    merged = _destinations(book)
    moved = {a: (p, merged[a]) for a, p in single.anchors.items() if a in merged and p != merged[a]}
    assert single.pages == len(_labels(book))
    assert moved == {}


def _continued_tables(doc) -> list[int]:
    """The pages that begin inside a table continued from the page before (found in the layout:
    descending from the page's top, every box is continued down to a table), and whether the
    header repeated there starts with the caption row."""
    out, before = [], set()
    for i, page in enumerate(doc.pages):
        here: set[int] = set()
        stack = [page._page_box.children[0]]
        while stack:
            b = stack.pop()
            if type(b).__name__ != "LineBox":
                here.add(id(b.element))
                stack.extend(getattr(b, "children", ()))
        box = page._page_box.children[0]
        while True:
            kids = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()]
            if not kids or type(kids[0]).__name__ == "LineBox":
                break
            box = kids[0]
            if id(box.element) not in before:
                break
            if type(box).__name__ == "TableBox":
                header = box.children[0] if box.children and getattr(box.children[0], "is_header", False) else None
                first_row = header.children[0].element if header is not None and header.children else None
                out.append((i, first_row is not None and "mp-caption" in (first_row.get("class") or "")))
                break
        before = here
    return out


def test_continued_tables_repeat_their_header_and_say_so(book: Path):
    """A table running over pages repeats its header, under its caption with "(lanjutan)"; the word
    is on those pages only."""
    continued = _single_pass(book).continued
    assert all(captioned for _, captioned in continued), continued
    pages = subprocess.run(["pdftotext", str(book), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    said = [i for i, text in enumerate(pages) if "\u00a0(lanjutan)" in text or " (lanjutan)" in text]
    assert said == [i for i, _ in continued]


def test_no_body_page_mostly_empty(book: Path):
    labels = _labels(book)
    openings = set(_openings(book))
    with bookcheck.open_pdf(book) as pdf:
        pages = pdf.pages
        empty = []
        for i, page in enumerate(pages):
            if not labels[i].isdigit() or i + 1 >= len(pages):
                continue
            after = i + 1
            while after < len(pages) and not bookcheck.lines(pages[after], after):
                after += 1  # a blank page before a chapter
            fill = bookcheck.fill(page, i)
            if fill and fill < 0.4 and after not in openings and after < len(pages):
                empty.append((labels[i], round(fill, 2)))
    assert empty == []


def test_no_heading_or_caption_last_on_a_page(book: Path):
    """Headings, table captions (above their table) and the group rows of a table never end a
    page; a figure's caption, under its figure, may."""
    labels = _labels(book)
    with bookcheck.open_pdf(book) as pdf:
        stranded = [(labels[i], text) for i, page in enumerate(pdf.pages)
                    if labels[i].isdigit() and (text := bookcheck.last_line_is_heading(page, i))
                    and not text.startswith("Gambar")]
    assert stranded == []


VOWELS = set("aeiou")


def _hyphenations(path: Path) -> list[tuple[str, str, int]]:
    """Every word broken at a line end: (part before, part after, lines hyphenated in a row)."""
    text = subprocess.run(["pdftotext", "-nopgbrk", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found, run = [], 0
    for here, after in itertools.pairwise(lines):
        if here.endswith(HYPHEN):
            run += 1
            before = re.findall(r"[\w'’.!-]+$", here[:-1])
            rest = re.findall(r"^[\w'’.!-]+", after)
            found.append((before[0] if before else "", rest[0] if rest else "", run))
        else:
            run = 0
    return found


@pytest.mark.parametrize("vid", DEFAULT)
def test_hyphenation_follows_indonesian_rules(built_books: Path, vid):
    broken = _hyphenations(built_books / "pdf" / f"{vid}.pdf")
    names = [f"{a}-{b}" for a, b, _ in broken if a[:1].isupper() or any(ch.isupper() for ch in b)]
    parted = [f"{a}-{b}" for a, b, _ in broken
              if a and b and a[-1].lower() not in VOWELS and b[0].lower() in VOWELS]
    runs = [f"{a}-{b}" for a, b, run in broken if run > 2]
    assert names == []
    assert parted == []
    assert runs == []  # render/typeset.py: WeasyPrint has no hyphenate-limit-lines of its own


def test_hyphenation_patterns():
    import pyphen

    from masterplan_kit.templating import TOOLKIT_TEMPLATES

    words = pyphen.Pyphen(filename=str(TOOLKIT_TEMPLATES / "pdf" / "hyph_id.dic"), left=2, right=3)
    assert words.inserted("kelurahan") == "ke-lu-ra-han"
    assert words.inserted("pengembangan") == "pe-ngem-ba-ngan"
    assert words.inserted("masyarakat") == "ma-sya-ra-kat"
    assert words.inserted("instruksi") == "in-struksi"
    assert words.inserted("tanggung") == "tang-gung"
    assert words.inserted("program") == "pro-gram"
