"""Pandoc Markdown → safe HTML fragments, for every output, in one pandoc call per build.

All documents of a build (chapters, pillar narratives, programme descriptions) are joined into
one pandoc input, separated by marker headings, converted once (a pandoc start costs ~20 ms),
then split again. Each fragment is sanitised (nh3), its headings get ids unique within it, and
its data views and id links are left as placeholders for the output-specific renderer to fill.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nh3

from ..model.document import Document

if TYPE_CHECKING:
    from ..model import Project

_NOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
_MARKER = re.compile(r'<h1 id="mpdoc-(\d+)">MPDOC</h1>\n?')
_VIEW_PLACEHOLDER = re.compile(r'<div[^>]*\bid="mpview-(\d+)-(\d+)"[^>]*>\s*</div>')
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)"')
_HREF = re.compile(r'href="(programme|pillar|chapter|opd):([^"#]*)(?:#([^"]*))?"')

LINK_SCHEMES = {"programme", "pillar", "chapter", "opd"}
ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "col": {"style", "span"},
    "figcaption": {"aria-hidden"},
}


@dataclass
class ViewCall:
    kind: str
    attrs: dict[str, str]


@dataclass
class Fragment:
    """One converted document: sanitised HTML with placeholders, and what they stand for."""

    html: str
    views: list[ViewCall] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    notes: int = 0

    def resolve(self, link: Callable[[str, str, str], str], view: Callable[[ViewCall], str],
                image: Callable[[str], str] | None = None) -> str:
        """The final HTML: id links through ``link``, data views through ``view``."""
        out = _HREF.sub(lambda m: f'href="{html.escape(link(m.group(1), m.group(2), m.group(3) or ""), quote=True)}"', self.html)
        out = _VIEW_PLACEHOLDER.sub(lambda m: view(self.views[int(m.group(2))]), out)
        if image is not None:
            out = _IMG_SRC.sub(lambda m: f'{m.group(1)}{html.escape(image(html.unescape(m.group(2))), quote=True)}"', out)
        return out


def _prepare(index: int, doc: Document) -> tuple[str, list[ViewCall]]:
    """Replace the data views the loader found (by their lines) with placeholders, and make
    footnote labels unique to the document."""
    lines = doc.text.split("\n")
    views = {v.first: v for v in doc.views}
    out: list[str] = []
    calls: list[ViewCall] = []
    skip_to = -1
    for n, line in enumerate(lines):
        if n <= skip_to:
            continue
        view = views.get(n)
        if view is not None:
            out += ["", f'<div class="mp-view" id="mpview-{index}-{len(calls)}"></div>', ""]
            calls.append(ViewCall(view.kind, dict(view.attrs)))
            skip_to = view.last
            continue
        out.append(_NOTE_LABEL.sub(lambda m: f"[^d{index}-{m.group(1)}]", line))
    return "\n".join(out), calls


_CONVERTED: dict[str, Fragment] = {}  # by content: a long-running preview converts only what changed
_DISK: list[Path] = []  # a folder keeping conversions between runs (build/.cache/pandoc)


def use_cache_folder(folder: Path) -> None:
    """Keep conversions on disk, by content hash, so that the next build converts only new text."""
    _DISK[:] = [folder]
    if folder.is_dir() and sum(1 for _ in folder.iterdir()) > 20_000:  # old versions pile up: start afresh
        for f in folder.iterdir():
            f.unlink(missing_ok=True)


def _disk_key(text: str) -> str:
    import hashlib

    from .cache import code_digest

    return hashlib.sha256((code_digest() + "\0" + text).encode("utf-8")).hexdigest()


def _from_disk(text: str) -> Fragment | None:
    import json

    if not _DISK:
        return None
    try:
        data = json.loads((_DISK[0] / f"{_disk_key(text)}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Fragment(data["html"], [ViewCall(k, a) for k, a in data["views"]],
                    [tuple(h) for h in data["headings"]], data["notes"])


def _to_disk(text: str, frag: Fragment) -> None:
    import json

    from .write import write_text

    if _DISK:
        write_text(_DISK[0] / f"{_disk_key(text)}.json", json.dumps(
            {"html": frag.html, "views": [(v.kind, v.attrs) for v in frag.views], "headings": frag.headings,
             "notes": frag.notes}))


def convert(documents: list[Document]) -> list[Fragment]:
    """Convert Markdown documents to HTML fragments with a single pandoc run (none if all are known).
    Conversions are kept by text: a document's data views are a function of its text."""
    for d in documents:
        if d.text not in _CONVERTED:
            cached = _from_disk(d.text)
            if cached is not None:
                _CONVERTED[d.text] = cached
    missing = list({d.text: d for d in documents if d.text not in _CONVERTED}.values())
    if missing:
        for doc, frag in zip(missing, _convert(missing), strict=True):
            _CONVERTED[doc.text] = frag
            _to_disk(doc.text, frag)
        if len(_CONVERTED) > 20_000:
            _CONVERTED.clear()
            return _convert(documents)
    return [_CONVERTED[d.text] for d in documents]


def _convert(documents: list[Document]) -> list[Fragment]:
    if not documents:
        return []
    import pypandoc

    parts: list[str] = []
    views: list[list[ViewCall]] = []
    for i, doc in enumerate(documents):
        body, calls = _prepare(i, doc)
        views.append(calls)
        parts.append(f"\n\n# MPDOC {{#mpdoc-{i}}}\n\n{body}\n")
    output = pypandoc.convert_text(
        "".join(parts), "html5", format="markdown-auto_identifiers",
        extra_args=["--wrap=none", "--reference-location=section", "--sandbox"],
    )
    pieces = _MARKER.split(output)
    bodies: dict[int, str] = {}
    for k in range(1, len(pieces) - 1, 2):
        bodies[int(pieces[k])] = pieces[k + 1]
    return [_finish(bodies.get(i, ""), views[i]) for i in range(len(documents))]


def _finish(raw: str, views: list[ViewCall]) -> Fragment:
    clean = nh3.clean(
        raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"} | LINK_SCHEMES,
        link_rel=None, strip_comments=True,
    )
    clean = _renumber_notes(clean)
    frag = Fragment(clean, views)
    used: set[str] = set()

    def heading(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        existing = re.search(r'\bid="([^"]*)"', attrs)
        ident = existing.group(1) if existing else _unique(slugify(text), used)
        used.add(ident)
        frag.headings.append((level, ident, text))
        if existing:
            return m.group(0)
        return f'<h{level} id="{ident}"{attrs}>{inner}</h{level}>'

    frag.html = _HEADING.sub(heading, clean)
    frag.notes = clean.count('class="footnote-ref"')
    return frag


def _renumber_notes(text: str) -> str:
    """Footnotes count from 1 in every document (pandoc numbers them across the whole batch)."""
    if "footnote-ref" not in text:
        return text
    counter = iter(range(1, 10_000))
    text = re.sub(r'(class="footnote-ref"[^>]*><sup>)\d+(</sup>)', lambda m: f"{m.group(1)}{next(counter)}{m.group(2)}", text)
    return re.sub(r'<ol start="\d+">', "<ol>", text)


def slugify(text: str) -> str:
    """Pandoc-style identifier: lowercase, letters/digits/-/_/., spaces to hyphens."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s.-]", "", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = re.sub(r"^[^a-z]+", "", text)
    return text or "bagian"


def _unique(ident: str, used: set[str]) -> str:
    if ident not in used:
        return ident
    n = 1
    while f"{ident}-{n}" in used:
        n += 1
    return f"{ident}-{n}"


def project_fragments(project: Project) -> dict[str, dict[str, Fragment]]:
    """Chapters, pillar narratives and programme descriptions, converted in one pandoc run."""
    keys: list[tuple[str, str]] = []
    docs: list[Document] = []
    for cid, ch in project.chapters.items():
        keys.append(("chapter", cid))
        docs.append(ch.doc)
    for pl in project.pillars:
        if pl.narrative is not None:
            keys.append(("pillar", pl.id))
            docs.append(pl.narrative.doc)
    for p in project.programmes:
        if p.doc is not None:
            keys.append(("programme", p.id))
            docs.append(p.doc)
    out: dict[str, dict[str, Fragment]] = {"chapter": {}, "pillar": {}, "programme": {}}
    for (kind, key), frag in zip(keys, convert(docs), strict=True):
        out[kind][key] = frag
    return out
