"""The syntax of the sources' Markdown extensions, read in one place: YAML front matter, id links,
images and data views (fenced divs).

``parse`` turns a Markdown text into a ``Document``: the validator checks what it found, and the
renderers replace exactly the data views it found (by their lines) with tables and charts, so a
data view the validator accepts always renders and one it cannot read is an error, never an empty
block. Pandoc remains the reader of everything else; this is a line scanner (no pandoc run), fast
enough to validate thousands of documents.
"""

from __future__ import annotations

import re

from ..errors import did_you_mean
from ..model.dataviews import VIEWS
from ..model.document import Document, Image, Link, Locator, SyntaxProblem, View

LINK_SCHEMES = ("programme", "pillar", "chapter", "opd")
_SCHEMES = "|".join(LINK_SCHEMES)
# [text](scheme:id#fragment "title"), <scheme:id> autolinks, [ref]: scheme:id definitions and
# href="scheme:id" in raw HTML; schemes are matched in any case (pandoc keeps PROGRAMME:x as a link)
_LINK_RE = re.compile(
    rf"\]\(\s*<?(?P<s1>{_SCHEMES}):(?P<t1>[^)\s>#]*)(?:#(?P<f1>[^)\s>]*))?>?(?:\s+\"[^\"]*\")?\s*\)"
    rf"|<(?P<s2>{_SCHEMES}):(?P<t2>[^>\s#]*)(?:#(?P<f2>[^>\s]*))?>"
    rf"|^\s{{0,3}}\[[^\]]+\]:\s*<?(?P<s3>{_SCHEMES}):(?P<t3>[^\s>#]*)(?:#(?P<f3>\S*))?"
    rf"|\bhref\s*=\s*[\"']?(?P<s4>{_SCHEMES}):(?P<t4>[^\"'\s>#]*)(?:#(?P<f4>[^\"'\s>]*))?",
    re.MULTILINE | re.IGNORECASE,
)
_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]+)"
    r"|<img\b[^>]*?\bsrc\s*=\s*(?:[\"'](?P<src>[^\"']+)|(?P<bare>[^\s\"'>]+))",
    re.IGNORECASE,
)
_IMAGE_REF_RE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\[(?P<label>[^\]]*)\])?(?!\()")
_REF_DEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*<?(?P<url>[^\s>]+)")
_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_DIV_OPEN = re.compile(r"^(?P<colons>:{3,})[ \t]*(?:\{(?P<attrs>[^}]*)\}|(?P<word>[^\s{}:]+))[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^:{3,}[ \t]*$")
_NESTED_VIEW = re.compile(r"^(?:[ \t]+|(?:[ \t]*>[ \t]?)+|[ \t]*(?:[-*+]|\d+[.)])[ \t]+):{3,}.*?(?P<cls>\.?[\w-]+)")
_ATTR_TOKEN = re.compile(
    r"""\s*(?:(?P<cls>\.[\w-]+)|(?P<id>\#[\w:.-]+)|(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))"""
)
_RAW_HTML_INFO = re.compile(r"^\s*\{\s*=html5?\s*\}\s*$", re.IGNORECASE)


class FrontMatterError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def split_front_matter(text: str, required: bool) -> tuple[str | None, str, int]:
    """Return (front matter YAML or None, body, line number where the body starts)."""
    if not text.startswith("---"):
        if required:
            raise FrontMatterError("front matter missing: start the file with '---', 'title: …', '---'", 1)
        return None, text, 1
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].rstrip() != "---":
        raise FrontMatterError("front matter must open with a line of exactly '---'", 1)
    lines = text[first_nl + 1:].split("\n")
    for i, line in enumerate(lines):
        if line.rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[:i]) + "\n"
            body = "\n".join(lines[i + 1:])
            return yaml_text, body, i + 3
    raise FrontMatterError("front matter not closed: add a line '---' after it", 1)


def chapter_locator(path: str, first_line: int) -> Locator:
    """Positions in a Markdown file whose body starts at line ``first_line``."""
    from ..errors import Location

    return lambda line, col: Location(path, first_line + line, col + 1)


def parse(text: str, locate: Locator) -> Document:
    """Read the extensions of one Markdown text, skipping code."""
    doc = Document(text, locate=locate)
    lines = text.split("\n")
    fence: str | None = None
    raw_html = False
    stack: list[View | None] = []  # open divs: a View for a data view, None for another div
    in_view = 0  # depth inside data views: their content is replaced, not read
    definitions: dict[str, tuple[str, int, int]] = {}
    image_refs: list[tuple[str, int, int]] = []
    for n, line in enumerate(lines):
        m = _FENCE_RE.match(line)
        if fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence) and not m.group("info").strip():
                fence, raw_html = None, False
            elif raw_html and not in_view:
                _scan_inline(doc, line, n, html_only=True)
            continue
        if m:
            fence, raw_html = m.group("fence"), bool(_RAW_HTML_INFO.match(m.group("info")))
            continue
        if _DIV_CLOSE.match(line):
            if stack:
                view = stack.pop()
                if view is not None:
                    in_view -= 1
                    if in_view == 0:
                        doc.views.append(View(view.kind, view.attrs, view.first, n, view.col, view.attr_cols, locate))
            continue
        d = _DIV_OPEN.match(line) if line.startswith(":::") else None
        if d:
            stack.append(None if in_view else _open_div(doc, d, n))
            if stack[-1] is not None:
                in_view += 1
            elif in_view:
                stack[-1] = None
            continue
        if in_view:
            continue
        if line.startswith(("    ", "\t")):
            continue  # indented code (or a nested list item: links there are rare)
        nested = _NESTED_VIEW.match(line)
        if nested and nested.group("cls").lstrip(".") in VIEWS:
            doc.problems.append(SyntaxProblem(
                "E209", n, nested.start("cls"),
                f"data view '{nested.group('cls').lstrip('.')}' inside a list, quote or indented block is not "
                "supported: start its ':::' line at the left margin"))
        _scan_inline(doc, line, n)
        ref = _REF_DEF_RE.match(line)
        if ref:
            definitions.setdefault(ref.group("label").strip().lower(), (ref.group("url"), n, ref.start("url")))
        if "![" in line:
            for im in _IMAGE_REF_RE.finditer(_mask_inline_code(line)):
                label = (im.group("label") or im.group("alt")).strip().lower()
                image_refs.append((label, n, im.start()))
    for view in stack:
        if view is not None:
            doc.problems.append(SyntaxProblem(
                "E211", view.first, view.col,
                f"data view '.{view.kind}' is not closed: add a line ':::' after it (without it the rest of "
                "the document would be lost)"))
            break
    for label, _n, _col in image_refs:
        if label in definitions:
            url, line_no, col = definitions[label]
            doc.images.append(Image(url, line_no, col, locate))
    return doc


def _open_div(doc: Document, d: re.Match, n: int) -> View | None:
    """The View a fence opens when its classes name a data view (None for a callout)."""
    if d.group("word"):
        classes = [(d.group("word").lstrip("."), d.start("word"))]
        attrs: dict[str, str] = {}
        cols: dict[str, int] = {}
    else:
        parsed = _attributes(d.group("attrs"), d.start("attrs"))
        if parsed is None:
            doc.problems.append(SyntaxProblem(
                "E209", n, d.start("attrs"),
                "cannot read the attributes of this div: write them as {.class key=value key2=\"two words\"}"))
            return None
        classes, attrs, cols, duplicate = parsed
        if duplicate:
            doc.problems.append(SyntaxProblem("E209", n, cols[duplicate], f"attribute '{duplicate}' is given twice"))
    kinds = [(c, col) for c, col in classes if c in VIEWS]
    if len(kinds) > 1:
        doc.problems.append(SyntaxProblem(
            "E209", n, kinds[1][1], f"a div can hold one data view; this one names {', '.join(k for k, _ in kinds)}"))
    if not kinds:
        for c, col in classes:
            hint = did_you_mean(c, list(VIEWS))
            if hint:  # a plain div (callout) otherwise
                doc.problems.append(SyntaxProblem("E209", n, col, f"unknown data view '.{c}'{hint}"))
        return None
    kind, col = kinds[0]
    return View(kind, attrs, n, n, col, cols, doc.locate)


def _attributes(text: str, offset: int) -> tuple[list[tuple[str, int]], dict[str, str], dict[str, int], str] | None:
    """Pandoc's attribute syntax; None when some of it cannot be read (pandoc would print it as text)."""
    classes: list[tuple[str, int]] = []
    attrs: dict[str, str] = {}
    cols: dict[str, int] = {}
    duplicate = ""
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _ATTR_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None
        token_col = offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if m.group("cls"):
            classes.append((m.group("cls")[1:], token_col))
        elif m.group("key"):
            key = m.group("key")
            value = next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
            if key in attrs and not duplicate:
                duplicate = key
            attrs[key] = value
            cols.setdefault(key, token_col)
        pos = m.end()
    return classes, attrs, cols, duplicate


def _scan_inline(doc: Document, line: str, n: int, html_only: bool = False) -> None:
    if not ("](" in line or "<" in line or "]:" in line or "href" in line.lower()):
        return
    scrubbed = line if html_only else _mask_inline_code(line)
    for lm in _LINK_RE.finditer(scrubbed):
        idx = next(i for i in "1234" if lm.group("s" + i))
        if html_only and idx != "4":
            continue
        doc.links.append(Link(lm.group("s" + idx).lower(), lm.group("t" + idx), lm.group("f" + idx) or "",
                              n, lm.start("t" + idx), doc.locate))
    for im in _IMAGE_RE.finditer(scrubbed):
        key = next(k for k in ("url", "src", "bare") if im.group(k))
        if html_only and key == "url":
            continue
        doc.images.append(Image(im.group(key), n, im.start(key), doc.locate))


def _mask_inline_code(line: str) -> str:
    if "`" not in line:
        return line
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line)
