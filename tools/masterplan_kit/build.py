"""Run the renderers the user asked for, in dependency order, skipping what is up to date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import BuildError, Location, Report
from .model import Project
from .previous import changes_since_previous, revision_of
from .render.outputs import BuildOptions, OutputSpec, build_order


def template_problem(exc: Exception, root: Path) -> Report:
    """A Jinja error as a located diagnostic (E501), with the path relative to the project."""
    report = Report()
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(name)
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    message = getattr(exc, "message", None) or exc
    report.add("E501", Location(rel, getattr(exc, "lineno", None) or 1, 1), f"template error: {message}")
    return report


def build_outputs(project: Project, targets: list[str], out: Path, volumes: list[str] | None = None,
                  pdf_variant: str | None = None, pdf_html: bool = False, force: bool = False,
                  skipped: list[Path] | None = None) -> Iterator[Path]:
    """Build ``targets`` (and what they need) in order: each output after those it reads.

    Yields every output written; outputs already up to date go to ``skipped`` instead.
    """
    from .render.cache import Stamps, fingerprint, output_digest
    from .render.pandoc import use_cache_folder
    from .render.write import claim_output_folder

    known = [v.id for v in project.edition.volumes]
    unknown = sorted(set(volumes or []) - set(known))
    if unknown:
        raise BuildError(f"unknown volume {', '.join(unknown)}; the volumes are {', '.join(known)}")
    options = BuildOptions(out, [v for v in known if not volumes or v in volumes], pdf_variant, pdf_html)
    claim_output_folder(out)
    use_cache_folder(out / ".cache" / "pandoc")
    stamps = Stamps(out)
    previous = revision_of(project)
    base = fingerprint(project.root, str(out.resolve()), f"previous={previous}")
    loaded_previous = False

    def step(name: str, files: list[Path], digest: str, run) -> Iterator[Path]:
        nonlocal loaded_previous
        if not force and stamps.fresh(name, digest, files):
            if skipped is not None:
                skipped.extend(files)
            return
        if not loaded_previous:  # only a build that renders anything reads the previous edition
            project.previous = changes_since_previous(project)
            loaded_previous = True
        yield from run()
        stamps.record(name, digest)

    for spec in build_order(targets):
        digest = output_digest(spec, options, base)
        if spec.per_volume:
            for vid in options.volumes:
                yield from step(f"{spec.name}:{vid}", spec.files(options, vid), digest,
                                lambda spec=spec, vid=vid: spec.write(project, options, vid))
        else:
            yield from step(spec.name, spec.files(options), digest, lambda spec=spec: spec.write(project, options))


__all__ = ["BuildError", "BuildOptions", "OutputSpec", "build_outputs", "template_problem"]
