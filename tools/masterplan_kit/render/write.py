"""Writing outputs atomically: a failed build leaves the previous outputs intact.

An output folder is the tool's own: a build writes into a folder only when it is new, empty or
marked by an earlier build (the file ``.masterplan-build``), so that ``--out`` pointed at a folder
holding other files never replaces its ``data/`` or ``site/``. What an interrupted build left
beside a folder it was replacing (``.site.new.*``, ``.data.old``) is removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from ..errors import BuildError

MARKER = ".masterplan-build"
_MARKER_TEXT = ("This folder holds outputs written by `masterplan build`; the tool replaces what is in it.\n"
                "Keep nothing of your own here.\n")


class OutputFolderError(BuildError):
    """The output folder is not the tool's to write into."""


def claim_output_folder(out: Path) -> None:
    """Make sure ``out`` is a folder the tool may write into, and mark it as the tool's.

    Accepted: a folder that does not exist yet, an empty one, one with the marker, and one an
    earlier version of the tool built into (it holds ``.cache/stamps.json``). Anything else is
    refused, since a build replaces ``site/``, ``data/``, ``pdf/`` and ``docx/`` in it whole.
    """
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"{out} is a file, not a folder: choose another output folder with --out")
    if out.is_dir() and not (out / MARKER).is_file():
        entries = sorted(e.name for e in out.iterdir())
        if entries and not (out / ".cache" / "stamps.json").is_file():
            shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
            raise OutputFolderError(f"{out} is not empty ({shown}) and was not made by masterplan build; a build "
                                    "replaces its site/, data/, pdf/ and docx/ whole: choose a new or empty folder")
    if not (out / MARKER).is_file():
        write_text(out / MARKER, _MARKER_TEXT)


def _clear_leftovers(target: Path) -> None:
    """What an interrupted build left beside ``target``: half-built copies and the replaced one."""
    parent = target.parent
    if not parent.is_dir():
        return
    for stale in [*parent.glob(f".{target.name}.new.*"), parent / f".{target.name}.old"]:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        elif stale.exists() or stale.is_symlink():
            stale.unlink(missing_ok=True)


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
        _clear_leftovers(self.target)
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
