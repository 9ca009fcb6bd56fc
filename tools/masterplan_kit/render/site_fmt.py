"""Numbers as the site prints them: ``fmt``'s Indonesian formats, made steady for the screen.

A reader compares the figures of a column, so a percentage always has its one decimal (``90,0%``
beside ``86,5%``, never ``90%``); and a number never parts from its unit when a line wraps on a
phone (``Rp`` and ``KB`` are bound to their figures by a no-break space).
"""

from __future__ import annotations

from . import fmt

NBSP = "\u00a0"


percent = fmt.percent  # 86,5% — 90,0%: always the same decimals, as in the books


def rupiah(amount: int | float) -> str:
    """Rp 1.500.000.000, "Rp" bound to the figure."""
    return fmt.rupiah(amount).replace(" ", NBSP)


def rupiah_short(amount: int | float) -> str:
    """Rp 1,15 miliar, "Rp" bound to the figure; a line may still break before "miliar" (a key
    figure in large type on a phone needs it: bound, the word would be cut into letters)."""
    return fmt.rupiah_short(amount).replace(" ", NBSP, 1)


def measure(value: float | int | None, unit: str) -> str:
    """A KPI value with its unit: 85% (no space, as percentages are written), 200 titik."""
    text = fmt.number(value)
    if not unit:
        return text
    return text + unit if unit == "%" else f"{text}{NBSP}{unit}"


def file_size(size: int) -> str:
    """1,2 MB — 356 KB — 900 B (decimal units, Indonesian decimal comma)."""
    if size >= 1_000_000:
        return f"{fmt.number(size / 1_000_000, 1)}{NBSP}MB"
    if size >= 1_000:
        return f"{fmt.number(size / 1_000, 0)}{NBSP}KB"
    return f"{size}{NBSP}B"


_WORDS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
          "sebelas", "dua belas"]


def count_word(n: int) -> str:
    """A small count in words, as Indonesian prose writes it (enam pilar); 13 and more in digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


FILTERS = {"percent": percent, "rupiah": rupiah, "rupiah_short": rupiah_short, "measure": measure,
           "file_size": file_size, "count_word": count_word}
