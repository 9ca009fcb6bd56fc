"""PDF volumes ("buku"): templates/pdf/ rendered by WeasyPrint.

The body chapters ("BAB I" …, numbered from 1) are rendered first, each as its own document, in
parallel and cached by content hash; their page numbers then fill the front matter (cover, title
page, front chapters, Daftar Isi, Daftar Tabel, Daftar Gambar, numbered i, ii …). The merge stamps
the body's page numbers, restores links between the parts, and gives the PDF page labels that match
the printed numbers, an outline from the headings and metadata from the edition. The archival and
tagged variants are rendered as one document (they cannot be assembled from parts).
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
from ..templating import TOOLKIT_TEMPLATES, find_template_file
from .book import Entry, VolumeBook, book_environment, roman
from .dates import source_date
from .outputs import BuildOptions
from .pandoc import memory_limit_mb, project_fragments, time_limit
from .pdfmerge import Part, merge
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
    files WeasyPrint read for it (requested path -> digest)."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    read: dict[str, str] = field(default_factory=dict)


_ANCHOR_ID = re.compile(r'\bid="([^"]+)"')
_HASH_HREF = re.compile(r'href="#([^"]+)"')


def _cross_links(page: str) -> str:
    """Links to anchors of other documents of the volume become ``mpanchor:`` URIs, which the
    merge turns into links to the named destinations of the merged PDF."""
    own = set(_ANCHOR_ID.findall(page))
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

    from .fetch import ProjectFetcher

    sheets, read = [], {}
    for href in _LINKS.findall(text):
        key = (href, Path(unquote(urlparse(href).path)).stat().st_mtime_ns)
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
        data = doc.write_pdf()
    except FatalURLFetchingError as exc:
        raise PdfBuildError(f"{unit_name(text)}: {exc}") from None
    except MemoryError:
        raise PdfBuildError(f"{unit_name(text)}: rendering needed more than {memory_limit_mb()} MiB; see the README "
                            "on MASTERPLAN_MEMORY_MB") from None
    return UnitPdf(data, len(doc.pages), _page_of_anchors(doc), {**read, **fetcher.read})


class UnitCache:
    """Rendered units by the hash of their HTML, the stylesheets and the toolkit (content-addressed);
    a unit is reused only while every file WeasyPrint read for it (images, fonts, imports) is unchanged."""

    def __init__(self, folder: Path | None, css: list[Path], project: Path) -> None:
        """``css``: the stylesheets every part links, which shape them as much as their HTML."""
        import hashlib

        from .cache import code_digest, file_digest

        self.folder = folder
        self.project = project
        self.used: list[str] = []
        h = hashlib.sha256(code_digest().encode())
        for sheet in css:
            h.update(file_digest(sheet).encode())
        self.shared = h.digest()

    def key(self, text: str) -> str:
        import hashlib

        return hashlib.sha256(self.shared + text.encode("utf-8")).hexdigest()

    def get(self, key: str) -> UnitPdf | None:
        import json

        self.used.append(key)
        if self.folder is None:
            return None
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        if not (pdf.is_file() and meta.is_file()):
            return None
        from .fetch import read_digests

        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        read = info.get("read", {})
        if not read_digests(read, self.project):
            return None  # an image, font or import it was made from has changed
        return UnitPdf(pdf.read_bytes(), info["pages"], info["anchors"], read)

    def numbers(self) -> dict[str, str]:
        """The front matter's page numbers of the last build: the first guess of this one."""
        import json

        try:
            return json.loads((self.folder / "numbers.json").read_text(encoding="utf-8")) if self.folder else {}
        except (OSError, ValueError):
            return {}

    def remember_numbers(self, numbers: dict[str, str]) -> None:
        import json

        if self.folder is not None:
            write_text(self.folder / "numbers.json", json.dumps(numbers, sort_keys=True))

    def prune(self, keep: list[str]) -> None:
        """Forget what this build did not use (chapters no longer in the volume, old versions)."""
        if self.folder is None or not self.folder.is_dir():
            return
        keep_set = set(keep) | {"numbers"}
        for f in self.folder.iterdir():
            if f.stem not in keep_set:
                f.unlink(missing_ok=True)

    def put(self, key: str, chapter: UnitPdf) -> None:
        import json

        if self.folder is None:
            return
        write_bytes(self.folder / f"{key}.pdf", chapter.pdf)
        write_text(self.folder / f"{key}.json",
                   json.dumps({"pages": chapter.pages, "anchors": chapter.anchors, "read": chapter.read}))


_POOL: concurrent.futures.ProcessPoolExecutor | None = None  # the worker processes, kept for later volumes


def _warm() -> None:
    """Worker start-up: WeasyPrint loads (about a second) while the main process still converts and
    assembles the volume, and the process's font configuration is made."""
    global _FONTS
    from weasyprint.text.fonts import FontConfiguration

    importlib.import_module("masterplan_kit.render.fetch")  # WeasyPrint's URL handling, loaded ahead of the first unit

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


def render_volume(project: Project, volume: Volume, env: jinja2.Environment, fragments: dict,
                  variant: str | None = None, cache_dir: Path | None = None) -> RenderedVolume:
    """Render a volume. Archival and tagged variants are rendered as one WeasyPrint document;
    the default renders each body chapter on its own, in parallel, reusing unchanged chapters,
    and merges the PDFs."""
    book = VolumeBook(project, volume, env, fragments)
    front, body = book.chapters()
    root = project.root
    roots = [str(root), str(TOOLKIT_TEMPLATES)]
    css = [_find(root, "pdf/book.css"), _find(root, f"pdf/paper-{volume.paper.lower()}.css")]
    logo = (root / "masterplan" / project.edition.logo) if project.edition.logo else None
    context = {"project": project, "edition": project.edition, "volume": volume, "created": source_date(root),
                   "css_urls": [c.as_uri() for c in css],
                   "logo_url": logo.resolve().as_uri() if logo and logo.is_file() else ""}
    body_template = env.get_template("pdf/body.html.j2")
    body_html = body_template.render(context, chapters=body)
    single = variant is not None
    cache = UnitCache(None if single else cache_dir, css, root)

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
    guess = cache.numbers()
    for e in front_entries:
        e.page = guess.get(e.anchor, "")

    def front_text() -> str:
        text = env.get_template("pdf/front.html.j2").render(
            context, front_chapters=front, toc=toc, tables=tables, figures=figures)
        return text if single else _cross_links(text)

    if single:
        from weasyprint import HTML

        from .fetch import ProjectFetcher

        fetcher = ProjectFetcher(root, TOOLKIT_TEMPLATES)
        body_doc = HTML(string=body_html, base_url=str(root), url_fetcher=fetcher).render()
        body_pages = _page_of_anchors(body_doc)
    else:
        # the front matter's own page numbers do not wait for the body: unless the last build's
        # stand (they change only when the front matter changes length), a probe renders beside it
        parts, body_pages, probe, furniture = _render_body(body, body_template, env, context, root, roots,
                                                           cache, front_text(), probe_needed=not guess)
        if probe is not None:
            for e in front_entries:
                e.page = roman(probe.anchors.get(e.anchor, 0) + 1).lower()
    for e in toc + tables + figures:
        if e.anchor in body_pages:
            e.page = str(body_pages[e.anchor] + 1)

    for _ in range(3):  # front matter numbers itself: converges in one pass once they are known
        front_html = front_text()
        key = cache.key(front_html)
        front_result = cache.get(key)
        if front_result is None and single:
            front_doc = HTML(string=front_html, base_url=str(root), url_fetcher=fetcher).render()
            front_result = UnitPdf(b"", len(front_doc.pages), _page_of_anchors(front_doc))
        elif front_result is None:
            front_result = _render_units([(front_html, str(root), roots)])[0]
        cache.put(key, front_result)
        numbers = {e.anchor: roman(front_result.anchors.get(e.anchor, 0) + 1).lower() for e in front_entries}
        if all(e.page == numbers[e.anchor] for e in front_entries):
            break
        for e in front_entries:
            e.page = numbers[e.anchor]
    cache.remember_numbers(numbers)
    whole = _inline_css(front_html.replace("</body>", _inner_body(body_html) + "</body>"), css)

    if single:
        merged = front_doc.copy(front_doc.pages + body_doc.pages)
        pdf = merged.write_pdf(finisher=_page_labels(len(front_doc.pages)),
                               pdf_identifier=_identifier(volume, body_html), pdf_variant=variant)
        return RenderedVolume(pdf, whole, len(merged.pages), len(front_doc.pages))
    assert front_result is not None
    pdf, total = merge(front_result.pdf, parts, furniture.pdf, project, volume, str(context["created"]))
    cache.prune(cache.used)
    return RenderedVolume(pdf, whole, total, front_result.pages)


def _render_body(body, template, env: jinja2.Environment, context: dict, root: Path, roots: list[str],
                 cache: UnitCache, probe: str, probe_needed: bool = True):
    """Render each unit of the body chapters on its own (in parallel; unchanged units come from the cache).

    Units carry no running heads or page numbers: a unit's pages do not depend on where it starts,
    so every unit can be rendered at once; heads and numbers are laid on at the merge, from the
    furniture document that renders in the same pool. ``probe`` (the front matter, rendered only to
    learn its own page numbers) joins the pool too. Returns the parts for the merge, the body page
    index of every anchor, the probe and the furniture document.
    """
    units = [unit for ch in body for unit in ch.units()]
    heads = list(dict.fromkeys((u.bookmark, u.annex) for u in units))
    texts = [_cross_links(template.render(context, chapters=[u], bare=True)) for u in units]
    texts += [probe, env.get_template("pdf/furniture.html.j2").render(context, heads=heads)]
    keys = [cache.key(t) for t in texts]
    results: list[UnitPdf | None] = [cache.get(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    if not probe_needed or not any(i < len(units) for i in todo):  # the last numbers stand: no probe
        todo = [i for i in todo if i != len(units)]
    for i, rendered in zip(todo, _render_units([(texts[i], str(root), roots) for i in todo]), strict=True):
        cache.put(keys[i], rendered)
        results[i] = rendered
    furniture, probe_result = results.pop(), results.pop()
    assert furniture is not None
    parts: list[Part] = []
    body_pages: dict[str, int] = {}
    page = 1
    for unit, result in zip(units, results, strict=True):
        assert result is not None
        blank = not unit.annex and not unit.continued and page % 2 == 0
        page += blank
        parts.append(Part(result.pdf, unit.continued, unit.annex, heads.index((unit.bookmark, unit.annex)), blank))
        for anchor, idx in result.anchors.items():
            body_pages.setdefault(anchor, page - 1 + idx)
        page += result.pages
    return parts, body_pages, probe_result, furniture


def _absolute_url(folder: Path, m: re.Match) -> str:
    return f"url({(folder / m.group(1).strip(chr(34) + chr(39))).resolve().as_uri()})"


def _inline_css(page: str, css: list[Path]) -> str:
    """The stylesheets inlined (their fonts by absolute URL), so the one HTML file renders alone."""
    for sheet in css:
        text = sheet.read_text(encoding="utf-8")
        text = re.sub(r"url\((?!data:|file:)([^)]+)\)", functools.partial(_absolute_url, sheet.parent), text)
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
    if variant is None:
        start_workers()  # before the conversion and the assembly, which they overlap
    env = book_environment(project.root, out_dir.parent / ".cache" / "jinja-book")
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
