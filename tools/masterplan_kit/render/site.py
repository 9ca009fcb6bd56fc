"""The website: pages generated through templates/site/, then built by MkDocs (Material).

A build is four steps, each a function: the pages (``render_pages``, over the site map of
``site_pages``), the assets they show (``asset_files``), the books and data offered for download
(``data_files``), and the configuration with the navigation (``mkdocs_config``); then MkDocs runs.

build/.cache/site/docs/        generated pages (HTML parts set aside, headings in Markdown for the TOC), assets, data
build/.cache/site/overrides/   the theme's custom_dir: templates/site/overrides/ (toolkit, project), mkdocs.yml's own
build/.cache/site/mkdocs.yml   INHERITs the project's mkdocs.yml; adds docs_dir, nav, the overrides, hooks
build/site/                    the MkDocs output, swapped in atomically
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from ..errors import BuildError
from ..model import Project
from ..model.assets import resolve_image
from ..model.dataviews import volumes_showing
from ..model.evaluation import BANDS, STATUSES
from ..model.sections import SECTIONS
from ..templating import environment, find_template_file, template_dirs
from . import fmt, routes, site_fmt, site_pages
from .cache import template_cache
from .dates import tanggal
from .outputs import BuildOptions, downloads
from .pandoc import Fragment, ViewCall, project_fragments
from .site_blocks import set_aside
from .site_charts import stacked
from .site_data import SiteData, plain_text, summary_text
from .viewrender import render_view
from .write import StagedDir, write_bytes


class SiteBuildError(BuildError):
    """MkDocs reported warnings (strict mode) or failed; the previous site is left in place."""


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


_VIEW_EXTRAS = ("site", "edition", "routes", "BANDS", "STATUSES")  # what the site's own views may use
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_ENVIRONMENTS: dict[Path, jinja2.Environment] = {}


def _environment(root: Path) -> jinja2.Environment:
    """One environment per project and process: templates compile once (and again when edited);
    compiled templates are also cached on disk for the next run."""
    env = _ENVIRONMENTS.get(root)
    if env is None:
        env = environment(root, cache=template_cache(root / "build" / ".cache" / "jinja"))
        env.filters["md_text"] = md_text
        env.filters.update(site_fmt.FILTERS)  # steadier numbers on screen than fmt's (see site_fmt.py)
        env.filters["stacked"] = stacked
        _ENVIRONMENTS[root] = env
    return env


def generate_docs(project: Project, downloads: dict[str, Path], data_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the MkDocs docs folder, by relative path: the pages, the images and assets they
    show, the theme's static files, and the books and open data offered for download."""
    images: dict[str, Path] = {}
    files = render_pages(project, site_pages.pages(project), SiteData(project, downloads, data_dir), images)
    files.update(asset_files(project, images))
    files.update(data_files(downloads, data_dir))
    return files


class _Renderer:
    """Renders pages: the Jinja environment, the converted Markdown, and what every page shares."""

    def __init__(self, project: Project, site: SiteData, images: dict[str, Path]) -> None:
        self.project = project
        self.env = _environment(project.root)
        self.fragments = project_fragments(project)
        self.images = images
        self.own_views: dict[str, bool] = {}
        self.common = {
            "project": project, "edition": project.edition, "fmt": fmt, "routes": routes, "site": site,
            "shown": volumes_showing(project), "downloads": site.downloads, "BANDS": BANDS, "STATUSES": STATUSES,
            "SECTIONS": SECTIONS,
        }

    def url_for(self, page_route: str) -> Callable[..., str]:
        """``url(scheme, target, fragment)`` from ``page_route``: an id link or a route of the site."""
        def url(scheme: str, target: str, fragment: str = "") -> str:
            if scheme in routes.LINK_SCHEMES:
                opd = self.project.opd(target) if scheme == "opd" else None
                href = routes.relative(page_route, routes.for_link(scheme, target, opd.kind if opd else ""))
            else:  # a plain route or file of the site
                href = routes.relative(page_route, target)
            return href + (f"#{fragment}" if fragment else "")
        return url

    def view_for(self, url: Callable[..., str]) -> Callable[..., str]:
        """``view(kind, **attrs)`` for templates: a data view, through ``site/views/<kind>.html.j2``
        when the site has its own layout of it, else the shared ``views/<kind>.html.j2``."""
        def view(view_kind: str, /, **attrs: object) -> str:
            call = ViewCall(view_kind, {k: str(v) for k, v in attrs.items()})
            own = self.own_view(view_kind)
            extra = {k: v for k, v in self.common.items() if k in _VIEW_EXTRAS} if own else {}
            return render_view(self.env, self.project, call, url, own, **extra)
        return view

    def own_view(self, kind: str) -> str | None:
        """The site's own layout of a data view (``site/views/<kind>.html.j2``), if there is one."""
        name = f"site/views/{kind}.html.j2"
        if name not in self.own_views:
            try:
                self.env.get_template(name)
                self.own_views[name] = True
            except jinja2.TemplateNotFound:
                self.own_views[name] = False
        return name if self.own_views[name] else None

    def html_of(self, frag: Fragment | None, page_route: str, base_dir: Path) -> str:
        """A converted document with its links, data views and images resolved for ``page_route``."""
        if frag is None:
            return ""
        root = self.project.root
        url = self.url_for(page_route)
        view = self.view_for(url)

        def image(src: str) -> str:
            path = resolve_image(root, base_dir, src).path
            if path is None:
                raise SiteBuildError(f"{src}: not a file of the project")  # the validator reports it first (E208)
            rel = path.relative_to(root).as_posix()
            self.images[f"media/{rel}"] = path
            return routes.relative(page_route, f"media/{rel}")

        return markdown_headings(frag.resolve(url, lambda call: view(call.kind, **call.attrs), image))

    def content(self, page: site_pages.Page) -> str:
        """The page's converted document (a chapter, a pillar's narrative, a programme's description)."""
        root = self.project.root
        if (ch := page.context.get("chapter")) is not None:
            return self.html_of(self.fragments["chapter"].get(ch.id), page.route, (root / ch.path).parent)
        if (pl := page.context.get("pillar")) is not None and pl.narrative:
            return self.html_of(self.fragments["pillar"].get(pl.id), page.route, (root / pl.narrative.path).parent)
        if (p := page.context.get("programme")) is not None:
            return self.html_of(self.fragments["programme"].get(p.id), page.route, (root / p.origin.path).parent)
        return ""

    def render(self, page: site_pages.Page) -> bytes:
        url = self.url_for(page.route)
        content = self.content(page)
        ctx = dict(self.common, page=page, url=url, view=self.view_for(url), content=content, **page.context)
        if (ch := page.context.get("chapter")) is not None:
            ctx["volumes"] = [v for v in self.project.edition.volumes if ch.id in v.items]
            first = _PARAGRAPH.search(content)
            ctx["description"] = (ch.meta.summary if ch.meta and ch.meta.summary else
                                  summary_text(plain_text(first.group(1))) if first else "")
        return set_aside(self.env.get_template(page.template).render(ctx)).encode("utf-8")


def render_pages(project: Project, pages: list[site_pages.Page], site: SiteData,
                 images: dict[str, Path] | None = None) -> dict[str, bytes]:
    """The Markdown file of every page; the images their documents show are added to ``images``."""
    renderer = _Renderer(project, site, images if images is not None else {})
    site.texts = {pid: plain_text(frag.html) for pid, frag in renderer.fragments["programme"].items()}
    return {page.source: renderer.render(page) for page in pages}


def asset_files(project: Project, images: dict[str, Path]) -> dict[str, bytes]:
    """The images the pages show, the project's assets (logo) and the theme's static files
    (stylesheet, scripts; the project's own win)."""
    root = project.root
    files = {rel: path.read_bytes() for rel, path in images.items()}
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
    return files


def data_files(downloads: dict[str, Path], data_dir: Path | None) -> dict[str, bytes]:
    """The books (``unduhan/``) and the open data (``data/``) the site offers for download."""
    files = {f"unduhan/{name}": path.read_bytes() for name, path in downloads.items()}
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
TOOLKIT_JS = ["javascripts/masterplan.js"]


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


def theme_overrides(project: Project, user: dict, base: Path) -> dict[str, bytes]:
    """The theme's ``custom_dir``: the toolkit's ``templates/site/overrides/``, the project's own
    files there, and the files of the ``custom_dir`` its mkdocs.yml names (the last win)."""
    folders = list(reversed(template_dirs(project.root, "site/overrides")))
    theme = user.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        folders.append(base.parent / theme["custom_dir"])
    files: dict[str, bytes] = {}
    for folder in folders:
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    files[f.relative_to(folder).as_posix()] = f.read_bytes()
    return files


def site_extra(project: Project) -> dict:
    """What the theme's templates read of the masterplan (``extra.masterplan``): the publisher and
    the licences of the content and the data."""
    site = SiteData(project)
    ed = project.edition
    return {"publisher": ed.publisher or ed.city, "version": ed.version or "",
            "published": tanggal(ed.published) if ed.published else "", "licence": {
        "content": {"id": site.content_licence.spdx, "title": site.content_licence.title, "url": site.content_licence.url},
        "data": {"id": site.data_licence.spdx, "title": site.data_licence.title, "url": site.data_licence.url},
    }}


def mkdocs_config(project: Project, work: Path, site_dir: Path) -> Path:
    """The configuration MkDocs builds with: it INHERITs the project's mkdocs.yml (or, without one,
    the toolkit's ``templates/site/mkdocs.yml``) and adds the generated navigation and pages, the
    theme's overrides, the toolkit's stylesheet, script and hooks."""
    root = project.root
    own = root / "mkdocs.yml"
    base = own if own.is_file() else find_template_file(root, "site/mkdocs.yml")
    if base is None:
        raise SiteBuildError("templates/site/mkdocs.yml not found")
    user = _read_config(base)
    sync_docs(work / "overrides", theme_overrides(project, user, base))
    theme: dict = {"custom_dir": "overrides"}
    if isinstance(user.get("theme"), str):  # `theme: material`: the merge would lose its name
        theme["name"] = user["theme"]
    cfg: dict = {
        "INHERIT": os.path.relpath(base, work),
        "docs_dir": "docs",
        "site_dir": os.path.relpath(site_dir, work),
        "use_directory_urls": False,
        "nav": site_pages.navigation(project),
        "theme": theme,
        "extra": {"masterplan": site_extra(project)},
    }
    if "site_name" not in user:
        cfg["site_name"] = project.edition.title
    if "site_url" not in user and project.edition.site_url:  # canonical addresses, og:url, the sitemap
        cfg["site_url"] = project.edition.site_url.rstrip("/") + "/"
    if not own.is_file() and project.edition.logo:
        logo = f"assets/{project.edition.logo.removeprefix('assets/')}"
        theme.update(logo=logo, favicon=logo)
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

