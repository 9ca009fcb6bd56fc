"""What every cache of a build keys on, so that none can go stale.

Three caches make rebuilds fast: the stamps that skip outputs whose inputs have not changed
(``build/.cache/stamps.json``), the pandoc conversions (``build/.cache/pandoc/``) and the rendered
PDF units (``build/.cache/pdf-units/``). Each keys on everything that shapes what it keeps:

- ``code_digest()``: the toolkit's own code and default templates, and the versions of the tools
  that render (a new release of either changes outputs);
- ``fingerprint()``: for the stamps, every file a build reads — the sources, the project's
  templates, ``mkdocs.yml`` and the files it names (hooks, a theme's ``custom_dir``, an ``INHERIT``
  chain) — and the date the outputs are stamped with (``SOURCE_DATE_EPOCH`` or the last commit);
- the PDF units record the files WeasyPrint fetched while rendering them (images, fonts,
  stylesheets' imports) with their digests, and a unit is reused only while they are unchanged.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

import yaml

from ..templating import TOOLKIT_TEMPLATES
from .dates import source_epoch

PACKAGE = Path(__file__).resolve().parents[1]
_TOOLS = ("mkdocs", "mkdocs-material", "weasyprint", "pikepdf", "pypandoc-binary", "jinja2", "nh3", "pydantic",
          "babel")
_SOURCE_TOPS = ("masterplan", "pillars", "templates")


@cache
def package_version(name: str) -> str:
    """The installed version of a package ("-" when it is missing); read once per process, as
    reading package metadata costs about a millisecond."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, remembered while its size and modification time stay the same
    ("-" for a file that cannot be read: a change from there is a change)."""
    try:
        st = path.stat()
    except OSError:
        return "-"
    key = (str(path), st.st_mtime_ns, st.st_size)
    found = _DIGESTS.get(key)
    if found is None:
        try:
            found = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            found = "-"
        _DIGESTS[key] = found
    return found


def _tree(top: Path) -> list[Path]:
    if top.is_file():
        return [top]
    if not top.is_dir():
        return []
    return [f for f in top.rglob("*") if f.is_file() and "__pycache__" not in f.parts]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The toolkit itself: its code, its default templates and the tools it renders with."""
    h = hashlib.sha256()
    for name in _TOOLS:
        h.update(f"{name}={package_version(name)}\n".encode())
    for top in (PACKAGE, TOOLKIT_TEMPLATES):
        for f in sorted(_tree(top)):
            h.update(f.relative_to(top).as_posix().encode() + b"\0" + file_digest(f).encode())
    return h.hexdigest()


def template_cache(base: Path) -> Path:
    """The folder of compiled templates for this version of the toolkit: a compiled template holds
    the results of filters of constants, computed by the code that compiled it."""
    return base / code_digest()[:16]


def mkdocs_inputs(root: Path) -> list[Path]:
    """mkdocs.yml and the files it names that a site build reads: hooks, the theme's custom_dir
    and the files of an INHERIT chain."""
    found: list[Path] = []
    config = root / "mkdocs.yml"
    seen: set[Path] = set()
    while config.is_file() and config not in seen:
        seen.add(config)
        found.append(config)
        try:
            data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTags) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            break
        if not isinstance(data, dict):
            break
        base = config.parent
        for hook in data.get("hooks") or []:
            if isinstance(hook, str):
                found += _tree(base / hook)
        theme = data.get("theme")
        if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
            found += _tree(base / theme["custom_dir"])
        parent = data.get("INHERIT")
        config = base / parent if isinstance(parent, str) else Path()
    return found


class _AnyTags(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags (!ENV, !!python/name): read them as nothing."""


_AnyTags.add_multi_constructor("", lambda loader, suffix, node: None)


def fingerprint(root: Path, *extra: str) -> str:
    """Everything a build of ``root`` reads, and the date its outputs carry."""
    h = hashlib.sha256(code_digest().encode())
    h.update(f"date={source_epoch(root)}\n".encode())
    files: list[Path] = []
    for top in _SOURCE_TOPS:
        files += _tree(root / top)
    files += mkdocs_inputs(root)
    for f in sorted(set(files)):
        h.update(str(f).encode() + b"\0" + file_digest(f).encode())
    for item in extra:
        h.update(b"\1" + item.encode())
    return h.hexdigest()


def files_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        for f in sorted(_tree(p)):
            h.update(str(f).encode() + b"\0" + file_digest(f).encode())
    return h.hexdigest()


def output_digest(spec, options, base: str) -> str:
    """The fingerprint of one output: the build's, its own options, and the outputs it reads."""
    from .outputs import OUTPUTS

    parts = [base, spec.name] + [f"{name}={getattr(options, name)}" for name in spec.options]
    read = [options.out / OUTPUTS[name].folder for name in spec.needs + spec.reads]
    parts.append(files_digest([p for p in read if p.exists()]))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Stamps:
    """The fingerprint of each output's last successful build (build/.cache/stamps.json)."""

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
