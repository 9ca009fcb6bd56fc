"""Pandoc Markdown → safe HTML fragments, for every output, in one pandoc call per build.

All documents of a build (chapters, pillar narratives, programme descriptions) are joined into
one pandoc input, separated by marker headings, converted once (a pandoc start costs ~20 ms),
then split again. Each fragment is sanitised (nh3), its headings get ids unique within it, and
its data views and id links are left as placeholders for the output-specific renderer to fill.

What leaves the sanitiser is the contract every renderer relies on (the README's "Safety of the
published outputs"): only the elements and attributes below; text with no Markdown sign in it (they
are character references: the site's pages are Markdown, read again by MkDocs); ids and classes are plain tokens
(letters, digits, ``-``, ``_``, ids also ``.``), so they can never carry more attributes into a
Markdown attribute list or a selector; links are id links, ``http``/``https``/``mailto`` or
fragments within the document (a relative link to a file becomes plain text: in a PDF it would
name the build machine's files); no ``style`` except a table cell's alignment; the placeholders
carry a random token per run, so a source cannot forge one. Pandoc runs under a time and memory
limit, and a document it cannot finish is named.
"""

from __future__ import annotations

import html
import logging
import os
import re
import secrets
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nh3

from ..errors import BuildError
from ..model.document import Document

if TYPE_CHECKING:
    from ..model import Project

_NOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
# a data view's placeholder: only the converter writes ids beginning with "mpview-" (the sanitiser drops others)
_VIEW_PLACEHOLDER = re.compile(r'<div(?:\s[a-z][a-z0-9-]*="[^"]*")*?\sid="mpview-(\d+)-(\d+)"(?:\s[a-z][a-z0-9-]*="[^"]*")*>\s*</div>')
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_SERIALISED_ATTR = re.compile(r'\s([a-z][a-z0-9-]*)="([^"]*)"')  # as html5ever writes them: values never hold '"'
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)"')
_HREF = re.compile(r'href="(programme|pillar|chapter|opd):([^"#]*)(?:#([^"]*))?"')

LINK_SCHEMES = {"programme", "pillar", "chapter", "opd"}
URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href", "role"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "col": {"span"},
    "aside": {"role"},
    "figcaption": {"aria-hidden"},
}
SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,99}")  # an id that leaves the sanitiser
SAFE_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")  # each class
_NUMBER = re.compile(r"[0-9]{1,4}")
_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center);?\s*")  # the one style pandoc writes (table columns)
_VALUES = {"scope": {"row", "col", "rowgroup", "colgroup"}, "type": {"1", "a", "A", "i", "I"},
           "role": {"doc-noteref", "doc-backlink", "doc-footnote", "doc-endnotes"}, "aria-hidden": {"true"}}
_RESERVED_IDS = ("mpview-", "mpdoc-")  # the converter's own placeholders

TIMEOUT_ENV = "MASTERPLAN_TIMEOUT"
MEMORY_ENV = "MASTERPLAN_MEMORY_MB"
DEFAULT_TIMEOUT = 300.0  # seconds for one external conversion (a pandoc run, one PDF unit)
DEFAULT_MEMORY_MB = 2048  # what one external conversion may use


def _limit(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def time_limit() -> float:
    """Seconds any one external conversion may take (``MASTERPLAN_TIMEOUT``, default 300)."""
    return _limit(TIMEOUT_ENV, DEFAULT_TIMEOUT)


def memory_limit_mb() -> int:
    """Mebibytes any one external conversion may use (``MASTERPLAN_MEMORY_MB``, default 2048)."""
    return int(_limit(MEMORY_ENV, DEFAULT_MEMORY_MB))


class ConversionError(BuildError):
    """Pandoc failed, is missing, or did not finish in time; names the document when it can."""


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
        """The final HTML: id links through ``link``, data views through ``view``, image sources
        through ``image``. Tags are read attribute by attribute as the sanitiser wrote them, so a
        value that looks like markup is never mistaken for an attribute."""
        def anchor(m: re.Match) -> str:
            attrs = _attributes(m.group(1))
            href = attrs.get("href", "")
            scheme, _, rest = href.partition(":")
            if scheme in LINK_SCHEMES and _:
                target, _, frag = rest.partition("#")
                attrs["href"] = link(scheme, html.unescape(target), html.unescape(frag))
            return "<a" + _serialise(attrs) + ">"

        def placeholder(m: re.Match) -> str:
            n = int(m.group(2))
            return view(self.views[n]) if n < len(self.views) else ""

        def img(m: re.Match) -> str:
            attrs = _attributes(m.group(1))
            if image is not None and "src" in attrs:
                attrs["src"] = image(attrs["src"])
            return "<img" + _serialise(attrs) + ">"

        out = _A_TAG.sub(anchor, self.html)
        out = _VIEW_PLACEHOLDER.sub(placeholder, out)
        return _IMG_TAG.sub(img, out) if image is not None else out


_A_TAG = re.compile(r'<a((?:\s[a-z][a-z0-9-]*="[^"]*")*)>')
_IMG_TAG = re.compile(r'<img((?:\s[a-z][a-z0-9-]*="[^"]*")*)\s*/?>')


def _attributes(serialised: str) -> dict[str, str]:
    """The attributes of a tag as the sanitiser serialised them, unescaped."""
    return {name: html.unescape(value) for name, value in _SERIALISED_ATTR.findall(serialised)}


def _serialise(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs.items())


def _prepare(index: int, doc: Document, token: str) -> tuple[str, list[ViewCall]]:
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
            out += ["", f'<div class="mp-view" id="mpview-{token}-{index}-{len(calls)}"></div>', ""]
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


def pandoc_path() -> str:
    """The pandoc binary (pypandoc-binary ships one)."""
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        raise ConversionError("pandoc not found: reinstall the toolkit (it ships pypandoc-binary); "
                              "'masterplan doctor' checks it") from None


def run_pandoc(args: list[str], text: str, what: str, timeout: float | None = None) -> str:
    """Run pandoc on ``text`` within the time and memory limits; ``what`` names the input in errors."""
    limit = time_limit() if timeout is None else timeout
    command = [pandoc_path(), *args, "+RTS", f"-M{memory_limit_mb()}m", "-RTS"]
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise ConversionError(f"{what}: pandoc did not finish within {limit:g} s; see the README on "
                              f"{TIMEOUT_ENV}") from None
    except OSError as exc:
        raise ConversionError(f"cannot run pandoc: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if "Heap exhausted" in " ".join(message) or done.returncode == 251:
            raise ConversionError(f"{what}: pandoc needed more than {memory_limit_mb()} MiB; see the README on "
                                  f"{MEMORY_ENV}")
        raise ConversionError(f"{what}: pandoc failed: {' '.join(message)[:300] or f'exit {done.returncode}'}")
    for line in done.stderr.decode("utf-8", "replace").splitlines():  # pandoc's warnings, as pypandoc shows them
        if line.strip():
            logging.getLogger("masterplan.pandoc").warning("%s: %s", what, line.strip())
    return done.stdout.decode("utf-8")


MARKDOWN_ARGS = ["--from=markdown-auto_identifiers", "--to=html5", "--wrap=none", "--reference-location=section",
                 "--sandbox"]


def describe(doc: Document) -> str:
    """Where a document begins, for messages: ``path:line``."""
    where = doc.locate(0, 0)
    return f"{where.path}:{where.line}"


def _convert(documents: list[Document]) -> list[Fragment]:
    if not documents:
        return []
    token = secrets.token_hex(8)  # placeholders a source cannot write
    parts: list[str] = []
    views: list[list[ViewCall]] = []
    for i, doc in enumerate(documents):
        body, calls = _prepare(i, doc, token)
        views.append(calls)
        parts.append(f"\n\n# MPDOC {{#mpdoc-{token}-{i}}}\n\n{body}\n")
    what = describe(documents[0]) if len(documents) == 1 else f"{len(documents)} documents"
    try:
        output = run_pandoc(MARKDOWN_ARGS, "".join(parts), what)
    except ConversionError:
        if len(documents) == 1:
            raise
        for doc in documents:  # which one? each alone, in order: the others take milliseconds
            _convert([doc])
        raise
    pieces = re.split(rf'<h1 id="mpdoc-{token}-(\d+)">MPDOC</h1>\n?', output)
    bodies: dict[int, str] = {}
    for k in range(1, len(pieces) - 1, 2):
        bodies[int(pieces[k])] = pieces[k + 1]
    return [_finish(bodies.get(i, ""), views[i], token, i) for i in range(len(documents))]


def _filter(token: str, index: int) -> Callable[[str, str, str], str | None]:
    """The sanitiser's check of every attribute value it keeps (None drops the attribute)."""
    own_view = f"mpview-{token}-{index}-"

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr == "id":
            if value.startswith(own_view) and value[len(own_view):].isdigit():
                return f"mpview-{index}-{value[len(own_view):]}"
            return value if SAFE_ID.fullmatch(value) and not value.startswith(_RESERVED_IDS) else None
        if attr == "class":
            tokens = [c for c in value.split() if SAFE_CLASS.fullmatch(c)]
            return " ".join(dict.fromkeys(tokens)) or None
        if attr == "href":
            return _href(value)
        if attr == "src":
            return value if value.strip() else None
        if attr == "style":
            m = _ALIGN.fullmatch(value)
            return f"text-align: {m.group(1)};" if m and tag in ("td", "th") else None
        if attr in ("colspan", "rowspan", "span", "start", "width", "height"):
            return value if _NUMBER.fullmatch(value.strip()) else None
        if attr == "lang":
            return value if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}", value) else None
        if attr in _VALUES:
            return value if value in _VALUES[attr] else None
        return value  # text: alt, title

    return keep


def _href(value: str) -> str | None:
    """A link kept: an id link (its scheme in lowercase), a web or mail address, or a fragment."""
    url = value.strip()
    if url.startswith("#"):
        return url if len(url) > 1 else None
    scheme, colon, rest = url.partition(":")
    if colon and scheme.lower() in LINK_SCHEMES:
        return f"{scheme.lower()}:{rest}"
    if colon and scheme.lower() in URL_SCHEMES and (scheme.lower() == "mailto" or rest.startswith("//")):
        return url
    return None  # a relative path: plain text (a file of the project is no page of the site nor of a book)


# a tag as the sanitiser writes it (values in double quotes, which they never hold), or a run of text
_TAG_OR_TEXT = re.compile(r'(<[^>"]*(?:"[^"]*"[^>"]*)*>)|([^<]+)')
# characters that Markdown (and its extensions) could read as markup, were the fragment's text read
# as Markdown: the site's pages are Markdown, and text outside a block-level element is read as such
_MARKDOWN_SIGNS = re.compile(r"[\\`*_\[\]{}!#|~^]")


def _inert_text(fragment: str) -> str:
    """The fragment with every Markdown sign in its text written as a character reference, which
    HTML shows as the character itself: no text from a source is read as markup again."""
    def part(m: re.Match) -> str:
        return m.group(1) or _MARKDOWN_SIGNS.sub(lambda c: f"&#{ord(c.group())};", m.group(2))
    return _TAG_OR_TEXT.sub(part, fragment)


def _finish(raw: str, views: list[ViewCall], token: str = "", index: int = 0) -> Fragment:
    clean = nh3.clean(
        raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=_filter(token, index),
        url_schemes=URL_SCHEMES | LINK_SCHEMES, link_rel=None, strip_comments=True,
    )
    clean = _inert_text(_renumber_notes(clean))
    frag = Fragment(clean, views)
    used: set[str] = set()

    def heading(m: re.Match) -> str:
        level, inner = int(m.group(1)), m.group(3)
        attrs = _attributes(m.group(2) or "")
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        ident = attrs.pop("id", "") or _unique(slugify(text), used)
        used.add(ident)
        frag.headings.append((level, ident, text))
        return f'<h{level} id="{ident}"{_serialise(attrs)}>{inner}</h{level}>'

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
    """Pandoc-style identifier: lowercase ASCII letters, digits, ``-``, ``_`` and ``.``, spaces to
    hyphens, starting with a letter (accents dropped; other scripts give ``bagian``)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9\s_.-]", "", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = re.sub(r"^[^a-z]+", "", text)[:80].rstrip("-_.")
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
