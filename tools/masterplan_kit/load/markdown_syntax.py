"""The syntax of the sources' Markdown extensions, read in one place: YAML front matter, id links,
images and data views (fenced divs).

``parse`` turns a Markdown text into a ``Document``: the validator checks what it found, and the
renderers replace exactly the data views it found (by their lines) with tables and charts, so a
data view the validator accepts always renders and one it cannot read is an error, never an empty
block. Pandoc remains the reader of everything else; this is a line scanner (no pandoc run), fast
enough to validate thousands of documents.
"""

from __future__ import annotations

import bisect
import re

from ..errors import did_you_mean
from ..model.dataviews import VIEWS
from ..model.document import Document, Image, Link, Locator, SyntaxProblem, View

LINK_SCHEMES = ("programme", "pillar", "chapter", "opd")
_SCHEMES = "|".join(LINK_SCHEMES)
MAX_BRACKET_DEPTH = 4  # pandoc's reader takes exponential time in the depth of open brackets


def _bracketed(depth: int) -> str:
    """Text in square brackets holding up to ``depth`` levels of nested brackets."""
    inner = r"[^\[\]]"
    for _ in range(depth):
        inner = rf"(?:[^\[\]]|\[{inner}*\])"
    return rf"\[{inner}*\]"


_ALT = _bracketed(MAX_BRACKET_DEPTH - 1)
# [text](scheme:id#fragment "title"), <scheme:id> autolinks, [ref]: scheme:id definitions and
# href="scheme:id" in raw HTML; schemes are matched in any case (pandoc keeps PROGRAMME:x as a link)
_LINK_RE = re.compile(
    rf"\]\(\s*<?(?P<s1>{_SCHEMES}):(?P<t1>[^)\s>#]*)(?:#(?P<f1>[^)\s>]*))?>?(?:\s+\"[^\"]*\")?\s*\)"
    rf"|<(?P<s2>{_SCHEMES}):(?P<t2>[^>\s#]*)(?:#(?P<f2>[^>\s]*))?>"
    rf"|^[ \t>]*\[[^\]]+\]:\s*<?(?P<s3>{_SCHEMES}):(?P<t3>[^\s>#]*)(?:#(?P<f3>\S*))?"
    rf"|\bhref\s*=\s*[\"']?(?P<s4>{_SCHEMES}):(?P<t4>[^\"'\s>#]*)(?:#(?P<f4>[^\"'\s>]*))?",
    re.MULTILINE | re.IGNORECASE,
)
_IMAGE_RE = re.compile(rf"!{_ALT}\(\s*<?(?P<url>[^)\s>]+)")
_IMAGE_REF_RE = re.compile(rf"!(?P<alt>{_ALT})(?:\[(?P<label>[^\]]*)\])?(?!\()")
_REF_DEF_RE = re.compile(r"^[ \t>]*\[(?P<label>[^\]]+)\]:[ \t]*\n?[ \t]*<?(?P<url>[^\s>]+)", re.MULTILINE)
_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_DIV_OPEN = re.compile(r"^(?P<colons>:{3,})[ \t]*(?:\{(?P<attrs>[^}]*)\}|(?P<word>[^\s{}:]+))[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^:{3,}[ \t]*$")
_NESTED_VIEW = re.compile(r"^(?:[ \t]+|(?:[ \t]*>[ \t]?)+|[ \t]*(?:[-*+]|\d+[.)])[ \t]+):{3,}.*?(?P<cls>\.?[\w-]+)")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)]|#\.)[ \t]+")
_ATTR_TOKEN = re.compile(
    r"""\s*(?:(?P<cls>\.[\w-]+)|(?P<id>\#[\w:.-]+)|(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))"""
)
_RAW_HTML_INFO = re.compile(r"^\s*\{\s*=html5?\s*\}\s*$", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1(?!`)(?P<raw>\{\s*=html5?\s*\})?", re.S | re.IGNORECASE)
# an HTML start tag and its attributes, read as a browser would (quoted, unquoted or bare)
_HTML_TAG = re.compile(
    r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>"
)
_HTML_ATTR = re.compile(r"(?P<name>[^\s\"'<>/=]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?")
_HTML_OPEN = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>]|$)")
# elements the sanitiser removes with their content, that would run or fetch something, or that
# (left open) swallow the rest of the document: refused in the sources instead of dropped unnoticed
FORBIDDEN_ELEMENTS = frozenset({
    "script", "style", "textarea", "title", "xmp", "plaintext", "noscript", "noembed", "noframes", "iframe",
    "frame", "frameset", "object", "embed", "applet", "template", "base", "link", "meta", "svg", "math",
})
_CSS_URL = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
# a Markdown link or image, or a reference definition, whose address is a script or data URL
_SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(?P<u1>(?:javascript|vbscript|data)\s*:)|^[ \t>]*\[[^\]]+\]:\s*<?\s*"
                          r"(?P<u2>(?:javascript|vbscript|data)\s*:)", re.IGNORECASE | re.MULTILINE)
# text no source may hold: control characters (but tab and line ends) and the bidirectional
# overrides and isolates that make text display otherwise than it reads ("Trojan Source")
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def forbidden_char(text: str) -> re.Match | None:
    """The first character no text of the sources may hold, if any."""
    return _FORBIDDEN_CHARS.search(text)


def describe_char(ch: str) -> str:
    return f"U+{ord(ch):04X}"


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
    """Read the extensions of one Markdown text, skipping code.

    Links and images are read paragraph by paragraph (pandoc lets them span lines); raw HTML, in
    the text or in ``{=html}`` blocks, is read for images, id links and the elements no source may
    hold; bracket nesting is measured per paragraph, as pandoc reads it.
    """
    doc = Document(text, locate=locate)
    lines = text.split("\n")
    fence: str | None = None
    raw_html = False
    stack: list[View | None] = []  # open divs: a View for a data view, None for another div
    in_view = 0  # depth inside data views: their content is replaced, not read
    paragraph: list[int] = []  # line indexes of the text block being gathered
    raw_block: list[int] = []  # line indexes of a {=html} block
    in_list = False
    blank_before = True
    scan = _Scanner(doc, lines)
    for n, line in enumerate(lines):
        m = _FENCE_RE.match(line)
        if fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence) and not m.group("info").strip():
                fence, raw_html = None, False
                scan.html(raw_block)
                raw_block = []
            elif raw_html and not in_view:
                raw_block.append(n)
            continue
        if m and not (line.startswith((" ", "\t")) and paragraph):
            scan.text(paragraph)
            paragraph = []
            fence, raw_html = m.group("fence"), bool(_RAW_HTML_INFO.match(m.group("info")))
            continue
        if _DIV_CLOSE.match(line):
            scan.text(paragraph)
            paragraph = []
            if stack:
                view = stack.pop()
                if view is not None:
                    in_view -= 1
                    if in_view == 0:
                        doc.views.append(View(view.kind, view.attrs, view.first, n, view.col, view.attr_cols, locate))
            continue
        d = _DIV_OPEN.match(line) if line.startswith(":::") else None
        if d:
            scan.text(paragraph)
            paragraph = []
            stack.append(None if in_view else _open_div(doc, d, n))
            if stack[-1] is not None:
                in_view += 1
            elif in_view:
                stack[-1] = None
            continue
        if in_view:
            continue
        if not line.strip():
            scan.text(paragraph)
            paragraph = []
            blank_before = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and blank_before and not in_list:
            continue  # an indented code block
        if _LIST_ITEM.match(line):
            in_list = True
        elif not indented and blank_before:
            in_list = False
        blank_before = False
        nested = _NESTED_VIEW.match(line)
        if nested and nested.group("cls").lstrip(".") in VIEWS:
            doc.problems.append(SyntaxProblem(
                "E209", n, nested.start("cls"),
                f"data view '{nested.group('cls').lstrip('.')}' inside a list, quote or indented block is not "
                "supported: start its ':::' line at the left margin"))
        paragraph.append(n)
    scan.text(paragraph)
    scan.html(raw_block)
    for view in stack:
        if view is not None:
            doc.problems.append(SyntaxProblem(
                "E211", view.first, view.col,
                f"data view '.{view.kind}' is not closed: add a line ':::' after it (without it the rest of "
                "the document would be lost)"))
            break
    scan.finish()
    return doc


class _Scanner:
    """Reads blocks of lines of one document for links, images, raw HTML and bracket depth."""

    def __init__(self, doc: Document, lines: list[str]) -> None:
        self.doc, self.lines = doc, lines
        self.definitions: dict[str, tuple[str, int, int]] = {}
        self.image_refs: list[tuple[str, int, int]] = []
        self.open_comment: tuple[int, int] | None = None
        self.too_deep = False

    def _block(self, indexes: list[int]) -> tuple[str, list[int]]:
        text = "\n".join(self.lines[i] for i in indexes)
        starts, pos = [], 0
        for i in indexes:
            starts.append(pos)
            pos += len(self.lines[i]) + 1
        return text, starts

    def _at(self, indexes: list[int], starts: list[int], offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(starts, offset) - 1
        return indexes[k], offset - starts[k]

    def text(self, indexes: list[int]) -> None:
        """A block of Markdown text (a paragraph, a list, a quote)."""
        if not indexes:
            return
        raw, starts = self._block(indexes)
        masked, raw_spans = _mask_code(raw)
        doc = self.doc
        self._depth(masked, indexes, starts)
        if "](" in masked or "<" in masked or "]:" in masked or "href" in masked.lower():
            for lm in _LINK_RE.finditer(masked):
                idx = next(i for i in "1234" if lm.group("s" + i))
                self._link(lm, idx, indexes, starts)
        if "![" in masked:
            for im in _IMAGE_RE.finditer(masked):
                n, col = self._at(indexes, starts, im.start("url"))
                doc.images.append(Image(im.group("url"), n, col, doc.locate))
            for im in _IMAGE_REF_RE.finditer(masked):
                label = im.group("label") or im.group("alt")[1:-1]
                n, col = self._at(indexes, starts, im.start())
                self.image_refs.append((_label(label), n, col))
        if "]:" in masked:
            for ref in _REF_DEF_RE.finditer(masked):
                n, col = self._at(indexes, starts, ref.start("url"))
                self.definitions.setdefault(_label(ref.group("label")), (ref.group("url"), n, col))
        if ":" in masked:
            for sm in _SCRIPT_LINK.finditer(masked):
                group = "u1" if sm.group("u1") else "u2"
                n, col = self._at(indexes, starts, sm.start(group))
                self.doc.problems.append(SyntaxProblem(
                    "E212", n, col, f"a link to '{sm.group(group).lower().replace(' ', '')}' is not allowed in the "
                    "sources: the outputs never link it; link an id (programme:…) or a web address"))
        if "<" in masked:
            self._html(masked, indexes, starts)
        for start, end in raw_spans:  # `<img src=…>`{=html}: raw HTML written inline
            self._html(" " * start + raw[start:end], indexes, starts)

    def html(self, indexes: list[int]) -> None:
        """The content of a ``{=html}`` block."""
        if not indexes:
            return
        raw, starts = self._block(indexes)
        for lm in _LINK_RE.finditer(raw):
            if lm.group("s4"):
                self._link(lm, "4", indexes, starts)
        self._html(raw, indexes, starts)

    def _link(self, lm: re.Match, idx: str, indexes: list[int], starts: list[int]) -> None:
        n, col = self._at(indexes, starts, lm.start("t" + idx))
        self.doc.links.append(Link(lm.group("s" + idx).lower(), lm.group("t" + idx), lm.group("f" + idx) or "",
                                   n, col, self.doc.locate))

    def _html(self, text: str, indexes: list[int], starts: list[int]) -> None:
        doc = self.doc
        for tag in _HTML_OPEN.finditer(text):
            name = tag.group("name").lower()
            if name in FORBIDDEN_ELEMENTS:
                n, col = self._at(indexes, starts, tag.start())
                doc.problems.append(SyntaxProblem(
                    "E212", n, col, f"HTML element <{name}> is not allowed in the sources: the outputs never show "
                    "it" + (" (use an image file: ![description](file.svg))" if name == "svg" else
                            " (left open, it would also hide everything after it)")))
        for tag in _HTML_TAG.finditer(text):
            name = tag.group("name").lower()
            attrs = tag.group("attrs")
            offset = tag.start("attrs")
            for am in _HTML_ATTR.finditer(attrs):
                key = am.group("name").lower()
                value = next((v for v in (am.group("dq"), am.group("sq"), am.group("bare")) if v is not None), None)
                if value is None:
                    continue
                start = offset + am.start(next(g for g in ("dq", "sq", "bare") if am.group(g) is not None))
                n, col = self._at(indexes, starts, start)
                if key.startswith("on") or (key in ("href", "src", "action", "formaction") and _SCRIPT_URL.match(value)):
                    n, col = self._at(indexes, starts, offset + am.start())
                    doc.problems.append(SyntaxProblem(
                        "E212", n, col, f"HTML attribute {key}={value[:30]!r} runs script and is not allowed in the "
                        "sources: the outputs never keep it"))
                elif key == "src" and name in ("img", "image"):
                    doc.images.append(Image(value, n, col, doc.locate))
                elif key == "style" and _CSS_URL.search(value):
                    doc.problems.append(SyntaxProblem(
                        "E208", n, col, "an image or stylesheet in a style attribute (url(), @import) is never "
                        "shown: style attributes are removed from the outputs; show an image with "
                        "![description](file)"))
        at = text.rfind("<!--")
        if at != -1 and "-->" not in text[at:] and self.open_comment is None:
            self.open_comment = self._at(indexes, starts, at)

    def _depth(self, text: str, indexes: list[int], starts: list[int]) -> None:
        if self.too_deep or text.count("[") <= MAX_BRACKET_DEPTH:
            return
        depth = 0
        escaped = False
        for i, ch in enumerate(text):
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "[":
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    n, col = self._at(indexes, starts, i)
                    self.doc.problems.append(SyntaxProblem(
                        "E213", n, col, f"square brackets nested or left open more than {MAX_BRACKET_DEPTH} deep in one "
                        "paragraph: pandoc would take minutes to read it; close them, or write \\[ for a literal bracket"))
                    self.too_deep = True
                    return
            elif ch == "]":
                depth = max(0, depth - 1)

    def finish(self) -> None:
        doc = self.doc
        for label, _n, _col in self.image_refs:
            if label in self.definitions:
                url, line_no, col = self.definitions[label]
                doc.images.append(Image(url, line_no, col, doc.locate))
        if self.open_comment is not None:
            n, col = self.open_comment
            doc.problems.append(SyntaxProblem("E212", n, col, "HTML comment '<!--' is not closed: add '-->' (left "
                                                              "open, it would hide everything after it)"))


def _label(text: str) -> str:
    """A reference label as pandoc matches it: case and runs of spaces do not count."""
    return " ".join(text.split()).lower()


def _mask_code(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its code spans blanked (line ends kept, so positions stay), and where the spans
    marked as raw HTML (`…`{=html}) hold their HTML."""
    if "`" not in text:
        return text, []
    raw: list[tuple[int, int]] = []

    def blank(m: re.Match) -> str:
        if m.group("raw"):
            raw.append((m.start(2), m.end(2)))
        return re.sub(r"[^\n]", " ", m.group(0))

    return _CODE_SPAN.sub(blank, text), raw


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
