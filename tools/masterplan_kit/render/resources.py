"""Which file a build reads for a requested path, and whether the files a rendering was made from
still hold the same bytes. Apart from the URL fetcher (render/fetch.py), which needs WeasyPrint:
the caches check their entries without loading it."""

from __future__ import annotations

from pathlib import Path

from ..templating import TOOLKIT_TEMPLATES


def resolve_resource(path: Path, project: Path) -> Path:
    """The file a build reads for ``path``: a template file the project overrides is the project's."""
    toolkit, own = TOOLKIT_TEMPLATES.resolve(), (project / "templates").resolve()
    for base, other in ((toolkit, own), (own, toolkit)):
        if path.is_relative_to(base) and base != other:
            rel = path.relative_to(base)
            mine, theirs = own / rel, toolkit / rel
            return mine if mine.is_file() else theirs if theirs.is_file() else path
    return path


def read_digests(read: dict[str, str], project: Path) -> bool:
    """Whether the files recorded by a fetcher (requested path -> digest) still hold those bytes."""
    from .cache import file_digest

    return all(file_digest(resolve_resource(Path(p), project)) == digest for p, digest in read.items())
