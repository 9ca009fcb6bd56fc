"""PDF volumes ("buku"): templates/pdf/ rendered by WeasyPrint.

The body chapters ("BAB I" …, numbered from 1) are rendered first, in pieces cut where their own
layout begins a page (render/pdfsplit.py), each its own document, in parallel and cached by content
hash; their page numbers then fill the front matter (cover, title page, front chapters, Daftar Isi,
Daftar Tabel, Daftar Gambar, numbered i, ii …). The merge stamps the body's running heads and page
numbers, restores links between the parts, and gives the PDF page labels that match the printed
numbers, an outline from the headings and metadata from the edition. The archival and tagged
variants are rendered as one document (they cannot be assembled from parts).
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import contextlib
import functools
import importlib
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..errors import BuildError
from ..model import Project, Volume
from ..model.licences import licence
from ..templating import TOOLKIT_TEMPLATES, find_template_file
from . import typeset
from .book import BookChapter, Entry, VolumeBook, book_environment, roman
from .cache import template_cache
from .dates import source_date, source_revision
from .outputs import BuildOptions
from .pandoc import memory_limit_mb, project_fragments, time_limit
from .pdfcaptions import caption_rows, first_headers
from .pdfmerge import Part, merge
from .pdfsplit import Piece, Plan, Rendered, cut_document
from .write import write_bytes, write_text

VARIANTS = ("pdf/a-3b", "pdf/ua-1")


class PdfBuildError(BuildError):
    pass


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


@dataclass
class UnitPdf:
    """One render unit rendered on its own: its PDF, page count, the pages of its anchors, and the
    files WeasyPrint read for it (requested path -> digest). A chapter document comes in pieces
    instead (render/pdfsplit.py): ``pieces``, and ``rest`` where a piece needs a longer document."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    read: dict[str, str] = field(default_factory=dict)
    pieces: list[Piece] | None = None
    rest: str | None = None


_ANCHOR_ID = re.compile(r'\bid="([^"]+)"')
_HASH_HREF = re.compile(r'href="#([^"]+)"')


def _cross_links(page: str, within: bool = True) -> str:
    """Links to anchors of other documents of the volume become ``mpanchor:`` URIs, which the
    merge turns into links to the named destinations of the merged PDF; ``within=False``: every
    link, as a chapter is rendered in pieces (and a piece's PDF must not depend on where the
    other pieces are cut)."""
    own = set(_ANCHOR_ID.findall(page)) if within else set()
    return _HASH_HREF.sub(lambda m: m.group(0) if m.group(1) in own else f'href="mpanchor:{m.group(1)}"', page)


_FONTS = None  # one font configuration per worker process: @font-face files load once
# linked stylesheets, parsed once per process and version, with the files read to parse them (fonts, imports)
_SHEETS: dict[tuple[str, int], tuple[object, dict[str, str]]] = {}
_LINKS = re.compile(r'<link rel="stylesheet" href="(file:[^"]+)">\n?')


def _stylesheets(text: str, project: Path, roots: list[Path]) -> tuple[str, list, dict[str, str]]:
    """The document without its stylesheet links, and those stylesheets parsed (once per process:
    every part of a volume links the same ones). WeasyPrint takes them as user stylesheets: their
    cascade among themselves is unchanged, and the documents' own ``<style>`` rules and ``style``
    attributes, meant to override them, still do."""
    from urllib.parse import unquote, urlparse

    from weasyprint import CSS

    from .fetch import ProjectFetcher, read_digests

    sheets, read = [], {}
    for href in _LINKS.findall(text):
        key = (href, Path(unquote(urlparse(href).path)).stat().st_mtime_ns)
        if key in _SHEETS and not read_digests(_SHEETS[key][1], project):
            _SHEETS.clear()  # a font or import changed under a long-lived process: parse afresh
        if key not in _SHEETS:
            fetcher = ProjectFetcher(project, *roots)
            _SHEETS[key] = (CSS(url=href, url_fetcher=fetcher, font_config=_FONTS), fetcher.read)
        sheet, sheet_read = _SHEETS[key]
        sheets.append(sheet)
        read.update(sheet_read)
    return _LINKS.sub("", text), sheets, read


_HEADING_TEXT = re.compile(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]>", re.S)


def unit_name(text: str) -> str:
    """What a render unit holds, for messages: its first heading."""
    m = _HEADING_TEXT.search(text)
    if m is None:
        return "a part of the volume"
    import html

    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())
    return f"'{words[:80]}'"


def _render_unit(job: tuple[str, str, list[str]]) -> UnitPdf:
    """Worker: render one chapter document (runs in a forked process). A refused resource (WeasyPrint
    stops on it with a BaseException, which would end the worker) and running out of memory come back
    as an ordinary error naming the unit."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from .fetch import ProjectFetcher

    text, base_url, roots = job
    try:
        if _FONTS is None:
            _warm()
        project, *more = map(Path, roots)
        fetcher = ProjectFetcher(project, *more)
        text, sheets, read = _stylesheets(text, project, more)
        doc = HTML(string=text, base_url=base_url, url_fetcher=fetcher).render(font_config=_FONTS, stylesheets=sheets)
        return _unit_result(doc, {**read, **fetcher.read})
    except FatalURLFetchingError as exc:
        raise PdfBuildError(f"{unit_name(text)}: {exc}") from None
    except MemoryError:
        raise PdfBuildError(f"{unit_name(text)}: rendering needed more than {memory_limit_mb()} MiB; see the README "
                            "on MASTERPLAN_MEMORY_MB") from None


def _unit_result(doc, read: dict[str, str]) -> UnitPdf:
    """A rendered document as a unit: its PDF, or for a chapter document its pieces, each
    written on its own (its pages only: the bytes depend on nothing else)."""
    first_headers(doc)
    layout = cut_document(doc)
    if layout is None:
        return UnitPdf(doc.write_pdf(), len(doc.pages), _page_of_anchors(doc), read)
    pieces = []
    for cut in layout.cuts:
        part = doc.copy(doc.pages[cut.first:cut.end])
        pieces.append(Piece(part.write_pdf(), cut.end - cut.first, _page_of_anchors(part), cut.start, cut.until,
                            cut.first % 2 == 1))
    return UnitPdf(b"", sum(p.pages for p in pieces), {}, read, pieces, layout.rest)


class UnitCache:
    """Rendered units by the hash of their HTML, the stylesheets and the toolkit (content-addressed);
    a unit is reused only while every file WeasyPrint read for it (images, fonts, imports) is unchanged.
    A chapter document's entry lists its pieces, whose PDFs are kept by the digest of their bytes."""

    def __init__(self, folder: Path | None, css: list[Path], project: Path) -> None:
        """``css``: the stylesheets every part links, which shape them as much as their HTML."""
        import hashlib

        from .cache import code_digest, file_digest

        self.folder = folder
        self.project = project
        self.used: set[str] = set()
        h = hashlib.sha256(code_digest().encode())
        for sheet in css:
            h.update(file_digest(sheet).encode())
        self.shared = h.digest()

    def key(self, text: str) -> str:
        import hashlib

        return hashlib.sha256(self.shared + text.encode("utf-8")).hexdigest()

    def _json(self, name: str) -> dict | None:
        import json

        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def get(self, key: str) -> UnitPdf | None:
        info = self._json(key)
        if info is None or self.folder is None:
            return None
        from .resources import read_digests

        read = info.get("read", {})
        if not read_digests(read, self.project):
            return None  # an image, font or import it was made from has changed
        try:
            if "pieces" not in info:
                unit = UnitPdf((self.folder / f"{key}.pdf").read_bytes(), info["pages"], info["anchors"], read)
                self.used.add(key)
                return unit
            pieces = [Piece((self.folder / f"{p['pdf']}.pdf").read_bytes(), p["pages"], p["anchors"], p["start"],
                            p["until"], p["left"]) for p in info["pieces"]]
        except (OSError, KeyError):
            return None
        self.used.add(key)
        self.used.update(p["pdf"] for p in info["pieces"])
        return UnitPdf(b"", sum(p.pages for p in pieces), {}, read, pieces, info.get("rest"))

    def put(self, key: str, unit: UnitPdf) -> None:
        import hashlib
        import json

        self.used.add(key)
        if self.folder is None:
            return
        if unit.pieces is None:
            write_bytes(self.folder / f"{key}.pdf", unit.pdf)
            write_text(self.folder / f"{key}.json",
                       json.dumps({"pages": unit.pages, "anchors": unit.anchors, "read": unit.read}))
            return
        pieces = []
        for piece in unit.pieces:
            blob = hashlib.sha256(piece.pdf).hexdigest()
            self.used.add(blob)
            if not (self.folder / f"{blob}.pdf").is_file():
                write_bytes(self.folder / f"{blob}.pdf", piece.pdf)
            pieces.append({**piece.meta(), "pdf": blob})
        write_text(self.folder / f"{key}.json",
                   json.dumps({"read": unit.read, "pieces": pieces, "rest": unit.rest}))

    def numbers(self) -> dict[str, str]:
        """The front matter's page numbers of the last build: the first guess of this one."""
        return self._json("numbers") or {}

    def remember_numbers(self, numbers: dict[str, str]) -> None:
        import json

        if self.folder is not None:
            write_text(self.folder / "numbers.json", json.dumps(numbers, sort_keys=True))

    def chapters(self) -> dict[str, dict]:
        """Where the last build cut each chapter (render/pdfsplit.py)."""
        return self._json("chapters") or {}

    def remember_chapters(self, plans: dict[str, dict]) -> None:
        import json

        if self.folder is not None:
            write_text(self.folder / "chapters.json", json.dumps(plans, sort_keys=True))

    def prune(self) -> None:
        """Forget what this build did not use (chapters no longer in the volume, old versions)."""
        if self.folder is None or not self.folder.is_dir():
            return
        keep = self.used | {"numbers", "chapters"}
        for f in self.folder.iterdir():
            if f.stem not in keep:
                f.unlink(missing_ok=True)


_POOL: concurrent.futures.ProcessPoolExecutor | None = None  # the worker processes, kept for later volumes


def _warm() -> None:
    """Worker start-up: WeasyPrint loads (about a second) while the main process still converts and
    assembles the volume, and the process's font configuration is made."""
    global _FONTS
    from weasyprint.text.fonts import FontConfiguration

    importlib.import_module("masterplan_kit.render.fetch")  # WeasyPrint's URL handling, loaded ahead of the first unit

    typeset.apply()
    _FONTS = FontConfiguration()


def _start_worker() -> None:
    """A render process: Ctrl+C is the main process's to answer (it ends the pool), and the
    process may grow by at most the memory limit (``MASTERPLAN_MEMORY_MB``) beyond its size at start."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import resource

        size = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = size + memory_limit_mb() * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # no /proc or no limits here: the time limit still holds
        pass
    _warm()


def start_workers() -> concurrent.futures.ProcessPoolExecutor | None:
    """The pool of render processes (fork, one per core, at most four), started once per run;
    None where there is no fork, and the units render in this process."""
    global _POOL
    import multiprocessing

    workers = max(1, min(os.cpu_count() or 1, 4))
    if _POOL is None and "fork" in multiprocessing.get_all_start_methods():
        import atexit

        _POOL = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
        _POOL.submit(os.getpid)  # the processes start now and load WeasyPrint while this one converts
        atexit.register(stop_workers)
    return _POOL


def stop_workers() -> None:
    """Let the render processes go (at exit, before the interpreter tears their pool down)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def kill_workers() -> None:
    """End the render processes now (a unit failed or took too long, or the user pressed Ctrl+C)."""
    global _POOL
    pool, _POOL = _POOL, None
    if pool is None:
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.kill()
    calls = getattr(pool, "_call_queue", None)
    if calls is not None:  # a unit still in the pipe to a process now ended must not hold the exit
        calls.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.join(timeout=1)


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop what runs in this process after ``seconds`` (0: no limit; only in the main thread)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame) -> None:
        raise PdfBuildError(f"not rendered within {seconds:g} s; see the README on MASTERPLAN_TIMEOUT")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _render_units(jobs: list[tuple[str, str, list[str]]]) -> list[UnitPdf]:
    """Render units in the pool, longest first. Each unit may take the time limit
    (``MASTERPLAN_TIMEOUT``); a unit that fails, a worker that dies and a unit that takes too long
    end the build with an error naming the unit, and Ctrl+C ends the workers at once."""
    pool = start_workers() if len(jobs) > 1 else _POOL
    if pool is None:
        return [_render_unit(j) for j in jobs]
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))  # longest first: better balance
    limit = time_limit()
    try:
        futures = {pool.submit(_render_unit, jobs[i]): i for i in order}
        started: dict[concurrent.futures.Future, float] = {}
        pending = set(futures)
        out: list[UnitPdf | None] = [None] * len(jobs)
        while pending:
            done, pending = concurrent.futures.wait(pending, timeout=0.5, return_when=concurrent.futures.FIRST_EXCEPTION)
            for future in done:
                out[futures[future]] = future.result()  # raises what the unit raised
            now = time.monotonic()
            for future in pending:
                if future.running():
                    started.setdefault(future, now)
                    if now - started[future] > limit:
                        raise PdfBuildError(f"{unit_name(jobs[futures[future]][0])}: not rendered within {limit:g} s; "
                                            "see the README on MASTERPLAN_TIMEOUT")
    except concurrent.futures.process.BrokenProcessPool:
        kill_workers()
        raise PdfBuildError("a render process ended unexpectedly (killed, or out of memory); nothing was written") from None
    except BaseException:
        kill_workers()
        raise
    return out  # type: ignore[return-value]


@dataclass
class Setting:
    """What every document of a volume is rendered with: the template context, the stylesheets,
    the folders files may come from."""

    project: Project
    volume: Volume
    env: jinja2.Environment
    context: dict
    css: list[Path]
    roots: list[str]

    @property
    def root(self) -> Path:
        return self.project.root


@dataclass
class Lists:
    """The lines of the Daftar Isi, Daftar Tabel and Daftar Gambar, and the front matter's own
    lines among them (numbered in roman, from the front matter's render)."""

    toc: list[Entry]
    tables: list[Entry]
    figures: list[Entry]
    front: list[Entry]

    @classmethod
    def of(cls, front: list[BookChapter], body: list[BookChapter]) -> Lists:
        toc = [Entry(1, ch.key, "", ch.title) for ch in front]
        toc.append(Entry(1, "daftar-isi", "", "Daftar Isi"))
        tables = [t for ch in body for t in ch.tables]
        figures = [f for ch in body for f in ch.figures]
        # the lists a booklet leaves out (templates/pdf/front.html.j2) still number their lines: harmless
        if tables:
            toc.append(Entry(1, "daftar-tabel", "", "Daftar Tabel"))
        if figures:
            toc.append(Entry(1, "daftar-gambar", "", "Daftar Gambar"))
        own = list(toc)
        for ch in body:
            toc.append(Entry(1, ch.key, ch.label, ch.title))
            toc.extend(ch.headings)
        return cls(toc, tables, figures, own)

    def number_body(self, pages: dict[str, int]) -> None:
        """Body lines get the (arabic) page of their anchor: ``pages`` counts from 0."""
        for e in self.toc + self.tables + self.figures:
            if e.anchor in pages:
                e.page = str(pages[e.anchor] + 1)

    def front_numbers(self, anchors: dict[str, int]) -> dict[str, str]:
        return {e.anchor: roman(anchors.get(e.anchor, 0) + 1).lower() for e in self.front}

    def number_front(self, numbers: dict[str, str]) -> bool:
        """Set the front matter's numbers; whether they were already these."""
        same = all(e.page == numbers.get(e.anchor, "") for e in self.front)
        for e in self.front:
            e.page = numbers.get(e.anchor, "")
        return same


def volume_setting(project: Project, volume: Volume, env: jinja2.Environment) -> Setting:
    """Step 1: the context and stylesheets of the volume's documents."""
    root = project.root
    css = [_find(root, "pdf/book.css"), _find(root, f"pdf/paper-{volume.paper.lower()}.css")]
    logo = (root / "masterplan" / project.edition.logo) if project.edition.logo else None
    context = {"project": project, "edition": project.edition, "volume": volume, "created": source_date(root),
               "revision": source_revision(root), "licence": licence(project.edition.licence.content),
               "css_urls": [c.as_uri() for c in css],
               "logo_url": logo.resolve().as_uri() if logo and logo.is_file() else ""}
    return Setting(project, volume, env, context, css, [str(root), str(TOOLKIT_TEMPLATES)])


def front_html(setting: Setting, front: list[BookChapter], lists: Lists, cross_links: bool = True) -> str:
    """The front matter: cover, title and imprint pages, front chapters and the lists."""
    text = setting.env.get_template("pdf/front.html.j2").render(
        setting.context, front_chapters=front, toc=lists.toc, tables=lists.tables, figures=lists.figures)
    return _cross_links(text) if cross_links else text


def body_html(setting: Setting, chapters: list[BookChapter], bare: bool = False) -> str:
    """Body chapters as one document; ``bare``: a render unit, without running heads and numbers."""
    extra = {"bare": True} if bare else {}
    return setting.env.get_template("pdf/body.html.j2").render(setting.context, chapters=chapters, **extra)


def whole_html(setting: Setting, front: str, body: str) -> str:
    """The volume as one HTML file with its stylesheets inlined: what a single pass renders."""
    return _inline_css(front.replace("</body>", _inner_body(body) + "</body>"), setting.css)


def render_volume(project: Project, volume: Volume, env: jinja2.Environment, fragments: dict,
                  variant: str | None = None, cache_dir: Path | None = None) -> RenderedVolume:
    """Render a volume: assemble its chapters, render the body chapters (in parallel, unchanged ones
    from the cache), number the lists from their pages, settle the front matter's own numbers, and
    merge. Archival and tagged variants are rendered as one WeasyPrint document."""
    setting = volume_setting(project, volume, env)
    front, body = VolumeBook(project, volume, env, fragments).chapters()
    for ch in front + body:
        ch.html = caption_rows(ch.html)
    lists = Lists.of(front, body)
    if variant is not None:
        return _render_single(setting, front, body, lists, variant)
    cache = UnitCache(cache_dir, setting.css, setting.root)
    guess = cache.numbers()
    lists.number_front(guess)
    rendered = render_body(setting, body, cache, front_html(setting, front, lists), probe_needed=not guess)
    if rendered.probe is not None:  # no numbers from the last build: the probe's stand in
        lists.number_front(lists.front_numbers(rendered.probe.anchors))
    lists.number_body(rendered.pages)
    front_text, front_pdf = settle_front(setting, front, lists, cache)
    pdf, total = merge(front_pdf.pdf, rendered.parts, rendered.furniture.pdf, project, volume,
                       str(setting.context["created"]))
    cache.prune()
    return RenderedVolume(pdf, whole_html(setting, front_text, body_html(setting, body)), total,
                          front_pdf.pages + front_pdf.pages % 2)


def settle_front(setting: Setting, front: list[BookChapter], lists: Lists, cache: UnitCache) -> tuple[str, UnitPdf]:
    """Render the front matter until the page numbers it prints of itself are those it has (once,
    when the last build's numbers still stand; the cache keeps them)."""
    result: UnitPdf | None = None
    for _ in range(3):
        text = front_html(setting, front, lists)
        key = cache.key(text)
        result = cache.get(key)
        if result is None:
            result = _render_units([(text, str(setting.root), setting.roots)])[0]
        assert result is not None
        cache.put(key, result)
        numbers = lists.front_numbers(result.anchors)
        if lists.number_front(numbers):
            break
    cache.remember_numbers(numbers)
    assert result is not None
    return text, result


@dataclass
class RenderedBody:
    parts: list[Part]
    pages: dict[str, int]  # body page index (from 0) of every anchor
    probe: UnitPdf | None
    furniture: UnitPdf


def _render_single(setting: Setting, front: list[BookChapter], body: list[BookChapter], lists: Lists,
                   variant: str) -> RenderedVolume:
    """An archival or tagged variant: the front matter and the body as two WeasyPrint documents
    joined into one (their page numbers restart), a blank page after an odd front matter."""
    from weasyprint import HTML

    from .fetch import ProjectFetcher

    typeset.apply()
    fetcher = ProjectFetcher(setting.root, TOOLKIT_TEMPLATES)

    def render(text: str):
        doc = HTML(string=text, base_url=str(setting.root), url_fetcher=fetcher).render()
        first_headers(doc)
        return doc

    body_text = body_html(setting, body)
    body_doc = render(body_text)
    lists.number_body(_page_of_anchors(body_doc))
    for _ in range(3):
        front_text = front_html(setting, front, lists, cross_links=False)
        front_doc = render(front_text)
        if lists.number_front(lists.front_numbers(_page_of_anchors(front_doc))):
            break
    pages = list(front_doc.pages)
    if len(pages) % 2:
        pages += render(setting.env.get_template("pdf/blank.html.j2").render(setting.context)).pages
    merged = front_doc.copy(pages + body_doc.pages)
    pdf = merged.write_pdf(finisher=_page_labels(len(pages)),
                           pdf_identifier=_identifier(setting.volume, body_text), pdf_variant=variant)
    return RenderedVolume(pdf, whole_html(setting, front_text, body_text), len(merged.pages), len(pages))


def render_body(setting: Setting, body: list[BookChapter], cache: UnitCache, probe: str,
                probe_needed: bool = True) -> RenderedBody:
    """Render the body chapters in pieces (in parallel; unchanged pieces come from the cache).

    A chapter opens on a right-hand page, so where one chapter ends and the next begins is a page
    break of the design; within a chapter, pieces are cut only where its continuous layout begins
    a page (render/pdfsplit.py): rendered apart, the pieces lay out exactly as one document. They
    carry no running heads or page numbers, so their pages do not depend on where they start and
    all render at once; heads and numbers are laid on at the merge, from the furniture document
    that renders in the same pool. ``probe`` (the front matter, rendered only to learn its own page
    numbers) joins the pool too.
    """
    heads = list(dict.fromkeys((ch.bookmark, ch.annex) for ch in body))
    memory = cache.chapters()
    texts = [_cross_links(body_html(setting, [ch], bare=True), within=False) for ch in body]
    plans = [Plan(text, cache.key(text), memory.get(ch.key)) for ch, text in zip(body, texts, strict=True)]
    for plan in plans:
        _reuse(plan, cache)
    furniture_text = setting.env.get_template("pdf/furniture.html.j2").render(setting.context, heads=heads)
    results: dict[str, UnitPdf | None] = {}

    def found(text: str) -> Rendered | None:
        unit = results.get(cache.key(text))
        if unit is None:
            return None
        if unit.pieces is None:  # a chapter with nothing to cut at
            return Rendered([Piece(unit.pdf, unit.pages, unit.anchors, "", "", False)], None, unit.read)
        return Rendered(unit.pieces, unit.rest, unit.read)

    extra = {cache.key(furniture_text): furniture_text}
    probe_key = cache.key(probe)
    first = True
    while first or not all(plan.done for plan in plans):
        wanted = {cache.key(t): t for plan in plans if not plan.done for t in plan.jobs()}
        if first:
            wanted |= extra
        todo = []
        for key in wanted:
            if key not in results:
                results[key] = cache.get(key)
                if results[key] is None:
                    todo.append(key)
        if first and probe_needed and todo and probe_key not in results:
            wanted[probe_key] = probe  # chapters change: the front matter's own numbers may too
            results[probe_key] = cache.get(probe_key)
            if results[probe_key] is None:
                todo.append(probe_key)
        for key, unit in zip(todo, _render_units([(wanted[k], str(setting.root), setting.roots) for k in todo]),
                             strict=True):
            cache.put(key, unit)
            results[key] = unit
        for plan in plans:
            for piece, read in plan.advance(found):
                own = cache.key(plan.own_text(piece))
                plan.keys.append(own)
                if results.get(own) is None:  # cut from a longer document: kept as its own for the next build
                    results[own] = kept = UnitPdf(b"", piece.pages, {}, read, [piece], None)
                    cache.put(own, kept)
        first = False
    furniture = results[cache.key(furniture_text)]
    assert furniture is not None
    cache.remember_chapters({ch.key: plan.remember() for ch, plan in zip(body, plans, strict=True)})
    parts: list[Part] = []
    pages: dict[str, int] = {}
    page = 1
    for ch, plan in zip(body, plans, strict=True):
        for k, piece in enumerate(plan.pieces):
            blank = k == 0 and page % 2 == 0  # every chapter, and the annex, opens on a right-hand page
            page += blank
            parts.append(Part(piece.pdf, ch.annex, heads.index((ch.bookmark, ch.annex)), blank, k == 0, piece.left))
            for anchor, idx in piece.anchors.items():
                pages.setdefault(anchor, page - 1 + idx)
            page += piece.pages
    return RenderedBody(parts, pages, results.get(probe_key), furniture)


def _reuse(plan: Plan, cache: UnitCache) -> None:
    """A chapter unchanged since the last build: its pieces as they were, without parsing it."""
    memory = plan.memory
    if memory.get("digest") != plan.digest:
        return
    pieces = []
    for entry in memory.get("pieces", []):
        unit = cache.get(entry[4])
        if unit is None or not unit.pieces or len(unit.pieces) != 1:
            return
        pieces.append(unit.pieces[0])
    if pieces and not pieces[-1].until:
        plan.pieces, plan.done = pieces, True
        plan.keys = [entry[4] for entry in memory["pieces"]]


def _absolute_url(folder: Path, m: re.Match) -> str:
    return f"url({(folder / m.group(1).strip(chr(34) + chr(39))).resolve().as_uri()})"


def _inline_css(page: str, css: list[Path]) -> str:
    """The stylesheets inlined (their fonts by absolute URL), so the one HTML file renders alone."""
    for sheet in css:
        text = sheet.read_text(encoding="utf-8")
        text = re.sub(r"url\((?![\"']?(?:data|file):)([^)]+)\)", functools.partial(_absolute_url, sheet.parent), text)
        page = page.replace(f'<link rel="stylesheet" href="{sheet.as_uri()}">', f"<style>\n{text}</style>", 1)
    return page


def _identifier(volume: Volume, text: str) -> bytes:
    import hashlib

    return hashlib.md5((volume.id + text).encode("utf-8")).hexdigest().encode("ascii")


def _inner_body(page: str) -> str:
    m = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
    return m.group(1) if m else ""


def _find(root: Path, name: str) -> Path:
    found = find_template_file(root, name)
    if found is not None:
        return found
    raise PdfBuildError(f"template '{name}' not found")


def use_hyphenation(root: Path) -> None:
    """Indonesian hyphenation from the project's (or the toolkit's) ``pdf/hyph_id.dic``: pyphen,
    which WeasyPrint asks for the break points of a language, finds it under "id". The worker
    processes, forked after this, inherit it."""
    import pyphen

    found = find_template_file(root, "pdf/hyph_id.dic")
    if found is not None:
        for name in ("id", "id_ID"):
            pyphen.LANGUAGES[name] = found


def build_pdf(project: Project, options: BuildOptions, volume_id: str) -> list[Path]:
    """The ``pdf`` output of one volume (see outputs.py)."""
    return write_pdfs(project, options.out / "pdf", [volume_id], options.pdf_variant, options.pdf_html)


def write_pdfs(project: Project, out_dir: Path, volume_ids: list[str] | None = None, variant: str | None = None,
               with_html: bool = False) -> list[Path]:
    volumes = [v for v in project.edition.volumes if not volume_ids or v.id in volume_ids]
    unknown = set(volume_ids or []) - {v.id for v in project.edition.volumes}
    if unknown:
        raise PdfBuildError(f"unknown volume {', '.join(sorted(unknown))}; volumes: "
                            + ", ".join(v.id for v in project.edition.volumes))
    use_hyphenation(project.root)
    if variant is None:
        start_workers()  # before the conversion and the assembly, which they overlap
    env = book_environment(project.root, template_cache(out_dir.parent / ".cache" / "jinja-book"))
    fragments = project_fragments(project)
    written = []
    for volume in volumes:
        from weasyprint.urls import FatalURLFetchingError

        try:
            with _deadline(time_limit() if variant else 0):  # a variant renders here, not in the pool
                rendered = render_volume(project, volume, env, fragments, variant,
                                         out_dir.parent / ".cache" / "pdf-units" / volume.id)
        except (PdfBuildError, FatalURLFetchingError) as exc:  # FatalURLFetchingError is no Exception
            raise PdfBuildError(f"{volume.id}: {exc}") from None
        target = out_dir / f"{volume.id}.pdf"
        write_bytes(target, rendered.pdf)
        written.append(target)
        if with_html:
            write_text(out_dir / f"{volume.id}.html", rendered.html)
            written.append(out_dir / f"{volume.id}.html")
    return written
