"""Numbers as the site prints them: steady decimals, units bound to their figures."""

from __future__ import annotations

from masterplan_kit.render import site_fmt

NBSP = "\u00a0"


def test_every_percentage_has_one_decimal_so_a_column_reads_evenly():
    assert [site_fmt.percent(v) for v in (90, 86.54, 100, 7.26, 2)] == ["90,0%", "86,5%", "100,0%", "7,3%", "2,0%"]
    assert site_fmt.percent(1234.5) == "1.234,5%" and site_fmt.percent(None) == "–"


def test_amounts_and_sizes_never_part_from_their_unit():
    assert site_fmt.rupiah(1_500_000_000) == f"Rp{NBSP}1.500.000.000"
    assert site_fmt.rupiah_short(1_150_000_000) == f"Rp{NBSP}1,15 miliar"  # a key figure may break before "miliar"
    assert site_fmt.rupiah_short(750_000_000) == f"Rp{NBSP}750 juta"
    assert [site_fmt.file_size(n) for n in (900, 184_300, 1_234_567)] == [f"900{NBSP}B", f"184{NBSP}KB", f"1,2{NBSP}MB"]


def test_a_kpi_value_with_its_unit():
    assert site_fmt.measure(85, "%") == "85%"  # as every other percentage on the site
    assert site_fmt.measure(70000, "orang") == f"70.000{NBSP}orang"
    assert site_fmt.measure(2.5, "") == "2,5"


def test_small_counts_in_words():
    assert [site_fmt.count_word(n) for n in (2, 6, 12, 13)] == ["dua", "enam", "dua belas", "13"]
