"""Writing outputs atomically: a failed build leaves the previous outputs intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Literal


def write_bytes(target: Path, data: bytes) -> None:
    """Write a file through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


class StagedDir:
    """Build a directory beside its target, then swap it in whole.

    ``with StagedDir(build/"site") as tmp: ...`` — on success ``tmp`` replaces ``build/site``;
    on any error the old directory is untouched and ``tmp`` is removed.
    """

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.new.", dir=self.target.parent))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return False
        os.chmod(self.tmp, 0o755)
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return False
