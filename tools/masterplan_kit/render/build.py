"""Run the renderers the user asked for, in dependency order."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..diagnostics import Location, Report
from ..model import Project


class BuildError(Exception):
    """A renderer could not finish; its previous output is left in place."""


def template_problem(exc: Exception, root: Path) -> Report:
    """A Jinja error as a located diagnostic (E501), with the path relative to the project."""
    report = Report()
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(name)
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    report.add("E501", Location(rel, getattr(exc, "lineno", None) or 1, 1), f"template error: {exc.message or exc}")
    return report


def build_outputs(project: Project, targets: list[str], out: Path, volumes: list[str] | None = None,
                  pdf_variant: str | None = None, pdf_html: bool = False) -> Iterator[Path]:
    """Data first (the site embeds it), then the books, then the site (it links to the books)."""
    if "data" in targets or "site" in targets:
        from .data import write_data

        yield write_data(project, out / "data")
    if "pdf" in targets:
        from .pdf import write_pdfs

        yield from write_pdfs(project, out / "pdf", volumes, pdf_variant, pdf_html)
    if "docx" in targets:
        from .docx import write_docx

        yield from write_docx(project, out / "docx", volumes)
    if "site" in targets:
        from .site import write_site

        downloads = {}
        for sub in ("pdf", "docx"):
            folder = out / sub
            if folder.is_dir():
                downloads.update({f.name: f for f in sorted(folder.glob(f"*.{sub}"))})
        yield write_site(project, out / "site", downloads, out / "data")
