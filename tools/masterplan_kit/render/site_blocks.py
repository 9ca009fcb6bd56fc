"""Generated pages keep their HTML out of Markdown's way.

A generated page is HTML with Markdown headings between its parts (the headings give MkDocs the
page's table of contents). Python-Markdown would parse every tag of that HTML only to pass it
through unchanged — most of the time a site build spends in Markdown. So each part of a page that
begins with an HTML tag is set aside before MkDocs sees the page: it becomes a placeholder comment,
and the parts travel at the end of the same Markdown file, as JSON in a comment; the site's hook
(``mkdocs_hooks.py``) takes them out before Markdown runs and puts them back in the HTML after.

The rule for a page template (``templates/site/*.md.j2``): between two headings, a part that
begins with an HTML tag is HTML as it stands, to its end; a part that begins otherwise is Markdown.
A heading line is ``## Text {: #id }`` (an ATX heading ending in an attribute list with an id).
"""

from __future__ import annotations

import json
import re

_HEADING = re.compile(r"^#{1,6} \S.*\{:?\s*#[^\s{}]+\s*\}\s*$")  # ## Text {: #id } (or {#id}, { #id })
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_STORE = re.compile(r"\n<!--mp-blocks (.*?) -->\n*\Z", re.S)
_PLACEHOLDER = re.compile(r"<!--mp-block-(\d+)-->")


def set_aside(page: str) -> str:
    """The page with its HTML parts replaced by placeholders, the parts stored at its end."""
    front = _FRONT.match(page)
    head, body = (page[: front.end()], page[front.end():]) if front else ("", page)
    out: list[str] = []
    blocks: list[str] = []
    part: list[str] = []

    def flush() -> None:
        text = "\n".join(part).strip("\n")
        if text.lstrip().startswith("<"):
            out.append(f"\n<!--mp-block-{len(blocks)}-->\n")
            blocks.append(text)
        elif text.strip():
            out.append(text)
        part.clear()

    for line in body.split("\n"):
        if _HEADING.match(line):
            flush()
            out.append(f"\n{line}\n")
        else:
            part.append(line)
    flush()
    if not blocks:
        return page
    # ">" written as \u003e: the JSON can hold no "-->" that would end its comment early
    store = json.dumps(blocks, ensure_ascii=False).replace(">", "\\u003e")
    return head + "\n".join(out) + f"\n\n<!--mp-blocks {store} -->\n"


def take_out(markdown: str) -> tuple[str, list[str]]:
    """The page's Markdown without its stored parts, and the parts."""
    found = _STORE.search(markdown)
    if found is None:
        return markdown, []
    return markdown[: found.start()] + "\n", json.loads(found.group(1))


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with each placeholder replaced by its part."""
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)
