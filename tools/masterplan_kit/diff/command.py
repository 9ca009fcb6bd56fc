"""The ``masterplan diff OLD NEW`` command: read both sides, load and check them, compare, print.

Exit status: 0 compared, 1 a side has errors (its diagnostics are printed, paths prefixed by the
side), 2 a side cannot be read (an unknown revision, a missing folder, not a git repository).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    old: Annotated[str, typer.Argument(
        metavar="OLD", help="The older edition: a git revision (HEAD~1, a tag, a branch) or a folder.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The newer edition: a git revision or a folder.")],
    path: Annotated[Path, typer.Option(
        "--path", help="The project folder in the repository (for revisions).")] = Path("."),
    format: Annotated[DiffFormat, typer.Option(
        "--format", help="text, markdown (a release note) or json.")] = DiffFormat.text,
) -> None:
    """Show what changed between two editions: programmes, budgets, KPIs, chapters, volumes."""
    from ..errors import _one_line
    from ..load.revision import SideError, open_side
    from ..model.compare import compare
    from ..pipeline import load_and_check
    from .report import names, render, to_json

    with tempfile.TemporaryDirectory(prefix="masterplan-diff-") as scratch:
        sides = []
        for n, spec in enumerate((old, new)):
            folder = Path(scratch) / f"side-{n}"
            folder.mkdir()
            try:
                sides.append(open_side(spec, path, folder))
            except SideError as exc:
                typer.echo(_one_line(f"error: {exc}"), err=True)
                raise typer.Exit(2) from None
        loaded, failed = [], False
        for side in sides:
            project, report = load_and_check(side.root)
            for d in report.errors():
                failed = True
                sys.stdout.write(dataclasses.replace(d, path=side.shown + d.path).format() + "\n")
            loaded.append(project)
        if failed:
            typer.echo("diff stopped: fix the errors above", err=True)
            raise typer.Exit(1)
        changes = compare(loaded[0], loaded[1], sides[0].label, sides[1].label, sides[0].revision, sides[1].revision)
        if format is DiffFormat.json:
            sys.stdout.write(to_json(changes))
        else:
            sys.stdout.write(render(changes, format.value, names(loaded[0], loaded[1]), _template_root(path)))


def _template_root(path: Path) -> Path:
    """The project whose templates/diff/ may override the defaults: the one at --path, if any."""
    from ..load.project import find_root

    return (find_root(path) if path.is_dir() else None) or path
