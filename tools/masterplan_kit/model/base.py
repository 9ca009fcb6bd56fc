"""Shared pieces of the source models: strict validation and source positions."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..diagnostics import Location
from ..load.sources import Source

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="Lowercase slug: a-z, 0-9 and single hyphens")]
Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value))


class Sourced(BaseModel):
    """A model read from a source file; ``where()`` points back into that file."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    _src: Source | None = PrivateAttr(default=None)
    _base: tuple = PrivateAttr(default=())

    def where(self, *path: Any, key: bool = False) -> Location:
        if self._src is None:
            return Location("<memory>")
        return self._src.where(self._base + path, key=key)

    @property
    def origin(self) -> Source | None:
        return self._src

    @property
    def base(self) -> tuple:
        return self._base

    def attach(self, src: Source, base: tuple = ()) -> None:
        """Record the source of this model and of every nested model."""
        self._src, self._base = src, base
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Sourced):
                value.attach(src, base + (name,))
            elif isinstance(value, list) and value and isinstance(value[0], Sourced):
                for i, item in enumerate(value):
                    item.attach(src, base + (name, i))
