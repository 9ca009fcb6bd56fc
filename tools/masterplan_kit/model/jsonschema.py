"""JSON Schemas (draft-07, as the VS Code YAML extension expects) generated from the models."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from . import ChapterMeta, Edition, Opd, Pillar, Programme

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# file name -> (title, the type a file of that kind holds)
SOURCE_SCHEMAS: dict[str, tuple[str, Any]] = {
    "masterplan.schema.json": ("masterplan/masterplan.yml: the edition", Edition),
    "opd.schema.json": ("masterplan/opd.yml: the OPD registry", list[Opd]),
    "pillar.schema.json": ("pillars/<id>/pillar.yml: a pillar and its elements", Pillar),
    "programme.schema.json": ("pillars/<pillar>/programmes/<id>.yml: a programme", Programme),
    "chapter.schema.json": ("Front matter of masterplan/chapters/<id>.md", ChapterMeta),
}


def json_schema(kind: Any, title: str) -> dict:
    schema = TypeAdapter(kind).json_schema(ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    schema = _draft07(schema)
    schema["title"] = title
    return {"$schema": DRAFT_07, **schema}


def _draft07(node: Any) -> Any:
    """Rewrite the few 2020-12 constructs pydantic emits into their draft-07 spelling."""
    if isinstance(node, dict):
        out = {k: _draft07(v) for k, v in node.items()}
        if "$ref" in out and len(out) > 1:  # draft-07 ignores siblings of $ref
            ref = out.pop("$ref")
            out = {"allOf": [{"$ref": ref}], **out}
        return out
    if isinstance(node, list):
        return [_draft07(v) for v in node]
    return node


def render_all() -> dict[str, str]:
    return {
        name: json.dumps(json_schema(kind, title), indent=2, ensure_ascii=False) + "\n"
        for name, (title, kind) in SOURCE_SCHEMAS.items()
    }


def write_all(out_dir: Path) -> list[Path]:
    """Write the schemas; return the files that changed.

    Each is written into a new temporary file, then renamed over its name: a link planted at a
    schema's name (or at any other) is replaced, never written through, and a FIFO never read.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render_all().items():
        target = out_dir / name
        if _holds(target, text):
            continue
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder has the name of a schema file", str(target))
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        changed.append(target)
    return changed


def _holds(target: Path, text: str) -> bool:
    """Whether ``target`` is a regular file (not a link, FIFO or folder) holding ``text``."""
    try:
        if not stat.S_ISREG(target.lstat().st_mode):
            return False
        return target.read_text(encoding="utf-8") == text
    except OSError:
        return False


def stale(out_dir: Path) -> list[str]:
    """Names of schema files missing or different from what the models generate."""
    return [name for name, text in render_all().items() if not _holds(out_dir / name, text)]
