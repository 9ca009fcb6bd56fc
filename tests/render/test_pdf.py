"""The printed volumes: structure, numbering, metadata, fonts, layout and reproducibility."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from conftest import REPO, copy_project, edit
from masterplan_kit.pipeline import load_and_check

VOLUMES = ["buku-1", "buku-2", "buku-saku"]


@pytest.fixture(scope="module")
def project():
    project, _ = load_and_check(REPO)
    return project


def _reader(built_books: Path, vid: str) -> pypdf.PdfReader:
    return pypdf.PdfReader(built_books / "pdf" / f"{vid}.pdf")


def _outline_titles(reader: pypdf.PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


@pytest.mark.parametrize("vid", VOLUMES)
def test_outline_has_an_entry_per_chapter(built_books: Path, project, vid):
    reader = _reader(built_books, vid)
    titles = _outline_titles(reader)
    volume = next(v for v in project.edition.volumes if v.id == vid)
    for item in volume.contents:
        if item in project.chapters:
            assert any(project.chapters[item].title in t for t in titles), (item, titles)
        elif item == "pillars":
            for pl in project.pillars:
                assert any(pl.name in t for t in titles), (pl.name, titles)
    assert "Daftar Isi" in titles
    assert any(t.startswith("BAB I ") for t in titles)
    front = {project.chapters[c].title for c in volume.contents if c in project.chapters and project.chapters[c].front}
    for t in titles:  # the top level holds chapters only; their sections sit under them
        assert t in front or t.startswith(("BAB ", "LAMPIRAN ", "Daftar ")), t
    sections = [item.title for group in reader.outline if isinstance(group, list) for item in group
                if not isinstance(item, list)]
    assert sections and all(re.match(r"^\d+(\.\d+)+ \S", t) for t in sections), sections


@pytest.mark.parametrize("vid", VOLUMES)
def test_page_labels_and_metadata(built_books: Path, project, vid):
    reader = _reader(built_books, vid)
    labels = reader.page_labels
    assert labels[:2] == ["i", "ii"]  # a booklet's front matter is its cover and the back of it
    assert "1" in labels and labels.index("1") >= 2 and labels.index("1") % 2 == 0
    first_body = labels.index("1")
    assert all(re.fullmatch(r"[ivxlc]+", label) for label in labels[:first_body])
    assert reader.metadata.title.startswith(project.edition.title)
    assert reader.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "id"


@pytest.mark.parametrize("vid", VOLUMES)
def test_daftar_isi_numbers_match_the_pages(built_books: Path, vid):
    reader = _reader(built_books, vid)
    labels = reader.page_labels
    texts = [p.extract_text() or "" for p in reader.pages]
    toc_pages = [i for i, t in enumerate(texts) if t.lstrip().startswith("Daftar Isi")]
    assert toc_pages, "no Daftar Isi page"
    entries = []
    for i in range(toc_pages[0], len(texts)):
        if not re.fullmatch(r"[ivxlc]+", labels[i]):
            break  # the lists end with the front matter
        for line in texts[i].splitlines()[1:]:
            m = re.match(r"^(.*?[A-Za-z].*?)\s+([ivxlc]+|\d+)$", line.strip())
            # entries only: the Buku Saku shares the page with a note and the imprint
            if m and re.match(r"(BAB [IVXLC]+|LAMPIRAN|\d+\.\d+|Tabel|Gambar|Daftar|Kata)\b", m.group(1)):
                entries.append((m.group(1).strip(), m.group(2)))
    assert len(entries) >= 5
    for title, label in entries:
        assert label in labels, (title, label)
        page_text = re.sub(r"\s+", " ", texts[labels.index(label)])
        words = re.sub(r"^(BAB [IVXLC]+|LAMPIRAN|(Tabel|Gambar) [\dL]+\.\d+|\d+(\.\d+)*)\s*", "", title)
        assert words[:25] in page_text, (title, label)


def test_daftar_isi_entries_link_to_their_pages(built_books: Path):
    """Every entry of the lists is a link, and it leads to the page its number names."""
    reader = _reader(built_books, "buku-2")
    labels = reader.page_labels
    named = reader.named_destinations
    toc = next(i for i, p in enumerate(reader.pages) if (p.extract_text() or "").lstrip().startswith("Daftar Isi"))
    links = [a.get_object() for a in reader.pages[toc].get("/Annots") or []]
    assert links and all("/Dest" in a and str(a["/Dest"]) in named for a in links)
    names = [str(a["/Dest"]) for a in links]
    names = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]]  # an entry may have several boxes
    targets = [named[n] for n in names]
    assert len(targets) >= 10
    printed = [line.rsplit(" ", 1)[1] for line in (reader.pages[toc].extract_text() or "").splitlines()[1:]
               if re.search(r"\s([ivxlc]+|\d+)$", line)]
    assert [labels[reader.get_destination_page_number(t)] for t in targets] == printed[:len(targets)]


def test_every_font_is_embedded(built_books: Path):
    for vid in VOLUMES:
        reader = _reader(built_books, vid)
        for page in reader.pages[:20]:
            fonts = (page.get("/Resources") or {}).get("/Font") or {}
            for ref in fonts.values():
                font = ref.get_object()
                descendants = font.get("/DescendantFonts")
                desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
                if desc is None:
                    continue
                desc = desc.get_object()
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_text_is_extractable(built_books: Path):
    text = _reader(built_books, "buku-1").pages[-1].extract_text()
    assert len(text.strip()) > 50


def test_programme_matrix_is_landscape_and_complete(built_books: Path, project):
    reader = _reader(built_books, "buku-2")
    annex = [p for p in reader.pages
             if "Matriks program" in (p.extract_text() or "") or "Lampiran" in (p.extract_text() or "").split("\n")[0]]
    matrix_pages = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert matrix_pages and annex
    squash = lambda t: re.sub(r"[\W_]+", "", t)
    text = squash(" ".join(p.extract_text() for p in matrix_pages))
    missing = [p.title for p in project.programmes if squash(p.title) not in text]
    assert missing == []
    portrait = [p for p in reader.pages if float(p.mediabox.width) < float(p.mediabox.height)]
    assert portrait


def test_buku_saku_is_a5(built_books: Path):
    page = _reader(built_books, "buku-saku").pages[0]
    assert round(float(page.mediabox.width)) == 420 and round(float(page.mediabox.height)) == 595


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
@pytest.mark.parametrize("vid", VOLUMES)
def test_no_text_overflows_the_page(built_books: Path, vid):
    out = subprocess.run(["pdftotext", "-bbox", str(built_books / "pdf" / f"{vid}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    overflow = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        w, h = float(page.group(1)), float(page.group(2))
        for m in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page.group(3)):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            if x0 < 0 or y0 < 0 or x1 > w + 0.5 or y1 > h + 0.5:
                overflow.append(m.group(5))
    assert overflow == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_left_and_right_pages_mirror_their_margins(built_books: Path):
    """Body pages alternate right (odd) and left (even) whatever render unit they come from: the
    text of a left page starts at its narrower left margin, under the volume's running head."""
    pdf = built_books / "pdf" / "buku-2.pdf"
    labels = pypdf.PdfReader(pdf).page_labels
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S)
    checked = 0
    for label, (width, body) in zip(labels, pages, strict=True):
        xs = [float(x) for x in re.findall(r'xMin="([\d.]+)"', body)]
        if not label.isdigit() or not xs or float(width) > 600:  # front matter, blank and landscape pages
            continue
        left_margin = min(xs) * 25.4 / 72
        if int(label) % 2:
            assert left_margin > 24, (label, left_margin)  # right page: 25 mm
        else:
            assert 19 < left_margin < 21, (label, left_margin)  # left page: 20 mm
            assert "Buku 2" in " ".join(re.sub(r"<[^>]+>", " ", body).split()[:10]), label  # the volume's head
        checked += 1
    assert checked > 40


def test_html_inspection_copy(built_books: Path, tmp_path: Path):
    from weasyprint import HTML

    html = (built_books / "pdf" / "buku-saku.html").read_text(encoding="utf-8")
    assert html.count("<html") == 1 and "Daftar Isi" in html and "BAB I" in html
    assert '<link rel="stylesheet"' not in html and "@page" in html  # the stylesheet is inlined
    doc = HTML(filename=str(built_books / "pdf" / "buku-saku.html")).render()
    assert len(doc.pages) >= 6


@pytest.mark.parametrize("variant,check", [("pdf/a-3b", "/Metadata"), ("pdf/ua-1", "/StructTreeRoot")])
def test_pdf_variants(tmp_path: Path, variant, check):
    from masterplan_kit.render.pdf import write_pdfs

    root = copy_project(tmp_path / "p")
    project, _ = load_and_check(root)
    (pdf,) = write_pdfs(project, tmp_path / "out", ["buku-saku"], variant)
    reader = pypdf.PdfReader(pdf)
    assert check in reader.trailer["/Root"]
    assert reader.page_labels[0] == "i"


@pytest.mark.parametrize("image", ["../../../../etc/hostname", "http://example.com/peta.png"])
def test_image_outside_the_project_fails_clearly(tmp_path: Path, cli, image):
    root = copy_project(tmp_path / "p")
    edit(root, "masterplan/chapters/ringkasan.md", "## Enam Pilar\n", f"## Enam Pilar\n\n![Peta]({image})\n")
    result = cli("build", "pdf", "--path", root, "--volume", "buku-saku")
    assert result.exit_code == 1
    assert "E208" in result.output
    assert not (root / "build" / "pdf").exists()


def test_fetcher_reads_only_project_files(tmp_path: Path):
    from masterplan_kit.render.fetch import ProjectFetcher, RefusedResource

    inside = tmp_path / "p" / "a.txt"
    inside.parent.mkdir()
    inside.write_text("x")
    fetcher = ProjectFetcher(tmp_path / "p")
    assert fetcher.fetch(inside.as_uri()).read() == b"x"
    for url in ["http://example.com/x.png", "https://example.com/x.png", "ftp://example.com/x",
                (tmp_path / "outside.txt").as_uri(), "file:///etc/passwd"]:
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_failed_pdf_build_keeps_the_previous_book(tmp_path: Path, cli):
    root = copy_project(tmp_path / "p")
    assert cli("build", "pdf", "--path", root, "--volume", "buku-saku").exit_code == 0
    book = root / "build" / "pdf" / "buku-saku.pdf"
    before = book.read_bytes()
    (root / "templates" / "pdf").mkdir(parents=True)
    (root / "templates" / "pdf" / "body.html.j2").write_text("{% broken", encoding="utf-8")
    result = cli("build", "pdf", "--path", root, "--volume", "buku-saku")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "templates/pdf/body.html.j2:1:1: error[E501]" in result.output
    assert book.read_bytes() == before
