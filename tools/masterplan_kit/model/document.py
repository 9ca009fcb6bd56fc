"""A Markdown document of the sources (a chapter, a pillar narrative, a programme description) and
what its extensions refer to: id links, images and data views.

The loader's parser (``load/markdown_syntax.py``) fills it once; the validator checks it and the
renderers fill its data views from the same record, so the two can never read a document differently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import Location

Locator = Callable[[int, int], Location]  # (line index in the text, 0-based column) -> position in the file


def _nowhere(line: int, col: int) -> Location:
    return Location("<memory>", line + 1, col + 1)


@dataclass(frozen=True)
class Link:
    """An id link such as ``[teks](programme:e-kelurahan)``."""

    scheme: str  # programme | pillar | chapter | opd (lowercase)
    target: str
    fragment: str
    line: int
    col: int
    locate: Locator = field(default=_nowhere, compare=False, repr=False)

    @property
    def where(self) -> Location:
        return self.locate(self.line, self.col)


@dataclass(frozen=True)
class Image:
    """An image: ``![alt](url)``, ``![alt][ref]`` with ``[ref]: url``, or ``<img src="url">``."""

    url: str
    line: int
    col: int
    locate: Locator = field(default=_nowhere, compare=False, repr=False)

    @property
    def where(self) -> Location:
        return self.locate(self.line, self.col)


@dataclass(frozen=True)
class View:
    """A fenced div: a data view such as ``::: {.programmes pillar=governance}`` (its lines are
    replaced by the view's table or chart when rendered), or a callout (``::: note``) when its class
    names no data view."""

    kind: str
    attrs: dict[str, str]
    first: int  # line index of the opening fence
    last: int  # line index of the closing fence
    col: int
    attr_cols: dict[str, int] = field(default_factory=dict)
    locate: Locator = field(default=_nowhere, compare=False, repr=False)

    @property
    def where(self) -> Location:
        return self.locate(self.first, self.col)

    def attr_where(self, name: str) -> Location:
        return self.locate(self.first, self.attr_cols.get(name, self.col))


@dataclass(frozen=True)
class SyntaxProblem:
    """Something the parser could not read as the author meant it (reported by the loader)."""

    code: str
    line: int
    col: int
    message: str


@dataclass
class Document:
    text: str
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    views: list[View] = field(default_factory=list)  # data views only, in order
    problems: list[SyntaxProblem] = field(default_factory=list)
    locate: Locator = field(default=_nowhere, compare=False, repr=False)
