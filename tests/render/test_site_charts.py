"""The site's bar charts: achievement on a fixed scale, and the stacked layout for phones."""

from __future__ import annotations

from masterplan_kit.render.barchart import BarItem, bar_chart
from masterplan_kit.render.site_charts import NARROW_W, stacked


def test_the_stacked_chart_keeps_the_proportions_and_fits_a_phone():
    items = [BarItem("Smart Governance", 37_320, "Rp 37,32 miliar", "#1f5fa8", "pilar/governance/index.html"),
             BarItem("Smart Economy", 9_700, "Rp 9,7 miliar", "#2e7d32"),
             BarItem("Tanpa anggaran", 0, "Rp 0", "#3f51b5")]
    wide = bar_chart("t", "Anggaran", items)
    narrow = stacked(wide)
    assert narrow.width == NARROW_W and [b.item for b in narrow.bars] == items
    first, second, empty = narrow.bars
    assert abs(second.width / first.width - 9_700 / 37_320) < 0.01 and empty.width == 0
    for bar in narrow.bars:  # each label on its own line, above its bar, and the value after the bar fits
        assert bar.label_y < bar.bar_y < narrow.height
        assert bar.text_x + len(bar.item.text) * 7 <= NARROW_W
    assert narrow.bars[1].label_y > first.bar_y + narrow.bar_h  # rows do not overlap
