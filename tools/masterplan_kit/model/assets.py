"""Where an image a source names lives: one rule for the validator and every renderer.

A relative path is relative to the file that names it (a chapter, a pillar narrative, a programme
file); a path starting with ``/`` is relative to the project's root. Only files inside the project
are images: remote addresses, ``data:`` and ``file:`` URLs, and paths leading outside are refused
(E208), so no build ever fetches anything or reads a file the project does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote


@dataclass(frozen=True)
class ImageTarget:
    path: Path | None  # the file, when it is one of the project's
    problem: str = ""  # why it is not (for E208)


def resolve_image(root: Path, base: Path, url: str) -> ImageTarget:
    """The project file an image URL names, from a source file in folder ``base``."""
    shown = url if len(url) <= 80 else url[:77] + "…"
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if scheme or url.startswith("//"):
        return ImageTarget(None, f"image '{shown}' is not a file of the project; only the project's own "
                                 "files are shown (remote, data: and file: images are not)")
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    target = root / path.lstrip("/") if path.startswith("/") else base / path
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return ImageTarget(None, f"image '{shown}' cannot be read")
    if not resolved.is_relative_to(root.resolve()):
        return ImageTarget(None, f"image '{shown}' lies outside the project")
    if not resolved.is_file():
        return ImageTarget(None, f"image '{shown}' not found")
    return ImageTarget(resolved)
