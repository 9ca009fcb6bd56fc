"""Reading cells: amounts, numbers, ids and years are read one way only, or refused."""

from __future__ import annotations

import datetime as dt

import pytest

from masterplan_kit.sheet import values as V


@pytest.mark.parametrize(("typed", "rupiah"), [
    (1500000000, 1500000000),
    (1500000000.0, 1500000000),
    ("1500000000", 1500000000),
    ("Rp 1.500.000.000", 1500000000),
    ("Rp1.500.000.000,-", 1500000000),
    ("1.500.000.000", 1500000000),
    ("1.500", 1500),  # a dot groups thousands: never one and a half
    ("1,5 miliar", 1500000000),
    ("750 juta", 750000000),
    ("2,25 Triliun", 2250000000000),
    (" Rp. 800.000.000 ", 800000000),
])
def test_amounts_in_indonesian_forms(typed, rupiah):
    assert V.amount(typed) == rupiah


@pytest.mark.parametrize(("typed", "code", "fragment"), [
    ("1.500.000,50", "E606", "decimal comma"),
    ("1500,00", "E606", "decimal comma"),
    ("1,500,000", "E606", "ambiguous"),
    ("1.5", "E606", "not an amount"),
    ("1,2345 ribu", "E606", "whole number"),
    (1.5, "E606", "whole number"),
    (-5, "E606", "negative"),
    ("Rp -5.000", "E606", "negative"),
    ("satu miliar", "E606", "not an amount"),
    (dt.datetime(2024, 1, 5), "E605", "date"),
    (True, "E605", "true/false"),
])
def test_amounts_that_are_refused(typed, code, fragment):
    with pytest.raises(V.CellError) as err:
        V.amount(typed)
    assert err.value.code == code
    assert fragment in err.value.message


def test_numbers():
    assert V.number(86.5) == 86.5
    assert V.number("86,5") == 86.5
    assert V.number("1.250") == 1250
    assert V.number(None) is None
    with pytest.raises(V.CellError, match="ambiguous"):
        V.number("12.5")
    with pytest.raises(V.CellError, match="percentage") as err:
        V.number(0.45, "0%")
    assert err.value.code == "E606"


def test_ids_must_be_text_slugs():
    assert V.ident(" e-kelurahan ") == "e-kelurahan"
    for value in (dt.datetime(2024, 3, 1), 2024, 3.5):
        with pytest.raises(V.CellError) as err:
            V.ident(value, "a programme id")
        assert err.value.code == "E605"
    with pytest.raises(V.CellError, match=r"^'E Kelurahan' is not valid as a programme id "):
        V.ident("E Kelurahan", "a programme id")
    assert V.ident_list("disdukcapil, setda;dinkes") == ["disdukcapil", "setda", "dinkes"]


def test_years():
    assert V.year_list("2023, 2024, 2025") == [2023, 2024, 2025]
    assert V.year_list("2023–2025") == [2023, 2024, 2025]
    assert V.year_list(2024) == [2024]
    assert V.year("2024") == 2024
    with pytest.raises(V.CellError):
        V.year_list("tahun depan")
    with pytest.raises(V.CellError):
        V.year(dt.datetime(2024, 1, 1))


def test_choices_name_the_list():
    assert V.choice("ongoing", ("planned", "ongoing"), "status") == "ongoing"
    with pytest.raises(V.CellError) as err:
        V.choice("berjalan", ("planned", "ongoing"), "status")
    assert err.value.code == "E604"
    assert "'planned'" in err.value.message


def test_formula_starts_are_quoted():
    assert all(V.needs_quote(s) for s in ("=1+1", "+62 812", "-", "@here", "\tx", "\rx"))
    assert not V.needs_quote("e-Kelurahan")


@pytest.mark.parametrize("bad", ["\x85", "\x7f", "\u202e", "\x1b"])
def test_text_with_a_control_character_is_refused_at_its_cell(bad):
    """What the validator refuses in a source is refused in the cell, before YAML could read it
    otherwise (U+0085 is a line break to YAML)."""
    with pytest.raises(V.CellError) as err:
        V.text(f"Judul{bad}baru")
    assert err.value.code == "E107"
    assert f"U+{ord(bad):04X}" in err.value.message
    assert V.text("Judul\tdengan tab\ndan baris baru") == "Judul\tdengan tab\ndan baris baru"
