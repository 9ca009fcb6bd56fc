"""Reading source files: only files of the project, a size limit, UTF-8 only."""

from __future__ import annotations

from pathlib import Path

from ..model.source import Source

__all__ = ["MAX_BYTES", "Source", "SourceError", "read_text"]

MAX_BYTES = 1024 * 1024  # a source file larger than 1 MiB is refused

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class SourceError(Exception):
    """A file that cannot become data; carries its diagnostic code and position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


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
