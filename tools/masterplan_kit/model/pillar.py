"""pillars/<pillar-id>/pillar.yml: a pillar (dimension) and its elements."""

from __future__ import annotations

from pydantic import Field

from .base import Slug, Sourced, Strict, Text


class Element(Strict):
    id: Slug
    name: Text
    description: str | None = None


class Pillar(Sourced):
    name: Text
    order: int = Field(ge=0, le=10_000)
    aliases: list[str] = Field(default_factory=list)
    short: str | None = Field(None, description="Short Indonesian description, e.g. 'tata kelola pemerintahan'")
    definition: Text
    elements: list[Element] = Field(min_length=1)

    _id: str = ""
    _narrative: object = None  # the Chapter of pillars/<id>/index.md, if any

    @property
    def id(self) -> str:
        return self._private()["_id"]

    @property
    def narrative(self):
        return self._private()["_narrative"]

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)
