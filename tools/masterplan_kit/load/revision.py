"""A project read from a folder or from a git revision of its repository: the sides of
``masterplan diff`` and the previous edition a build compares with.

A revision is read straight from git's object store into a scratch folder (``git ls-tree`` and
``git cat-file --batch``), so the user's work tree, index and checked-out branch are never touched.
Only the project's sources (``masterplan/`` and ``pillars/``) are read.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .project import find_root
from .sources import MAX_BYTES

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
    if not spec.strip():
        raise SideError("an empty revision: name a git revision (HEAD~1, a tag, a branch) or a folder")
    folder = Path(spec)
    if folder.is_dir():
        root = find_root(folder)
        if root is None:
            raise SideError(f"folder '{spec}' holds no masterplan (no masterplan/masterplan.yml in it or above it)")
        shown = spec if root == folder.resolve() else str(root)
        return Side(spec, root, shown.rstrip("/") + "/")
    return open_revision(spec, path, scratch)


def open_revision(spec: str, path: Path, scratch: Path) -> Side:
    """Read the revision ``spec`` of the repository at ``path`` into the empty folder ``scratch``;
    only a revision, never a folder (the previous edition a build reads must lie in the project's
    own repository)."""
    if not spec.strip():
        raise SideError("an empty revision: name a git revision (HEAD~1, a tag, a branch)")
    if not path.is_dir():
        state = "is not a folder" if path.exists() else "does not exist"
        raise SideError(f"'{spec}' is not a folder, and the project folder '{path}' {state}")
    top = _git(path, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise SideError(f"'{spec}' is not a folder, and '{path}' is not in a git repository, "
                        "so it cannot be read as a revision")
    toplevel = Path(os.fsdecode(top.stdout.strip()))
    if spec.startswith("-"):
        raise SideError(f"unknown revision '{spec}'")
    resolved = _git(path, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if resolved.returncode != 0:
        kind = _git(path, "cat-file", "-t", "--", spec) if "\n" not in spec else None
        if kind is not None and kind.returncode == 0:
            raise SideError(f"revision '{spec}' names a {kind.stdout.decode().strip()}, not a commit")
        raise SideError(f"unknown revision '{spec}': neither a folder nor a commit of the repository at '{toplevel}'")
    commit = resolved.stdout.decode().strip()
    project = find_root(path) or path.resolve()
    try:
        prefix = PurePosixPath(project.relative_to(toplevel).as_posix())
    except ValueError:
        raise SideError(f"the project folder '{path}' is outside the repository '{toplevel}'") from None
    entries = _tree(toplevel, commit, [str(prefix / d) if str(prefix) != "." else d for d in SOURCE_DIRS])
    inside = "" if str(prefix) == "." else f"{prefix}/"
    if not any(e.name == f"{inside}masterplan/masterplan.yml" for e in entries):
        where = f"'{inside}masterplan/masterplan.yml'"
        raise SideError(f"revision '{spec}' has no masterplan: {where} is not in it")
    _write_tree(toplevel, entries, scratch, spec)
    return Side(spec, scratch / inside if inside else scratch, f"{spec}:{inside}", commit)


@dataclass(frozen=True)
class _Entry:
    mode: str
    oid: str
    size: int
    name: str


def _tree(repo: Path, commit: str, pathspecs: list[str]) -> list[_Entry]:
    """Every file under the pathspecs at a commit, with its size."""
    listed = _git(repo, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *pathspecs)
    if listed.returncode != 0:
        raise SideError(f"cannot list the files of {commit}: {listed.stderr.decode(errors='replace').strip()}")
    entries = []
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        if kind == "blob":  # submodules ("commit") hold no project sources
            entries.append(_Entry(mode, oid, int(size), os.fsdecode(name)))
    return entries


def _write_tree(repo: Path, entries: list[_Entry], dest: Path, spec: str) -> None:
    """Write the blobs into ``dest`` by their paths, streamed from one ``git cat-file --batch`` call.

    Nothing is written through a link: every folder on a file's way is created here as a real
    folder, and a file is created only where nothing is yet, so a tree that holds a link and a
    folder of the same name (or of names a case-insensitive disk takes for one) is refused rather
    than having its files written where the link leads. A blob larger than the loader reads is not
    read at all: an empty file of its size stands in for it, for the loader to report.
    """
    wanted = [e for e in entries if e.size <= MAX_BYTES]
    for e in entries:
        if e.size > MAX_BYTES:
            fd = _create(dest, e.name, spec)
            try:
                os.ftruncate(fd, e.size)
            finally:
                os.close(fd)
    if not wanted:
        return
    with tempfile.TemporaryFile() as ids:
        ids.write("".join(f"{e.oid}\n" for e in wanted).encode())
        ids.seek(0)
        try:
            proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=ids,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            raise SideError("git is not installed; only folders can be compared") from None
        assert proc.stdout is not None
        with proc:
            try:
                for e in wanted:
                    header = proc.stdout.readline().split()
                    if len(header) != 3 or header[0].decode() != e.oid or int(header[2]) != e.size:
                        raise SideError(f"cannot read '{e.name}' from the repository")
                    content = proc.stdout.read(e.size)
                    proc.stdout.read(1)  # the newline after each object
                    if e.mode == "120000":  # a symbolic link: the loader refuses one that leads outside the project
                        _link(dest, e.name, os.fsdecode(content), spec)
                    else:
                        with os.fdopen(_create(dest, e.name, spec), "wb") as fh:
                            fh.write(content)
            finally:
                proc.stdout.close()
                proc.kill()


def _folder(dest: Path, name: str, spec: str) -> Path:
    """The real folder ``name`` goes into, created under ``dest`` as needed; never through a link."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise SideError(f"revision '{spec}' holds a file named '{name}', which cannot be read safely")
    here = dest
    for part in parts[:-1]:
        here = here / part
        try:
            os.mkdir(here)
        except FileExistsError:
            if here.is_symlink() or not here.is_dir():
                raise SideError(f"revision '{spec}' holds '{name}' inside a link or a file of the same name; "
                                "it cannot be read safely") from None
    return here


def _create(dest: Path, name: str, spec: str) -> int:
    target = _folder(dest, name, spec) / PurePosixPath(name).name
    try:
        return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise SideError(f"revision '{spec}' holds '{name}' twice (or two names a case-insensitive disk takes "
                        "for one); it cannot be read safely") from None


def _link(dest: Path, name: str, to: str, spec: str) -> None:
    target = _folder(dest, name, spec) / PurePosixPath(name).name
    try:
        os.symlink(to, target)
    except FileExistsError:
        raise SideError(f"revision '{spec}' holds '{name}' twice (or two names a case-insensitive disk takes "
                        "for one); it cannot be read safely") from None
