"""Markdown sources: YAML front matter, then a scan of the body for id links, images and
data views, so that the validator can check them without running pandoc."""

from __future__ import annotations

import re

from ..errors import Location
from ..model.chapter import Image, Link, View

LINK_SCHEMES = ("programme", "pillar", "chapter", "opd")
_SCHEMES = "|".join(LINK_SCHEMES)
# [text](scheme:id#fragment "title"), also <scheme:id> autolinks and [ref]: scheme:id definitions
_LINK_RE = re.compile(
    rf"\]\(\s*<?(?P<s1>{_SCHEMES}):(?P<t1>[^)\s>#]*)(?:#(?P<f1>[^)\s>]*))?>?(?:\s+\"[^\"]*\")?\s*\)"
    rf"|<(?P<s2>{_SCHEMES}):(?P<t2>[^>\s#]*)(?:#(?P<f2>[^>\s]*))?>"
    rf"|^\s{{0,3}}\[[^\]]+\]:\s*<?(?P<s3>{_SCHEMES}):(?P<t3>[^\s>#]*)(?:#(?P<f3>\S*))?",
    re.MULTILINE,
)
_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*(?:[\"'](?P<src>[^\"']+)|(?P<bare>[^\s\"'>]+))", re.I)
_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})")
_DIV_RE = re.compile(r"^(?P<colons>:{3,})\s*(?:\{(?P<attrs>[^}]*)\}|(?P<word>[A-Za-z][\w-]*))?\s*:*\s*$")
_ATTR_RE = re.compile(r"""(?P<cls>\.[\w-]+)|(?P<id>\#[\w-]+)|(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")


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


def scan(body: str, path: str, first_line: int) -> tuple[list[Link], list[Image], list[View]]:
    """Find id links, images and data views in a Markdown body, skipping code."""
    links: list[Link] = []
    images: list[Image] = []
    views: list[View] = []
    fence: str | None = None
    for n, line in enumerate(body.split("\n")):
        lineno = first_line + n
        m = _FENCE_RE.match(line)
        if fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group("fence")
            continue
        if line.startswith("    ") or line.startswith("\t"):
            continue  # indented code (or a nested list item: links there are rare)
        if ":::" in line:
            d = _DIV_RE.match(line)
            if d and (d.group("attrs") is not None or d.group("word")):
                view = _parse_div(d, path, lineno)
                if view is not None:
                    views.append(view)
        if "](" in line or "<" in line or "]:" in line:
            scrubbed = _mask_inline_code(line)
            for lm in _LINK_RE.finditer(scrubbed):
                idx = next(i for i in "123" if lm.group("s" + i))
                links.append(Link(
                    lm.group("s" + idx), lm.group("t" + idx), lm.group("f" + idx) or "",
                    Location(path, lineno, lm.start("t" + idx) + 1),
                ))
            for im in _IMAGE_RE.finditer(scrubbed):
                key = next(k for k in ("url", "src", "bare") if im.group(k))
                images.append(Image(im.group(key), Location(path, lineno, im.start(key) + 1)))
    return links, images, views


def scan_text(text: str, where_of) -> tuple[list[Link], list[Image]]:
    """Links and images of a Markdown string inside YAML; ``where_of(offset)`` locates them."""
    links: list[Link] = []
    images: list[Image] = []
    fake_path = "\0"
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    found_links, found_images, _ = scan(text, fake_path, 1)
    for link in found_links:
        off = offsets[link.where.line - 1] + link.where.col - 1
        links.append(Link(link.scheme, link.target, link.fragment, where_of(off)))
    for image in found_images:
        off = offsets[image.where.line - 1] + image.where.col - 1
        images.append(Image(image.url, where_of(off)))
    return links, images


def _mask_inline_code(line: str) -> str:
    if "`" not in line:
        return line
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line)


def _parse_div(d: re.Match, path: str, lineno: int) -> View | None:
    col0 = d.start("attrs") if d.group("attrs") is not None else d.start("word")
    if d.group("word"):
        return View(d.group("word"), {}, Location(path, lineno, col0 + 1))
    classes: list[tuple[str, int]] = []
    attrs: dict[str, str] = {}
    attr_where: dict[str, Location] = {}
    for am in _ATTR_RE.finditer(d.group("attrs")):
        if am.group("cls"):
            classes.append((am.group("cls")[1:], col0 + am.start() + 1))
        elif am.group("key"):
            key = am.group("key")
            value = next(v for v in (am.group("dq"), am.group("sq"), am.group("bare")) if v is not None)
            attrs[key] = value
            attr_where[key] = Location(path, lineno, col0 + am.start() + 1)
    if not classes:
        return None
    name, col = classes[0]
    return View(name, attrs, Location(path, lineno, col), attr_where)
