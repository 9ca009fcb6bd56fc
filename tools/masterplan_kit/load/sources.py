"""Reading source files: only regular files of the project, a size limit, UTF-8 only."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from ..model.source import Source

__all__ = ["MAX_BYTES", "Source", "SourceError", "inside", "read_text"]

MAX_BYTES = 1024 * 1024  # a source file larger than 1 MiB is refused

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class SourceError(Exception):
    """A file that cannot become data; carries its diagnostic code and position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, links followed, lies inside the project ``root`` (an absolute, resolved path)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return True  # not outside: reading it reports why it cannot be read


@functools.lru_cache(maxsize=4096)
def _folder_inside(root: Path, folder: Path, _run: int) -> bool:
    return inside(root, folder)


@functools.lru_cache(maxsize=64)
def _resolved(root: Path, _run: int) -> Path:
    return root.resolve()


_RUN = [0]


def new_run() -> None:
    """Forget which folders lie inside the project (a long-running preview sees folders change)."""
    _RUN[0] += 1


def read_text(root: Path, file: Path) -> tuple[str, str]:
    """Return (relative path, text) or raise SourceError for size, BOM or encoding problems.

    Only a regular file inside the project is read: a link (or a linked folder) leading outside
    is refused, and so is a FIFO, a device or a socket, which could block the read for ever.
    """
    rel = file.relative_to(root).as_posix()
    root = _resolved(root, _RUN[0])
    if not (_folder_inside(root, file.parent, _RUN[0]) and (not file.is_symlink() or inside(root, file))):
        raise SourceError("E011", "file lies outside the project (a link, or inside a linked folder, to another "
                                  "place); only the project's own files are read")
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SourceError("E011", "not a regular file (a FIFO, device or socket); only regular files are read")
            if info.st_size > MAX_BYTES:
                raise SourceError("E003", f"file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise SourceError("E003", f"file is larger than {MAX_BYTES:,} bytes, the limit")
    except OSError as exc:
        raise SourceError("E011", f"cannot read file: {exc.strerror or exc}") from None
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
