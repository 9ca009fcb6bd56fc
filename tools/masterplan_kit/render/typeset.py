"""Two rules of good typesetting WeasyPrint lacks, added to its line and footnote layout.

- *At most two hyphenated lines in a row* (``hyphenate-limit-lines: 2``, which WeasyPrint does not
  implement): after two lines of a paragraph that end in a hyphen, the next line is broken
  without hyphenation.
- *A footnote on the page of its reference*: WeasyPrint compares the bottom of the footnote area's
  last note with the area's bottom without a tolerance, so a note that fits but for a rounding
  error (10⁻¹³ px) "overflows" and goes to the next page with the line that calls it, where it
  overflows again, until it ends on a page of its own. A second look, with a hundredth of a pixel
  to spare, keeps it where it fits.

``apply()`` installs both, once per process, in every process that renders a volume (the render
processes, a single-pass variant) and in the tests that render the volumes' HTML to compare.
"""

from __future__ import annotations

HYPHENATED_LINES = 2
HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character


def apply() -> None:
    """Install both rules, where this WeasyPrint has the functions they wrap (they are its
    internals: a version without them renders as WeasyPrint alone would)."""
    from weasyprint.layout import LayoutContext, block, inline

    if getattr(block.iter_line_boxes, "masterplan", False):
        return
    if hasattr(block, "iter_line_boxes") and hasattr(inline, "split_first_line"):
        _limit_hyphenated_lines(block, inline)
    if hasattr(LayoutContext, "_update_footnote_area"):
        _fit_footnotes(LayoutContext)


def _ends_hyphenated(box) -> bool:
    last = box
    while getattr(last, "children", None):
        last = last.children[-1]
    return type(last).__name__ == "TextBox" and last.text.endswith(HYPHEN)


def _limit_hyphenated_lines(block, inline) -> None:
    lines_of = block.iter_line_boxes
    split_first_line = inline.split_first_line

    def iter_line_boxes(context, *args, **kwargs):
        run = 0
        before = getattr(context, "masterplan_no_hyphens", False)
        try:
            for line, resume_at in lines_of(context, *args, **kwargs):
                run = run + 1 if _ends_hyphenated(line) else 0
                context.masterplan_no_hyphens = run >= HYPHENATED_LINES  # for the next line
                yield line, resume_at
        finally:
            context.masterplan_no_hyphens = before

    def split(text, style, context, *args, **kwargs):
        if getattr(context, "masterplan_no_hyphens", False) and style["hyphens"] == "auto":
            style = style.copy()
            style["hyphens"] = "manual"
        return split_first_line(text, style, context, *args, **kwargs)

    iter_line_boxes.masterplan = True  # type: ignore[attr-defined]
    block.iter_line_boxes = iter_line_boxes
    inline.split_first_line = split


def _fit_footnotes(context_class) -> None:
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    original = context_class._update_footnote_area

    def update(self) -> bool:
        overflow = original(self)
        if overflow and self.current_footnote_area.children:
            area = block_level_layout(self, build.create_anonymous_boxes(self.current_footnote_area.deepcopy()),
                                      -float("inf"), None, self.current_footnote_area.page)[0]
            last = area.children[-1]
            bottom = last.position_y + last.margin_height() - last.margin_bottom
            overflow = bottom > area.position_y + area.margin_height() - area.margin_bottom + 0.01
        return overflow

    context_class._update_footnote_area = update
