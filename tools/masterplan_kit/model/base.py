"""Shared pieces of the source models: strict validation and source positions."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from ..errors import Location
from .source import Source

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="Lowercase slug: a-z, 0-9 and single hyphens")]
Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]

# Bounds of the numbers a source may hold: beyond them a value is a typing mistake, and past 2^53
# (about 9 * 10^15) JSON readers such as JavaScript lose digits of an integer.
MAX_AMOUNT = 10**14  # rupiah in one budget line: Rp 100 triliun, more than any city's whole yearly budget
MAX_VALUE = 10**15  # a KPI value, either sign
Value = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_VALUE, le=MAX_VALUE)]

# ids that would name a page the site generates itself (e.g. opd/index.html, the list of OPD)
RESERVED_IDS = frozenset({"index"})


def is_slug(value: str) -> bool:
    """Whether ``value`` is a slug, all of it (a trailing line end is not part of a slug)."""
    return SLUG_RE.fullmatch(value) is not None


class Strict(BaseModel):
    """Strict validation: no unknown fields, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Sourced(Strict):
    """A model read from its own source file (or list entry); ``where()`` points back into it.

    Nested values are located through their root: ``programme.where("kpis", 0, "targets")``.
    """

    _src: Source | None = PrivateAttr(default=None)
    _base: tuple = PrivateAttr(default=())

    def _private(self) -> dict[str, Any]:
        """The private attributes, read without pydantic's attribute lookup (it is on hot paths)."""
        return self.__pydantic_private__  # type: ignore[return-value]

    def where(self, *path: Any, key: bool = False) -> Location:
        private = self._private()
        src = private["_src"]
        if src is None:
            return Location("<memory>")
        return src.where(private["_base"] + path, key=key)

    @property
    def origin(self) -> Source | None:
        return self._private()["_src"]

    @property
    def base(self) -> tuple:
        return self._private()["_base"]

    def attach(self, src: Source, base: tuple = ()) -> None:
        self._src, self._base = src, base
