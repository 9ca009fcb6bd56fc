"""Validator and renderers read data views the same way: a view the validator accepts always
renders (its table or chart takes its place), one it cannot accept is an error, so the build stops;
never an empty block on the page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE
from masterplan_kit.model.dataviews import VIEWS
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.pandoc import ViewCall, project_fragments

CLASSES = [*VIEWS, "programme", "roadmaps", "note", "catatan"]
KEYS = ["pillar", "status", "year", "quick_win", "lead", "jenis", "element"]
VALUES = ["governance", "ongoing", "2025", "true", "diskominfo", "x y", "governanse", "2031", "pelayanan-publik"]


@st.composite
def view_text(draw) -> str:
    colons = ":" * draw(st.integers(3, 5))
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=2))
    if draw(st.booleans()) and len(classes) == 1:
        head = f"{colons} {classes[0]}" if draw(st.booleans()) else f"{colons}{classes[0]}"
    else:
        tokens = [f".{c}" for c in classes]
        for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
            value = draw(st.sampled_from(VALUES))
            quote = draw(st.sampled_from(['"', "'", ""]))
            if not quote and " " in value:
                quote = '"'
            tokens.insert(draw(st.integers(0, len(tokens))), f"{key}={quote}{value}{quote}")
        pad = draw(st.sampled_from(["", " ", "  "]))
        head = f"{colons}{draw(st.sampled_from(['', ' ']))}{{{pad}{' '.join(tokens)}{pad}}}"
        if draw(st.booleans()):
            head += " " + ":" * draw(st.integers(3, 5))
    inner = draw(st.sampled_from(["", "Isi.\n", "::: note\nCatatan.\n:::\n"]))
    close = draw(st.sampled_from([":::", "::::", ":::::", ""]))
    return f"{head}\n{inner}{close}\n"


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(block=view_text())
def test_accepted_views_render_rejected_views_stop_the_build(tmp_path_factory, block: str):
    root = tmp_path_factory.mktemp("p") / "kota"
    shutil.copytree(FIXTURE, root)
    chapter = root / "masterplan" / "chapters" / "profil.md"
    chapter.write_text(f"---\ntitle: Profil\n---\n\nSebelum.\n\n{block}\nSesudah.\n", encoding="utf-8")
    project, report = load_and_check(root)
    errors = [d for d in report.errors() if d.path.endswith("profil.md")]
    doc = project.chapters["profil"].doc
    if errors:  # the build stops on these: nothing half-rendered is ever published
        assert all(d.severity == "error" for d in errors)
        return
    calls: list[ViewCall] = []

    def view(call: ViewCall) -> str:
        calls.append(call)
        return f'<div class="filled-{call.kind}"></div>'

    fragment = project_fragments(project)["chapter"]["profil"]
    html = fragment.resolve(lambda s, t, f: "#", view)
    assert [(c.kind, c.attrs) for c in calls] == [(v.kind, v.attrs) for v in doc.views]
    for v in doc.views:
        assert f'class="filled-{v.kind}"' in html
    # no data view slipped through as a plain (empty) div
    leftover = [c for c in re.findall(r'<div class="([^"]*)"', html) if set(c.split()) & set(VIEWS)]
    assert not leftover, (block, html)
    assert "Sesudah." in html  # the rest of the document is never swallowed


def test_the_word_form_renders(small: Path):
    chapter = small / "masterplan" / "chapters" / "profil.md"
    chapter.write_text("---\ntitle: Profil\n---\n\n::: programmes\n:::\n", encoding="utf-8")
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    frag = project_fragments(project)["chapter"]["profil"]
    assert [v.kind for v in frag.views] == ["programmes"]
