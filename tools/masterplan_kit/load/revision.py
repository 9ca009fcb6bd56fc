"""A project read from a folder or from a git revision of its repository: the sides of
``masterplan diff`` and the previous edition a build compares with.

A revision is read straight from git's object store into a scratch folder (``git ls-tree`` and
``git cat-file --batch``), so the user's work tree, index and checked-out branch are never touched.
Only the project's sources (``masterplan/`` and ``pillars/``) are read.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .project import find_root

SOURCE_DIRS = ("masterplan", "pillars")


class SideError(Exception):
    """A side that cannot be read at all: a usage error, reported in one line (exit status 2)."""


@dataclass(frozen=True)
class Side:
    label: str  # as given on the command line
    root: Path  # the project's folder on disk (a scratch copy for a revision)
    shown: str  # what a diagnostic's path is prefixed with: "HEAD~1:" or "old/"
    revision: str | None = None  # the commit a revision resolved to


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise SideError("git is not installed; only folders can be compared") from None


def open_side(spec: str, path: Path, scratch: Path) -> Side:
    """Read one side: ``spec`` names a folder (when one exists) or else a revision of the repository at ``path``.

    ``scratch`` is an empty folder this side may write into.
    """
    folder = Path(spec)
    if folder.is_dir():
        root = find_root(folder)
        if root is None:
            raise SideError(f"folder '{spec}' holds no masterplan (no masterplan/masterplan.yml in it or above it)")
        shown = spec if root == folder.resolve() else str(root)
        return Side(spec, root, shown.rstrip("/") + "/")
    return _revision(spec, path, scratch)


def _revision(spec: str, path: Path, scratch: Path) -> Side:
    if not path.is_dir():
        raise SideError(f"'{spec}' is not a folder, and the project folder '{path}' does not exist")
    top = _git(path, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SideError(f"'{spec}' is not a folder, and '{path}' is not in a git repository, "
                        "so it cannot be read as a revision")
    toplevel = Path(os.fsdecode(top.stdout.strip()))
    if spec.startswith("-") or not spec:
        raise SideError(f"unknown revision '{spec}'")
    resolved = _git(path, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if resolved.returncode != 0:
        raise SideError(f"unknown revision '{spec}': neither a folder nor a commit of the repository at '{toplevel}'")
    commit = resolved.stdout.decode().strip()
    project = find_root(path) or path.resolve()
    try:
        prefix = PurePosixPath(project.relative_to(toplevel).as_posix())
    except ValueError:
        raise SideError(f"the project folder '{path}' is outside the repository '{toplevel}'") from None
    entries = _tree(toplevel, commit, [str(prefix / d) if str(prefix) != "." else d for d in SOURCE_DIRS])
    inside = "" if str(prefix) == "." else f"{prefix}/"
    if not any(name == f"{inside}masterplan/masterplan.yml" for _, _, name in entries):
        where = f"'{inside}masterplan/masterplan.yml'"
        raise SideError(f"revision '{spec}' has no masterplan: {where} is not in it")
    _write_tree(toplevel, entries, scratch)
    return Side(spec, scratch / inside if inside else scratch, f"{spec}:{inside}", commit)


def _tree(repo: Path, commit: str, pathspecs: list[str]) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every file under the pathspecs at a commit."""
    listed = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs)
    if listed.returncode != 0:
        raise SideError(f"cannot list the files of {commit}: {listed.stderr.decode(errors='replace').strip()}")
    entries = []
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        if kind == "blob":  # submodules ("commit") hold no project sources
            entries.append((mode, oid, os.fsdecode(name)))
    return entries


def _write_tree(repo: Path, entries: list[tuple[str, str, str]], dest: Path) -> None:
    """Write the blobs into ``dest`` by their paths, in one ``git cat-file --batch`` call."""
    if not entries:
        return
    batch = _git(repo, "cat-file", "--batch", data="".join(f"{oid}\n" for _, oid, _ in entries).encode())
    if batch.returncode != 0:
        raise SideError(f"cannot read from the repository: {batch.stderr.decode(errors='replace').strip()}")
    out, pos = batch.stdout, 0
    for mode, oid, name in entries:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) != 3 or header[0].decode() != oid:
            raise SideError(f"cannot read '{name}' from the repository")
        size = int(header[2])
        content = out[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":  # a symbolic link: the loader refuses one that leads outside the project
            os.symlink(os.fsdecode(content), target)
        else:
            target.write_bytes(content)
