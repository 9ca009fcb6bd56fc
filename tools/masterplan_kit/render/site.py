"""The website: pages generated through templates/site/, then built by MkDocs (Material).

build/.cache/site/docs/   generated pages (sanitised HTML blocks, headings in Markdown for the TOC), assets, data
build/.cache/site/mkdocs.yml   INHERITs the project's mkdocs.yml; adds docs_dir and nav
build/site/               the MkDocs output, swapped in atomically
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from ..errors import BuildError
from ..model import Project
from ..model.assets import resolve_image
from ..model.dataviews import volumes_showing
from ..model.sections import SECTIONS, site_pages
from ..templating import environment, find_template_file, template_dirs
from . import fmt, routes
from .outputs import BuildOptions, downloads
from .pandoc import Fragment, ViewCall, project_fragments
from .viewrender import render_view
from .write import StagedDir, write_bytes


class SiteBuildError(BuildError):
    """MkDocs reported warnings (strict mode) or failed; the previous site is left in place."""


@dataclass
class Page:
    route: str
    template: str
    context: dict
    title: str


_HEADING_LINE = re.compile(r'^<h([2-4]) id="([^"]+)"[^>]*>(.*?)</h\1>$', re.M)
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"\']|"[^"]*"|\'[^\']*\')*?(/?)>')
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,99}")
# characters that mean something to Markdown (its extensions included) or to HTML
_MD_SPECIAL = frozenset("\\`*_{}[]()<>#+!|~^:&\"'=$")


def md_text(text: object) -> Markup:
    """Plain text made safe to stand in a Markdown line (a heading, a table cell), and in raw HTML:
    every character Markdown or HTML could read as markup becomes a character reference, which both
    show as the character itself. Marked safe, so the template engine does not escape it again."""
    line = " ".join(str(text).split())
    return Markup("".join(f"&#{ord(ch)};" if ch in _MD_SPECIAL else ch for ch in line))


def markdown_headings(fragment: str) -> str:
    """Top-level headings as Markdown lines, so that MkDocs lists them in the page's table of
    contents. The heading's text is escaped (never read as Markdown) and its id, a plain token from
    the sanitiser, is the only thing in the attribute list; a heading nested in another element
    (a callout, a table) stays HTML."""
    out: list[str] = []
    pos = depth = 0
    for m in _HEADING_LINE.finditer(fragment):
        for tag in _TAG.finditer(fragment, pos, m.start()):
            if tag.group(2).lower() in _VOID or tag.group(3):
                continue
            depth = max(0, depth - 1) if tag.group(1) else depth + 1
        out.append(fragment[pos:m.start()])
        pos = m.end()
        ident = m.group(2)
        if depth or not _SAFE_ID.fullmatch(ident):
            out.append(m.group(0))
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(3))).strip()
        out.append(f"\n{'#' * int(m.group(1))} {md_text(text)} {{: #{ident} }}\n")
    out.append(fragment[pos:])
    return "".join(out)


def _pages(project: Project) -> list[Page]:
    ed = project.edition
    pages = [Page(routes.HOME, "site/home.md.j2", {}, ed.title)]
    for cid, ch in project.chapters.items():
        pages.append(Page(routes.chapter(cid), "site/chapter.md.j2", {"chapter": ch}, ch.title))
    for pl in project.pillars:
        pages.append(Page(routes.pillar(pl.id), "site/pillar.md.j2", {"pillar": pl}, pl.name))
    for p in project.programmes:
        pages.append(Page(routes.programme(p.id), "site/programme.md.j2", {"programme": p}, p.title))
    for o in project.opds:
        pages.append(Page(routes.opd(o.id), "site/opd.md.j2", {"opd": o}, o.name))
    pages.append(Page(routes.OPD_INDEX, "site/opd-index.md.j2", {}, "Perangkat Daerah"))
    for spec in site_pages():
        assert spec.route is not None and spec.site_template is not None
        pages.append(Page(spec.route, spec.site_template, {"section": spec}, spec.site_title or spec.title))
    pages += [
        Page(routes.DOWNLOADS, "site/downloads.md.j2", {}, "Unduhan"),
        Page(routes.TAGS, "site/tags.md.j2", {}, "Tag"),
    ]
    return pages


def _nav(project: Project) -> list:
    """Home, then each volume's chapters (each page once), pillars, programmes, OPD, downloads."""
    src = routes.source_file
    seen: set[str] = set()
    nav: list = [{"Beranda": src(routes.HOME)}]
    for volume in project.edition.volumes:
        items = []
        for item in volume.items:
            if item in project.chapters:
                route = routes.chapter(item)
                title = project.chapters[item].title
            elif (spec := SECTIONS.get(item)) is not None and spec.route and spec.site_template:
                route, title = spec.route, spec.site_title or spec.title
            else:  # "pillars": the pillar pages have a section of their own
                continue
            if route not in seen:
                seen.add(route)
                items.append({title: src(route)})
        if items:
            nav.append({volume.title: items})
    nav.append({"Pilar": [{pl.name: src(routes.pillar(pl.id))} for pl in project.pillars]})
    program_items = [{spec.site_title or spec.title: src(spec.route)} for spec in site_pages()
                     if spec.route and spec.route not in seen]
    if program_items:
        nav.append({"Program": program_items})
    nav.append({"Perangkat Daerah": src(routes.OPD_INDEX)})
    nav.append({"Unduhan": src(routes.DOWNLOADS)})
    nav.append({"Tag": src(routes.TAGS)})
    return nav


_ENVIRONMENTS: dict[Path, jinja2.Environment] = {}


def _environment(root: Path) -> jinja2.Environment:
    """One environment per project and process: templates compile once (and again when edited);
    compiled templates are also cached on disk for the next run."""
    env = _ENVIRONMENTS.get(root)
    if env is None:
        env = environment(root, cache=root / "build" / ".cache" / "jinja")
        env.filters["md_text"] = md_text
        _ENVIRONMENTS[root] = env
    return env


def generate_docs(project: Project, downloads: dict[str, Path], data_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the MkDocs docs folder, by relative path."""
    root = project.root
    env = _environment(root)
    fragments = project_fragments(project)
    chapters, narratives, descriptions = fragments["chapter"], fragments["pillar"], fragments["programme"]
    shown = volumes_showing(project)
    files: dict[str, bytes] = {}
    images: dict[str, Path] = {}

    def make_url(page_route: str) -> Callable[..., str]:
        def url(scheme: str, target: str, fragment: str = "") -> str:
            if scheme in ("programme", "pillar", "opd", "chapter"):
                href = routes.relative(page_route, routes.for_link(scheme, target))
            else:  # a plain route or file of the site
                href = routes.relative(page_route, target)
            return href + (f"#{fragment}" if fragment else "")
        return url

    def html_of(frag: Fragment | None, page_route: str, base_dir: Path) -> str:
        if frag is None:
            return ""
        url = make_url(page_route)

        def image(src: str) -> str:
            path = resolve_image(root, base_dir, src).path
            if path is None:
                raise SiteBuildError(f"{src}: not a file of the project")  # the validator reports it first (E208)
            rel = path.relative_to(root).as_posix()
            images[f"media/{rel}"] = path
            return routes.relative(page_route, f"media/{rel}")

        def view(call: ViewCall) -> str:
            return render_view(env, project, call, url)

        return markdown_headings(frag.resolve(url, view, image))

    programmes_json = [
        {"id": p.id, "title": p.title, "summary": p.summary, "description": p.description or "",
         "pillar": p.pillar, "element": p.element, "lead": p.lead, "partners": list(p.partners), "kind": p.kind,
         "status": p.status, "quick_win": p.quick_win, "years": list(p.years)}
        for p in project.programmes
    ]
    common = {'project': project, 'edition': project.edition, 'fmt': fmt, 'routes': routes, 'shown': shown,
                  'downloads': downloads, 'programmes_json': programmes_json}
    for page in _pages(project):
        url = make_url(page.route)
        ctx = dict(common, page=page, url=url, **page.context)
        if "chapter" in page.context:
            ch = page.context["chapter"]
            ctx["content"] = html_of(chapters.get(ch.id), page.route, (root / ch.path).parent)
            ctx["volumes"] = [v for v in project.edition.volumes if ch.id in v.items]
        if "pillar" in page.context:
            pl = page.context["pillar"]
            narrative = pl.narrative
            ctx["content"] = html_of(narratives.get(pl.id), page.route, (root / narrative.path).parent) if narrative else ""
            ctx["view"] = lambda kind, _url=url, **attrs: render_view(env, project, ViewCall(kind, attrs), _url)
        if "programme" in page.context:
            p = page.context["programme"]
            ctx["content"] = html_of(descriptions.get(p.id), page.route, (root / p.origin.path).parent)
        ctx.setdefault("view", lambda kind, _url=url, **attrs: render_view(env, project, ViewCall(kind, attrs), _url))
        text = env.get_template(page.template).render(ctx)
        files[routes.source_file(page.route)] = text.encode("utf-8")
    for rel, path in images.items():
        files[rel] = path.read_bytes()
    assets = root / "masterplan" / "assets"
    if assets.is_dir():
        for f in sorted(assets.rglob("*")):
            if f.is_file() and f.resolve().is_relative_to(root):
                files[f"assets/{f.relative_to(assets).as_posix()}"] = f.read_bytes()
    for static_root in reversed(template_dirs(root, "site/static")):  # the project's own files last: they win
        if static_root.is_dir():
            for f in sorted(static_root.rglob("*")):
                if f.is_file():
                    files[f.relative_to(static_root).as_posix()] = f.read_bytes()
    for name, path in downloads.items():
        files[f"unduhan/{name}"] = path.read_bytes()
    if data_dir is not None and data_dir.is_dir():
        for f in sorted(data_dir.iterdir()):
            if f.is_file():
                files[f"data/{f.name}"] = f.read_bytes()
    return files


def sync_docs(docs: Path, files: dict[str, bytes]) -> None:
    """Make ``docs`` hold exactly ``files``, touching only what changed (MkDocs rebuilds less)."""
    docs.mkdir(parents=True, exist_ok=True)
    wanted = set(files)
    for existing in sorted(docs.rglob("*"), reverse=True):
        rel = existing.relative_to(docs).as_posix()
        if existing.is_file() and rel not in wanted:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    for rel, data in files.items():
        target = docs / rel
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        write_bytes(target, data)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for two keys; MkDocs' own tags (!!python/name, !ENV) are kept as text."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


TOOLKIT_CSS = ["stylesheets/masterplan.css"]
TOOLKIT_JS = ["javascripts/katalog.js"]


def _read_config(path: Path) -> dict:
    """The keys of an mkdocs.yml that the build adds to; MkDocs reports what is wrong with the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _union(*lists: object) -> list:
    out: list = []
    for items in lists:
        for item in items if isinstance(items, list) else []:
            if item not in out:
                out.append(item)
    return out


def mkdocs_config(project: Project, work: Path, site_dir: Path) -> Path:
    """The configuration MkDocs builds with: it INHERITs the project's mkdocs.yml (or, without one,
    the toolkit's ``templates/site/mkdocs.yml``) and adds the generated navigation and pages, the
    toolkit's stylesheet, script and hooks."""
    root = project.root
    own = root / "mkdocs.yml"
    base = own if own.is_file() else find_template_file(root, "site/mkdocs.yml")
    if base is None:
        raise SiteBuildError("templates/site/mkdocs.yml not found")
    user = _read_config(base)
    cfg: dict = {
        "INHERIT": os.path.relpath(base, work),
        "docs_dir": "docs",
        "site_dir": os.path.relpath(site_dir, work),
        "use_directory_urls": False,
        "nav": _nav(project),
    }
    if "site_name" not in user:
        cfg["site_name"] = project.edition.title
    if not own.is_file() and project.edition.logo:
        logo = f"assets/{project.edition.logo.removeprefix('assets/')}"
        cfg["theme"] = {"logo": logo, "favicon": logo}
    cfg["extra_css"] = _union(user.get("extra_css"), TOOLKIT_CSS)
    cfg["extra_javascript"] = _union(user.get("extra_javascript"), TOOLKIT_JS)
    cfg["hooks"] = [str((root / h).resolve()) for h in user.get("hooks") or [] if isinstance(h, str)] + [
        str(Path(__file__).with_name("mkdocs_hooks.py"))]
    path = work / "mkdocs.yml"
    write_bytes(path, yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, dirty: bool = False) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(handler)
    try:
        cfg = load_config(str(config_file), strict=not dirty)
        mkdocs_build(cfg, dirty=dirty)
    except (Abort, MkDocsException, SystemExit) as exc:
        raise SiteBuildError("; ".join(handler.messages) or str(exc)) from None
    finally:
        mk_log.removeHandler(handler)
    messages = [m for m in handler.messages if not (dirty and "'dirty' build" in m)]
    if messages:
        raise SiteBuildError("; ".join(messages))


def build_site(project: Project, options: BuildOptions) -> list[Path]:
    """The ``site`` output (see outputs.py): it offers the books already built for download and
    embeds the open data."""
    out = options.out
    return [write_site(project, out / "site", downloads(out), out / "data")]


def write_site(project: Project, out: Path, downloads: dict[str, Path] | None = None,
               data_dir: Path | None = None) -> Path:
    """Generate the pages and build the site into ``out`` (build/site), atomically."""
    work = out.parent / ".cache" / "site"
    files = generate_docs(project, downloads or {}, data_dir)
    sync_docs(work / "docs", files)
    with StagedDir(out) as tmp:
        config = mkdocs_config(project, work, tmp)
        run_mkdocs(config)
    return out

