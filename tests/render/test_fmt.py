"""Indonesian number formats used by the site, the books and the DOCX copies."""

from __future__ import annotations

from masterplan_kit.render.fmt import millions, number, rupiah, rupiah_short, years_span


def test_numbers_use_indonesian_separators():
    assert number(1250) == "1.250"
    assert number(86.5) == "86,5"
    assert number(None) == "–"
    assert rupiah(1_500_000_000) == "Rp 1.500.000.000"


def test_budget_tables_print_millions():
    assert millions(1_100_000_000) == "1.100"
    assert millions(12_500_000) == "12,5"
    assert millions(250_000) == "0,25"


def test_short_amounts_and_year_spans():
    assert rupiah_short(1_500_000_000) == "Rp 1,5 miliar"
    assert years_span([2025, 2023, 2024]) == "2023–2025"
    assert years_span([2024]) == "2024"
