"""Render a comparison: text for the terminal, a Markdown release note, or JSON.

The markup lives in ``templates/diff/`` (a project's own ``templates/diff/`` comes first); this
module only supplies the data, names for ids, and the filters that format values.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from ..model import Project
from ..model.changes import Changes
from ..render import fmt
from ..templating import environment

WIDTH = 100  # columns of the text format
TEMPLATES = {"text": "text.txt.j2", "markdown": "release-notes.md.j2"}


def names(*projects: Project) -> dict[str, dict[str, str]]:
    """Display names of the ids a report mentions, from both editions (the newer name wins)."""
    out: dict[str, dict[str, str]] = {"pillar": {}, "opd": {}, "chapter": {}, "programme": {}, "volume": {}}
    for project in projects:
        out["pillar"].update({p.id: p.name for p in project.pillars})
        out["opd"].update({o.id: o.label for o in project.opds})
        out["chapter"].update({c.id: c.title for c in project.chapters.values()})
        out["programme"].update({p.id: p.title for p in project.programmes})
        if project.edition:
            out["volume"].update({v.id: v.title for v in project.edition.volumes})
    return out


def to_json(changes: Changes) -> str:
    return json.dumps(changes.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def render(changes: Changes, kind: str, labels: dict[str, dict[str, str]], template_root: Path) -> str:
    """``kind`` is ``text`` or ``markdown``; templates come from ``template_root``/templates/diff first."""
    env = environment(template_root, "diff", autoescape=False)  # text and Markdown, not HTML
    env.filters.update(FILTERS)
    text = env.get_template(TEMPLATES[kind]).render(c=changes, names=labels, width=WIDTH)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


# ---------------------------------------------------------------- filters

def wrap(text: str, indent: int = 0, hang: int = 2, width: int = WIDTH) -> str:
    """Fold one line to ``width`` columns: the first line indented by ``indent``, the rest by ``indent + hang``.

    An amount ("Rp 1.500.000") is never split over two lines.
    """
    folded = textwrap.fill(" ".join(str(text).split()).replace("Rp ", "Rp\u00a0"), width=width,
                           initial_indent=" " * indent, subsequent_indent=" " * (indent + hang),
                           break_long_words=False, break_on_hyphens=False)
    return folded.replace("Rp\u00a0", "Rp ")


def value(v: Any) -> str:
    """A field's value in one line: lists joined, None (or nothing) as an en dash."""
    if v is None or v in ("", []):
        return "–"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt.number(v)
    if isinstance(v, dict) and set(v) == {"year", "value"}:  # a KPI baseline
        return f"{value(v['value'])} ({v['year']})"
    if isinstance(v, dict):
        return ", ".join(f"{k} {value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(value(x) for x in v)
    return " ".join(str(v).split())


def years(values: list[int]) -> str:
    """2023–2025 for consecutive years, else each year: 2023, 2025."""
    if values and sorted(values) == list(range(min(values), max(values) + 1)):
        return fmt.years_span(values)
    return ", ".join(str(y) for y in values) or "–"


def quoted(v: Any) -> str:
    """A value for the terminal: in quotes when it holds spaces, so that where it ends is clear."""
    shown = value(v)
    return f'"{shown}"' if " " in shown else shown


def rupiah_or_dash(amount: int | None) -> str:
    return "–" if amount is None else fmt.rupiah(amount)


def rupiah_delta(delta: int) -> str:
    """+Rp 500.000.000, −Rp 250.000.000, Rp 0."""
    if delta == 0:
        return "Rp 0"
    return ("+" if delta > 0 else "−") + fmt.rupiah(abs(delta))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: Any) -> str:
    """Source text as inline Markdown: on one line, its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", value(text) if not isinstance(text, str) else " ".join(text.split()))


FILTERS = {"wrap": wrap, "value": value, "quoted": quoted, "rupiah_or_dash": rupiah_or_dash,
           "rupiah_delta": rupiah_delta, "md": md, "years": years}
