"""PDF volumes ("buku"): templates/pdf/ rendered by WeasyPrint.

A volume is rendered as two documents and merged: the body first (chapters "BAB I" …, numbered
from 1), whose page numbers then fill the front matter (cover, title page, front chapters, Daftar
Isi, Daftar Tabel, Daftar Gambar, numbered i, ii …). The merged PDF gets page labels that match the
printed numbers, an outline from the headings, and metadata from the edition.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..model import Project, Volume
from ..templating import TOOLKIT_TEMPLATES, template_env
from . import fmt
from .book import Entry, VolumeBook, roman
from .markdown import project_fragments
from .build import BuildError
from .write import write_bytes, write_text

VARIANTS = ("pdf/a-3b", "pdf/ua-1")


class PdfBuildError(BuildError):
    pass


def source_date() -> str:
    """ISO date of SOURCE_DATE_EPOCH, else of the last commit, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True,
                                   timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    seconds = int(epoch) if epoch.isdigit() else 946684800  # 2000-01-01
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


# --- rendering -----------------------------------------------------------------------------

def _page_of_anchors(document) -> dict[str, int]:
    pages: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for anchor in page.anchors:
            pages.setdefault(anchor, i)
    return pages


def _page_labels(front_pages: int):
    import pydyf

    def finisher(document, pdf) -> None:
        nums = pydyf.Array([0, pydyf.Dictionary({"S": "/r"})])
        if len(document.pages) > front_pages:
            nums.extend([front_pages, pydyf.Dictionary({"S": "/D"})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
    return finisher


@dataclass
class RenderedVolume:
    pdf: bytes
    html: str
    pages: int
    front_pages: int


def render_volume(project: Project, volume: Volume, env: jinja2.Environment, fragments: dict,
                  variant: str | None = None) -> RenderedVolume:
    from weasyprint import HTML

    from .fetch import ProjectFetcher

    book = VolumeBook(project, volume, env, fragments)
    front, body = book.chapters()
    root = project.root
    fetcher = ProjectFetcher(root, TOOLKIT_TEMPLATES)
    css = _find(root, "pdf/book.css")
    logo = (root / "masterplan" / project.edition.logo) if project.edition.logo else None
    context = dict(project=project, edition=project.edition, volume=volume, created=source_date(),
                   css_url=css.as_uri(), logo_url=logo.resolve().as_uri() if logo and logo.is_file() else "")

    body_html = env.get_template("pdf/body.html.j2").render(context, chapters=body)
    body_doc = HTML(string=body_html, base_url=str(root), url_fetcher=fetcher).render()
    body_pages = _page_of_anchors(body_doc)

    toc: list[Entry] = []
    for ch in front:
        toc.append(Entry(1, ch.key, "", ch.title))
    toc.append(Entry(1, "daftar-isi", "", "Daftar Isi"))
    tables = [t for ch in body for t in ch.tables]
    figures = [f for ch in body for f in ch.figures]
    if tables:
        toc.append(Entry(1, "daftar-tabel", "", "Daftar Tabel"))
    if figures:
        toc.append(Entry(1, "daftar-gambar", "", "Daftar Gambar"))
    front_entries = list(toc)
    for ch in body:
        toc.append(Entry(1, ch.key, ch.label, ch.title))
        toc.extend(ch.headings)
    for e in toc + tables + figures:
        if e.anchor in body_pages:
            e.page = str(body_pages[e.anchor] + 1)

    def render_front():
        text = env.get_template("pdf/front.html.j2").render(
            context, front_chapters=front, toc=toc, tables=tables, figures=figures)
        return text, HTML(string=text, base_url=str(root), url_fetcher=fetcher).render()

    front_html, front_doc = render_front()
    front_pages = _page_of_anchors(front_doc)
    for e in front_entries:  # numbers of the front matter itself, in roman numerals
        e.page = roman(front_pages.get(e.anchor, 0) + 1).lower()
    front_html, front_doc = render_front()

    merged = front_doc.copy(front_doc.pages + body_doc.pages)
    options = {"pdf_variant": variant} if variant else {}
    pdf = merged.write_pdf(finisher=_page_labels(len(front_doc.pages)), pdf_identifier=_identifier(volume, body_html),
                           **options)
    whole = front_html.replace("</body>", _inner_body(body_html) + "</body>")
    return RenderedVolume(pdf, _inline_css(whole, css), len(merged.pages), len(front_doc.pages))


def _inline_css(page: str, css: Path) -> str:
    """The stylesheet inlined (its fonts by absolute URL), so the one HTML file renders alone."""
    text = css.read_text(encoding="utf-8")
    text = re.sub(r"url\((?!data:|file:)([^)]+)\)", lambda m: f"url({(css.parent / m.group(1).strip(chr(34) + chr(39))).resolve().as_uri()})", text)
    link = f'<link rel="stylesheet" href="{css.as_uri()}">'
    return page.replace(link, f"<style>\n{text}</style>", 1)


def _identifier(volume: Volume, text: str) -> bytes:
    import hashlib

    return hashlib.md5((volume.id + text).encode("utf-8")).hexdigest().encode("ascii")


def _inner_body(page: str) -> str:
    m = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
    return m.group(1) if m else ""


def _find(root: Path, name: str) -> Path:
    for base in (root / "templates", TOOLKIT_TEMPLATES):
        if (base / name).is_file():
            return base / name
    raise PdfBuildError(f"template '{name}' not found")


def pdf_environment(root: Path) -> jinja2.Environment:
    env = template_env(root, autoescape=jinja2.select_autoescape(["html", "j2"], default=True))
    env.filters.update(fmt.FILTERS)
    return env


def write_pdfs(project: Project, out_dir: Path, volume_ids: list[str] | None = None, variant: str | None = None,
               with_html: bool = False) -> list[Path]:
    from weasyprint.urls import FatalURLFetchingError

    volumes = [v for v in project.edition.volumes if not volume_ids or v.id in volume_ids]
    unknown = set(volume_ids or []) - {v.id for v in project.edition.volumes}
    if unknown:
        raise PdfBuildError(f"unknown volume {', '.join(sorted(unknown))}; volumes: "
                            + ", ".join(v.id for v in project.edition.volumes))
    env = pdf_environment(project.root)
    fragments = project_fragments(project)
    written = []
    for volume in volumes:
        try:
            rendered = render_volume(project, volume, env, fragments, variant)
        except FatalURLFetchingError as exc:
            raise PdfBuildError(f"{volume.id}: {exc}") from None
        target = out_dir / f"{volume.id}.pdf"
        write_bytes(target, rendered.pdf)
        written.append(target)
        if with_html:
            write_text(out_dir / f"{volume.id}.html", rendered.html)
            written.append(out_dir / f"{volume.id}.html")
    return written
