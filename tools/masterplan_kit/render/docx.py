"""DOCX copies for reviewers: the assembled volume converted by pandoc with templates/docx/reference.docx.

The volume is the one the PDF prints (render/book.py: the same chapters, section, table and figure
numbers, the same charts), laid out by templates/docx/volume.html.j2 as a Word document: a cover,
the imprint, the front chapters, the contents and the lists of tables and figures, then the body.
Headings become Word heading styles (Heading 1 for "BAB I …", Heading 2 for "1.1 …"), tables real
Word tables, charts and images pictures (docx_html.py prepares the HTML for pandoc's DOCX writer),
and docx_package.py finishes what pandoc wrote: page numbers in the contents, the sections and
their page numbering, PNG fallbacks for the SVG pictures.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..model import Project, Volume
from ..model.licences import licence
from ..templating import find_template_file
from .book import BookChapter, Entry, VolumeBook, book_environment
from .dates import source_date, source_revision, tanggal
from .docx_html import Page, prepare
from .docx_html import tables as fit_tables
from .docx_package import PAPERS, finish
from .outputs import BuildOptions
from .pandoc import project_fragments, run_pandoc
from .write import write_bytes


class DocxBuildError(BuildError):
    pass


def _reference(root: Path) -> Path:
    found = find_template_file(root, "docx/reference.docx")
    if found is None:
        raise DocxBuildError("templates/docx/reference.docx not found")
    return found


def build_docx(project: Project, options: BuildOptions, volume_id: str) -> list[Path]:
    """The ``docx`` output of one volume (see outputs.py)."""
    return write_docx(project, options.out / "docx", [volume_id])


def contents(front: list[BookChapter], body: list[BookChapter]) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """The lines of the Daftar Isi, Daftar Tabel and Daftar Gambar (the PDF's, without its own)."""
    tables = [t for ch in body for t in ch.tables]
    figures = [f for ch in body for f in ch.figures]
    toc = [Entry(1, ch.key, "", ch.title) for ch in front]
    if tables:
        toc.append(Entry(1, "daftar-tabel", "", "Daftar Tabel"))
    if figures:
        toc.append(Entry(1, "daftar-gambar", "", "Daftar Gambar"))
    for ch in body:
        toc.append(Entry(1, ch.key, ch.label, ch.title))
        toc.extend(ch.headings)
    return toc, tables, figures


def volume_html(project: Project, volume: Volume, env, fragments: dict) -> str:
    """The volume's HTML as pandoc reads it: templates/docx/volume.html.j2, prepared for Word."""
    ed = project.edition
    root = project.root
    front, body = VolumeBook(project, volume, env, fragments).chapters()
    paper = PAPERS[_paper(volume)]
    for ch in body:
        if ch.annex:  # on landscape pages: its tables are fitted to their width
            ch.html = fit_tables(ch.html, Page(paper.turned().text_width))
    toc, tables, figures = contents(front, body)
    booklet = volume.paper.upper() == "A5"
    if booklet:
        toc = [e for e in toc if e.anchor not in ("daftar-tabel", "daftar-gambar")]
    logo = (root / "masterplan" / ed.logo) if ed.logo else None
    html = env.get_template("docx/volume.html.j2").render(
        project=project, edition=ed, volume=volume, front=front, body=body, toc=toc, tables=tables,
        figures=figures, booklet=booklet, created=source_date(root), revision=source_revision(root),
        licence=licence(ed.licence.content), logo_url=logo.resolve().as_uri() if logo and logo.is_file() else "")
    return prepare(html, root, Page(paper.text_width))


def _paper(volume: Volume) -> str:
    return "A5" if volume.paper.upper() == "A5" else "A4"


def write_docx(project: Project, out_dir: Path, volume_ids: list[str] | None = None) -> list[Path]:
    env = book_environment(project.root)
    fragments = project_fragments(project)
    reference = _reference(project.root)
    ed = project.edition
    created = source_date(project.root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(_epoch(created))
    written = []
    for volume in ed.volumes:
        if volume_ids and volume.id not in volume_ids:
            continue
        html = volume_html(project, volume, env, fragments)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"{volume.id}.docx"
            old = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ["SOURCE_DATE_EPOCH"] = epoch  # pandoc stamps the DOCX with it: reproducible
            try:
                run_pandoc(["--from=html", "--to=docx", f"--output={target}",
                            "--sandbox", f"--reference-doc={reference}",
                            f"--metadata=title:{ed.title} — {volume.title}",
                            f"--metadata=subject:{volume.subtitle or volume.title}",
                            f"--metadata=author:{ed.publisher or ed.city}", f"--metadata=lang:{ed.language}",
                            f"--metadata=date:{tanggal(ed.published or created)}"],
                           html, f"volume {volume.id}")
            finally:
                if old is None:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)
                else:
                    os.environ["SOURCE_DATE_EPOCH"] = old
            data = finish(target.read_bytes(), PAPERS[_paper(volume)], f"{ed.title} — {volume.title}", created)
        out = out_dir / f"{volume.id}.docx"
        write_bytes(out, data)
        written.append(out)
    return written


def _epoch(iso: str) -> int:
    import calendar
    import time

    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))
