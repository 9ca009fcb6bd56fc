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


def test_amounts_round_to_the_unit_they_are_shown_in():
    assert rupiah_short(999_999_999) == "Rp 1 miliar"
    assert rupiah_short(1_150_000_000) == "Rp 1,15 miliar"
    assert rupiah_short(750_000_000) == "Rp 750 juta"
    assert rupiah_short(12_500_000_000_000) == "Rp 12,5 triliun"
    assert rupiah_short(450_000) == "Rp 450.000"


def test_percentages_and_dates():
    from masterplan_kit.render.dates import tanggal
    from masterplan_kit.render.fmt import percent

    assert percent(86.5) == "86,5%"
    assert percent(100) == "100,0%" and percent(28) == "28,0%"  # a column reads alike
    assert percent(None) == "–"
    assert tanggal("2022-07-07") == "7 Juli 2022"
