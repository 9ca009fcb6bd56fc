"""Reading source files: size limit, UTF-8 only, and a map from value paths to positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Location

MAX_BYTES = 1024 * 1024  # a source file larger than 1 MiB is refused

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

Path_ = tuple  # a path into a loaded value: keys and list indices


class SourceError(Exception):
    """A file that cannot become data; carries its diagnostic code and position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


@dataclass
class Source:
    """One source file, with where each loaded value sits in it."""

    path: str  # relative to the project root, with forward slashes
    text: str = ""
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    block_scalars: dict[Path_, int] = field(default_factory=dict)  # path -> first content line
    line_offset: int = 0  # for Markdown front matter: lines before the YAML starts
    located: bool = False  # positions recorded? (they are, lazily, on the first ``where``)
    locate: object = None  # the parser's callback that records them

    def _ensure_located(self) -> None:
        if not self.located and self.locate is not None:
            self.locate(self)

    def where(self, path: Path_ = (), key: bool = False) -> Location:
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

    def text_position(self, path: Path_, value: str, offset: int) -> Location:
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


def read_text(root: Path, file: Path) -> tuple[str, str]:
    """Return (relative path, text) or raise SourceError for size, BOM or encoding problems."""
    rel = file.relative_to(root).as_posix()
    try:
        if file.is_symlink() and not file.resolve().is_relative_to(root.resolve()):
            raise SourceError("E011", "file is a link to a place outside the project; only project files are read")
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise SourceError("E003", f"file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes")
        data = file.read_bytes()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        reason = getattr(exc, "strerror", None) or str(exc).split(":")[0]
        raise SourceError("E011", f"cannot read file: {reason}") from None
    if data.startswith(_BOMS):
        raise SourceError("E002", "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head) - (head.rfind(b"\n") + 1) + 1
        raise SourceError(
            "E001", f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8", line, col
        ) from None
    return rel, text
