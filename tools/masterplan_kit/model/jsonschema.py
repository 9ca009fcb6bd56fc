"""JSON Schemas (draft-07, as the VS Code YAML extension expects) generated from the models."""

from __future__ import annotations

import json
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
    """Write the schemas; return the files that changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render_all().items():
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            tmp = target.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
            changed.append(target)
    return changed


def stale(out_dir: Path) -> list[str]:
    """Names of schema files missing or different from what the models generate."""
    return [
        name for name, text in render_all().items()
        if not (out_dir / name).is_file() or (out_dir / name).read_text(encoding="utf-8") != text
    ]
