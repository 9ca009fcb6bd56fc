"""masterplan/chapters/<id>.md: a narrative chapter, and what its Markdown refers to."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from ..errors import Location
from .base import Sourced, Text


class ChapterMeta(Sourced):
    """The chapter's YAML front matter."""

    title: Text
    front: bool = Field(False, description="Front matter (roman page numbers), e.g. Kata Pengantar")
    subtitle: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Link:
    """An id link such as ``[teks](programme:e-kelurahan)``."""

    scheme: str  # programme | pillar | chapter | opd
    target: str
    fragment: str
    where: Location


@dataclass(frozen=True)
class Image:
    url: str
    where: Location


@dataclass(frozen=True)
class View:
    """A data view: a fenced div such as ``::: {.programmes pillar=governance}``."""

    kind: str
    attrs: dict[str, str]
    where: Location
    attr_where: dict[str, Location] = field(default_factory=dict)


@dataclass
class Chapter:
    id: str
    path: str
    meta: ChapterMeta | None
    body: str
    body_line: int  # line number of the body's first line in the file
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    views: list[View] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta.title if self.meta else self.id

    @property
    def front(self) -> bool:
        return bool(self.meta and self.meta.front)
