"""The previous edition a masterplan names (``previous: <git revision>`` in masterplan.yml), read
from the project's repository and compared with this one for the books' list of changes and the
site's "Perubahan" page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .errors import BuildError
from .load.revision import SideError, open_revision
from .model import Project
from .model.changes import Changes
from .model.compare import compare


def revision_of(project: Project) -> str | None:
    """The commit the ``previous`` revision names now (part of the outputs' fingerprint)."""
    spec = project.edition.previous
    if not spec or spec.startswith("-"):
        return None
    from .load.revision import _git

    try:
        resolved = _git(project.root, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except SideError:
        return None
    return resolved.stdout.decode().strip() if resolved.returncode == 0 else None


def changes_since_previous(project: Project) -> Changes | None:
    """What changed since the previous edition, None when masterplan.yml names none."""
    from .pipeline import load_and_check

    spec = project.edition.previous
    if not spec:
        return None
    where = project.edition.where("previous")
    with tempfile.TemporaryDirectory(prefix="masterplan-previous-") as scratch:
        try:
            side = open_revision(spec, project.root, Path(scratch))
        except SideError as exc:
            raise BuildError(f"{where.path}:{where.line}:{where.col}: previous: {exc}") from None
        old, report = load_and_check(side.root)
        if report.errors():
            first = report.errors()[0]
            raise BuildError(f"{where.path}:{where.line}:{where.col}: previous: the edition at '{spec}' does not "
                             f"validate ({side.shown}{first.path}:{first.line}: {first.message})")
        edition = project.edition
        return compare(old, project, spec, edition.version or "edisi ini", side.revision, None)
