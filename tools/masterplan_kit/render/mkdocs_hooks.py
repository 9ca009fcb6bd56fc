"""MkDocs hooks added to every site build.

- **HTML past Markdown**: a generated page's HTML parts are set aside before Markdown runs and put
  back after (``render/site_blocks.py``).
- **A programme under its pillar**: pages left out of the navigation show under their
  ``nav_parent`` while they are built (``show_under_parent``).
- **Every value is text.** MkDocs' theme templates do not escape what they print, and the site
  puts names from the sources (titles, pillar and OPD names, the site name) into the navigation,
  page titles and meta tags. ``on_env`` turns autoescaping on for the theme, and
  ``on_page_context`` marks the only values that are HTML — the page's content, rendered and
  sanitised by the build, and the table of contents, which Python-Markdown gives as escaped text —
  as such. A name holding ``<script>`` is printed as text everywhere.
- **Tables scroll in their own box** on a narrow screen (``mp-scroll``), never the page; the
  site's script makes a box that overflows reachable by keyboard.
- **Search**: table cells and lines keep a space between them in the search index (so that
  snippets do not glue "Pilar" and "Smart Environment"), and a hyphenated word is also found
  written as one ("Wi-Fi": "wifi").
- **Small pages**: white space collapsed outside ``pre``, ``textarea``, ``script`` and ``code``.
- **Valid, Indonesian HTML**: Material emits a few attributes that HTML forbids (``autocomplete``
  on checkboxes, ``autocorrect``) and, on pages outside the navigation, a table-of-contents label
  whose toggle is absent; axe-core also wants the search dialog named; the heading anchors say
  "Permanent link"; a section's label has an empty ``tabindex``; a section's navigation is named
  by an empty label. The fixes are textual and idempotent.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.plugins import event_priority

from masterplan_kit.render.site_blocks import put_back, take_out

_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*type="checkbox"[^>]*?)\s+autocomplete="off"')
_AUTOCORRECT = re.compile(r'\sautocorrect="off"')  # one character before it: \s+ would be quadratic on long runs
_VERBATIM = re.compile(r"(<(pre|textarea|script|code)\b.*?</\2>)", re.S)
_SPACES = re.compile(r"\s{2,}")
_TABLE = re.compile(r'<table class="mp-table[^"]*"[^>]*>.*?</table>', re.S)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
_CELL_GAP = re.compile(r"(</t[hd]>|</caption>|</tr>|<br\s*/?>)(?=<)")
_HYPHENATED = re.compile(r"\b[^\W_]+(?:-[^\W_]+)+\b")
_TAG = re.compile(r"<[^>]+>")
# a section's navigation is named by the icon-only toggle of an index page: name it by its title instead
_NAV_LABELLED = re.compile(r'<nav class="md-nav" data-md-level="(\d+)" aria-labelledby="([\w-]+)_label"([^>]*)>(\s*)'
                           r'<label class="md-nav__title" for="\2">')

PERMALINK_TITLE = "Tautan ke bagian ini"
THEME_CACHE = "jinja-theme-escaped"  # compiled with autoescaping: never share a cache with other settings


def fix_html(output: str) -> str:
    output = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    output = _AUTOCORRECT.sub("", output)
    output = output.replace(' tabindex=""', "")
    output = output.replace('data-md-component="search" role="dialog">',
                            'data-md-component="search" role="dialog" aria-label="Pencarian">')
    output = output.replace('title="Permanent link"', f'title="{PERMALINK_TITLE}"')
    output = _NAV_LABELLED.sub(r'<nav class="md-nav" data-md-level="\1" aria-labelledby="\2_title"\3>\4'
                               r'<label class="md-nav__title" for="\2" id="\2_title">', output)
    if 'id="__toc"' not in output:
        output = output.replace(' for="__toc"', "")
    return output


def collapse_whitespace(output: str) -> str:
    """Runs of white space as one (a line break where the run held one), outside ``pre``,
    ``textarea``, ``script`` and ``code``: the theme's templates indent generously, and the pages
    are a third smaller without it."""
    parts = _VERBATIM.split(output)
    out = []
    for i, part in enumerate(parts):
        kind = i % 3  # split() gives: text, the verbatim element, its tag name, text, ...
        if kind == 0:
            out.append(_SPACES.sub(lambda m: "\n" if "\n" in m.group() else " ", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)


def wrap_tables(content: str) -> str:
    """Each of the site's tables in a box of its own that scrolls sideways when the table is wider
    than the screen (the theme's own wrapper only takes tables without a class)."""
    def wrap(m: re.Match) -> str:
        return f'<div class="mp-scroll">{m.group(0)}</div>'
    return _TABLE.sub(wrap, content) if 'class="mp-scroll"' not in content else content


def space_cells(content: str) -> str:
    """A line break after each cell, row, caption and ``<br>``: the same page, but words of
    neighbouring cells stay apart in the search index."""
    return _CELL_GAP.sub(r"\1\n", content)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """A generated page's HTML parts wait outside Markdown (see render/site_blocks.py)."""
    markdown, page.mp_blocks = take_out(markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    return space_cells(wrap_tables(put_back(html, getattr(page, "mp_blocks", []))))


@event_priority(110)  # before the tags plugin renders its listings with this environment
def on_env(env: jinja2.Environment, config, files):
    """Autoescaping on for the theme; its compiled templates cached on disk (compiling them is most
    of a small rebuild)."""
    env.autoescape = True
    cache = os.path.join(os.path.dirname(config.config_file_path), "..", THEME_CACHE)
    os.makedirs(cache, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(cache)
    return env


def _trust_toc(items) -> None:
    for item in items:
        item.title = Markup(item.title)  # Python-Markdown's escaped heading text
        _trust_toc(item.children)


_NAV_PAGES: dict[str, object] = {}  # the pages listed in the navigation, by source file


def on_nav(nav, config, files):
    _NAV_PAGES.clear()
    _NAV_PAGES.update({p.file.src_uri: p for p in nav.pages})
    return nav


def show_under_parent(page) -> None:
    """A page left out of the navigation (a programme) is shown under the page its ``nav_parent``
    names (its pillar), alone, while it is being built: the theme then marks its tab and section,
    lists it with its table of contents and prints its breadcrumbs."""
    parent = _NAV_PAGES.get(str(page.meta.get("nav_parent", "")))
    section = getattr(parent, "parent", None)
    if page.parent is not None or section is None:
        return
    page.parent = section
    section.children.append(page)
    page.active = True


def leave_parent(page) -> None:
    """Undo ``show_under_parent`` once the page is written."""
    if page.parent is not None and page in page.parent.children and page.file.src_uri not in _NAV_PAGES:
        page.parent.children.remove(page)
        page.active = False
        page.parent = None


@event_priority(-100)  # after every plugin has read the page (search, tags)
def on_page_context(context, page, config, nav):
    """The page's HTML and its table of contents are markup already: the theme prints them as is."""
    show_under_parent(page)
    page.content = Markup(page.content)  # rendered and sanitised by the build
    _trust_toc(page.toc)
    return context


def on_post_page(output: str, page, config) -> str:
    leave_parent(page)
    return fix_html(collapse_whitespace(output))


def on_post_template(output_content: str, template_name: str, config) -> str:
    return fix_html(output_content) if template_name.endswith(".html") else output_content


def joined_words(text: str) -> list[str]:
    """Hyphenated words written as one ("Wi-Fi" -> "wifi", "e-Kelurahan" -> "ekelurahan")."""
    return sorted({w.replace("-", "").lower() for w in _HYPHENATED.findall(html.unescape(_TAG.sub(" ", text)))})


@event_priority(-50)  # after the search plugin wrote its index (0), before the offline plugin copies it (-100)
def on_post_build(config) -> None:
    """Add the hyphenated words of each entry written as one word to the search index, those of its
    title (``title_joined``, weighed as the title) apart from those of its text (``text_joined``),
    so that "wifi" finds "Wi-Fi Publik" first (the index splits words at hyphens)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    fields = index.get("config", {}).get("fields")
    if not isinstance(fields, dict):
        return
    fields.setdefault("title_joined", {"boost": fields.get("title", {}).get("boost", 1e3)})
    fields.setdefault("text_joined", {"boost": fields.get("text", {}).get("boost", 1.0)})
    for doc in index.get("docs", []):
        for field, source in (("title_joined", "title"), ("text_joined", "text")):
            words = joined_words(str(doc.get(source, "")))
            if words:
                doc[field] = " ".join(words)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
