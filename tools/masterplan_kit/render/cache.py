"""Skip outputs whose inputs have not changed since they were last built.

The fingerprint covers the sources (masterplan/, pillars/, templates/, mkdocs.yml), the toolkit's
own code and templates, the versions of the tools that render, and the build options. A stamp in
build/.cache/stamps/ records the fingerprint of the last successful build of each output.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..templating import TOOLKIT_TEMPLATES

PACKAGE = Path(__file__).resolve().parents[1]
_TOOLS = ("mkdocs", "mkdocs-material", "weasyprint", "pikepdf", "pypandoc-binary", "jinja2", "nh3", "pydantic")


@lru_cache(maxsize=None)
def package_version(name: str) -> str:
    """The installed version of a package ("-" when it is missing); read once per process, as
    reading package metadata costs about a millisecond."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for top in (root / "masterplan", root / "pillars", root / "templates", TOOLKIT_TEMPLATES, PACKAGE):
        if top.is_dir():
            found += [f for f in top.rglob("*") if f.is_file() and "__pycache__" not in f.parts]
    if (root / "mkdocs.yml").is_file():
        found.append(root / "mkdocs.yml")
    return sorted(set(found))


def fingerprint(root: Path, *extra: str) -> str:
    h = hashlib.sha256()
    for name in _TOOLS:
        h.update(f"{name}={package_version(name)}\n".encode())
    for f in _files(root):
        h.update(str(f).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    for item in extra:
        h.update(b"\1" + item.encode())
    return h.hexdigest()


def files_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


class Stamps:
    def __init__(self, out: Path) -> None:
        self.path = out / ".cache" / "stamps.json"
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def fresh(self, name: str, digest: str, outputs: list[Path]) -> bool:
        return self.data.get(name) == digest and all(p.exists() for p in outputs)

    def record(self, name: str, digest: str) -> None:
        from .write import write_text

        self.data[name] = digest
        write_text(self.path, json.dumps(self.data, indent=1, sort_keys=True))
