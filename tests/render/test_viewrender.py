"""Data views rendered from the model: what each selects and adds, on the small fixture project."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterplan_kit.model.dataviews import VIEWS, select
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.barchart import BarItem, bar_chart
from masterplan_kit.render.pandoc import ViewCall
from masterplan_kit.render.viewrender import render_view
from masterplan_kit.templating import environment


@pytest.fixture
def loaded(small: Path):
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    return project


def url(scheme: str, target: str, fragment: str = "") -> str:
    return f"{scheme}/{target}.html"


def test_filters_select_programmes(loaded):
    assert [p.id for p in select(loaded, {"pillar": "governance"})] == ["data-terpadu", "portal-warga"]
    assert [p.id for p in select(loaded, {}, "quick-wins")] == ["portal-warga"]
    assert [p.id for p in select(loaded, {"opd": "diskominfo"})] == ["data-terpadu", "portal-warga"]
    assert [p.id for p in select(loaded, {"year": "2024", "status": "done"})] == ["pantau-sungai"]


def test_options_take_their_defaults():
    spec = VIEWS["budget-chart"]
    assert spec.settings({}) == {"by": "pillar"}
    assert spec.settings({"by": "year"}) == {"by": "year"}
    assert "by" in spec.attributes and "pillar" in spec.attributes


@pytest.mark.parametrize("by", ["pillar", "opd", "year", "source"])
def test_budget_chart_has_its_data_table_and_totals(loaded, by: str):
    html = render_view(environment(loaded.root), loaded, ViewCall("budget-chart", {"by": by}), url)
    assert 'class="mp-barchart-svg"' in html and "<title id=" in html
    assert "Rp 2.750.000.000" in html  # the total of every budget line: 500 + 750 + 300 + 1.200 juta
    assert html.count("<rect") == {"pillar": 2, "opd": 3, "year": 2, "source": 2}[by]
    if by == "pillar":
        assert 'href="pillar/governance.html"' in html and "56,4%" in html


def test_bars_scale_to_the_largest_value():
    chart = bar_chart("c", "Judul", [BarItem("A", 100, "100", "#000"), BarItem("B", 50, "50", "#000"),
                                     BarItem("C", 0, "0", "#000")])
    widths = [b.width for b in chart.bars]
    assert widths[0] == pytest.approx(chart.plot_w) and widths[1] == pytest.approx(chart.plot_w / 2)
    assert widths[2] == 0
    assert chart.height == 2 * 8 + 3 * chart.row_h
