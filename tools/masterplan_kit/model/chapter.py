"""masterplan/chapters/<id>.md: a narrative chapter (and pillars/<id>/index.md, a pillar's narrative)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from .base import Sourced, Text
from .document import Document


class ChapterMeta(Sourced):
    """The chapter's YAML front matter."""

    title: Text
    front: bool = Field(False, description="Front matter (roman page numbers), e.g. Kata Pengantar")
    subtitle: str | None = None
    summary: str | None = None


@dataclass
class Chapter:
    """A chapter (or a pillar's narrative): its front matter and its Markdown body."""

    id: str
    path: str
    meta: ChapterMeta | None
    doc: Document

    @property
    def title(self) -> str:
        return self.meta.title if self.meta else self.id

    @property
    def front(self) -> bool:
        return bool(self.meta and self.meta.front)
