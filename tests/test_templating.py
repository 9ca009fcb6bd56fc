"""The one Jinja environment: its compiled-template cache never outlives a change of the toolkit."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterplan_kit.render import cache as render_cache
from masterplan_kit.templating import environment


def test_a_cached_template_uses_the_filters_of_this_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Jinja computes a filter of constants when it compiles, so a compiled template kept from an
    earlier version of a filter would print the earlier result."""
    root = tmp_path / "project"
    (root / "templates" / "pdf").mkdir(parents=True)
    (root / "templates" / "pdf" / "t.html.j2").write_text("{{ 100 | percent }}", encoding="utf-8")
    base = tmp_path / "cache"
    first = environment(root, cache=render_cache.template_cache(base))
    assert first.get_template("pdf/t.html.j2").render() == "100,0%"
    same = environment(root, cache=render_cache.template_cache(base))  # the next run, same toolkit
    assert same.get_template("pdf/t.html.j2").render() == "100,0%"
    monkeypatch.setattr(render_cache, "code_digest", lambda: "another-version-of-the-toolkit")
    changed = environment(root, cache=render_cache.template_cache(base))  # the filter's code has changed
    changed.filters["percent"] = lambda v: f"{v} persen"
    assert changed.get_template("pdf/t.html.j2").render() == "100 persen"
