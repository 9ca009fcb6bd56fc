"""Jinja environments: a project's own templates/ first, then the toolkit's defaults.

Templates are markup only; source content is passed in as data and never evaluated as a
template.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TOOLKIT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def template_env(root: Path, kind: str = "", autoescape: bool = False) -> jinja2.Environment:
    """Templates of ``templates/<kind>/`` (or all of ``templates/`` when kind is empty)."""
    dirs = [root / "templates" / kind if kind else root / "templates"]
    default = TOOLKIT_TEMPLATES / kind if kind else TOOLKIT_TEMPLATES
    if default not in dirs:
        dirs.append(default)
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
