"""Templates: where they are found, and the one Jinja environment factory every output uses.

A project's own ``templates/`` overrides the toolkit's default templates file by file. The
defaults ship inside the package (``masterplan_kit/templates`` in a wheel; the repository's
top-level ``templates/`` folder is their source). Templates are markup only; source content is
passed in as data and is never evaluated as a template.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from markupsafe import Markup


def _toolkit_templates() -> Path:
    packaged = Path(__file__).resolve().parent / "templates"  # an installed wheel
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"  # the source tree


TOOLKIT_TEMPLATES = _toolkit_templates()


def template_dirs(root: Path, kind: str = "") -> list[Path]:
    """The folders a template name is looked up in, the project's first."""
    own = root / "templates" / kind if kind else root / "templates"
    default = TOOLKIT_TEMPLATES / kind if kind else TOOLKIT_TEMPLATES
    return [own] if own.resolve() == default.resolve() else [own, default]


def find_template_file(root: Path, name: str) -> Path | None:
    """A file under templates/ (a stylesheet, a font, the DOCX reference), the project's own first."""
    for base in template_dirs(root):
        if (base / name).is_file():
            return base / name
    return None


def yaml_str(value: object) -> Markup:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML), safe from autoescaping."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def environment(root: Path, kind: str = "", *, autoescape: bool = True, cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for ``templates/<kind>/`` (all of ``templates/`` when kind is empty),
    with the same filters and tests everywhere. ``autoescape`` applies to every template (HTML);
    the scaffolds of YAML and Markdown sources turn it off. Compiled templates are kept in
    ``cache`` for the next run when one is given. Jinja folds a filter of constants
    (``{{ 100 | percent }}``) into the compiled template, so ``cache`` must be a folder of this
    version of the toolkit's code (``render.cache.template_cache``)."""
    from .render import fmt

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(root, kind)]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    env.filters.update(fmt.FILTERS)
    env.filters["yaml_str"] = yaml_str
    env.tests["contains"] = lambda seq, item: item in seq
    return env
