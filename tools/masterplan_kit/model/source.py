"""Where each value of the model came from: a source file and the positions of its values.

The loader fills it; the model keeps it so that every check and every error can point back into
the file (``programme.where("kpis", 0, "targets")``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import Location

ValuePath = tuple  # a path into a loaded value: keys and list indices


@dataclass
class Source:
    """One source file, with where each loaded value sits in it."""

    path: str  # relative to the project root, with forward slashes
    text: str = ""
    positions: dict[ValuePath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[ValuePath, tuple[int, int]] = field(default_factory=dict)
    block_scalars: dict[ValuePath, int] = field(default_factory=dict)  # path -> first content line
    line_offset: int = 0  # for Markdown front matter: lines before the YAML starts
    located: bool = False  # positions recorded? (they are, lazily, on the first ``where``)
    locate: Callable[[Source], None] | None = None  # the parser's callback that records them

    def _ensure_located(self) -> None:
        if not self.located and self.locate is not None:
            self.locate(self)

    def where(self, path: ValuePath = (), key: bool = False) -> Location:
        """The position of the value (or its key) at ``path``; the nearest enclosing one if absent."""
        self._ensure_located()
        path = tuple(path)
        if key and path in self.key_positions:
            line, col = self.key_positions[path]
            return Location(self.path, line + self.line_offset, col)
        while True:
            if path in self.positions:
                line, col = self.positions[path]
                return Location(self.path, line + self.line_offset, col)
            if not path:
                return Location(self.path, 1 + self.line_offset, 1)
            path = path[:-1]

    def text_position(self, path: ValuePath, value: str, offset: int) -> Location:
        """Position of character ``offset`` of ``value``, the string loaded from ``path``."""
        path = tuple(path)
        value_loc = self.where(path)  # also records positions
        if path not in self.block_scalars:
            return value_loc
        first = self.block_scalars[path]
        lines = self.text.splitlines()
        before = value[:offset]
        row = before.count("\n")
        col_in_line = len(before) - (before.rfind("\n") + 1)
        src_line = first + row
        indent = 0
        if 0 < src_line <= len(lines):
            raw = lines[src_line - 1]
            indent = len(raw) - len(raw.lstrip(" "))
        return Location(self.path, src_line + self.line_offset, indent + col_in_line + 1)


