"""Run the renderers the user asked for, in dependency order, skipping what is up to date."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .errors import BuildError, Location, Report
from .model import Project


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
                  pdf_variant: str | None = None, pdf_html: bool = False, force: bool = False,
                  skipped: list[Path] | None = None) -> Iterator[Path]:
    """Data first (the site embeds it), then the books, then the site (it links to the books).

    Yields every output written; outputs already up to date go to ``skipped`` instead.
    """
    from .render.cache import Stamps, files_digest, fingerprint
    from .render.pandoc import use_cache_folder

    use_cache_folder(out / ".cache" / "pandoc")
    stamps = Stamps(out)
    base = fingerprint(project.root, str(out.resolve()))
    chosen = [v.id for v in project.edition.volumes if not volumes or v.id in volumes]
    unknown = sorted(set(volumes or []) - set(chosen))
    if unknown:
        raise BuildError(f"unknown volume {', '.join(unknown)}; the volumes are "
                         + ", ".join(v.id for v in project.edition.volumes))

    def step(name: str, outputs: list[Path], digest: str, run) -> Iterator[Path]:
        if not force and stamps.fresh(name, digest, outputs):
            if skipped is not None:
                skipped.extend(outputs)
            return
        yield from run()
        stamps.record(name, digest)

    if "data" in targets or "site" in targets:
        from .render.data import write_data

        yield from step("data", [out / "data"], base, lambda: [write_data(project, out / "data")])
    if "pdf" in targets:
        from .render.pdf import write_pdfs

        for vid in chosen:
            outputs = [out / "pdf" / f"{vid}.pdf"] + ([out / "pdf" / f"{vid}.html"] if pdf_html else [])
            yield from step(f"pdf:{vid}", outputs, f"{base}:{pdf_variant}:{pdf_html}",
                            lambda vid=vid: write_pdfs(project, out / "pdf", [vid], pdf_variant, pdf_html))
    if "docx" in targets:
        from .render.docx import write_docx

        for vid in chosen:
            yield from step(f"docx:{vid}", [out / "docx" / f"{vid}.docx"], base,
                            lambda vid=vid: write_docx(project, out / "docx", [vid]))
    if "site" in targets:
        from .render.site import write_site

        downloads = {}
        for sub in ("pdf", "docx"):
            folder = out / sub
            if folder.is_dir():
                downloads.update({f.name: f for f in sorted(folder.glob(f"*.{sub}"))})
        digest = f"{base}:{files_digest(list(downloads.values()))}"
        yield from step("site", [out / "site"], digest,
                        lambda: [write_site(project, out / "site", downloads, out / "data")])
