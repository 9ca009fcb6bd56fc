"""Indonesian formatting of numbers, money and the model's enumerations."""

from __future__ import annotations

from babel.numbers import format_compact_decimal, format_decimal

from .dates import tanggal

LOCALE = "id"

STATUS = {"planned": "Direncanakan", "ongoing": "Berjalan", "done": "Selesai", "dropped": "Dihentikan"}
KIND = {"infrastruktur": "Infrastruktur", "suprastruktur": "Suprastruktur", "infostruktur": "Infostruktur"}
PRIORITY = {"high": "Tinggi", "medium": "Sedang", "low": "Rendah"}
SOURCE = {
    "APBD": "APBD Kota", "APBD-Prov": "APBD Provinsi", "APBN": "APBN", "DAK": "DAK", "CSR": "CSR",
    "KPBU": "KPBU", "hibah": "Hibah", "other": "Lainnya",
}
OPD_KIND = {"dinas": "Dinas", "badan": "Badan", "sekretariat": "Sekretariat", "inspektorat": "Inspektorat",
            "kecamatan": "Kecamatan", "other": "Lainnya"}


def thousands(n: int) -> str:
    """1.500.000 (Indonesian grouping)."""
    return format_decimal(int(n), format="#,##0", locale=LOCALE)


def rupiah(amount: int | float) -> str:
    """Rp 1.500.000.000 (whole rupiah; a space after Rp, as Indonesian documents print it)."""
    return "Rp " + thousands(round(amount))


def rupiah_short(amount: int | float) -> str:
    """Rp 1,15 miliar / Rp 750 juta, for prose, charts and cards (Babel's Indonesian compact forms,
    rounded to the unit they are shown in: 999.999.999 is Rp 1 miliar, never Rp 1.000 juta)."""
    if abs(amount) < 1_000_000:
        return rupiah(amount)
    return "Rp " + format_compact_decimal(amount, format_type="long", locale=LOCALE, fraction_digits=2)


def number(value: float | int | None, digits: int = 2) -> str:
    """Indonesian decimal: 86,5 — 1.250 — 99,25; None as an en dash."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(round(float(value), digits), format=pattern, locale=LOCALE)


def percent(value: float | int | None, digits: int = 1) -> str:
    """86,5% — 90,0% — 100,0%: a percentage as Indonesian documents print it (no space), always
    with ``digits`` decimals so that a column or a series reads alike; None as an en dash."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(round(float(value), digits), format=pattern, locale=LOCALE) + "%"


def millions(amount: int | float) -> str:
    """An amount in millions of rupiah, as budget tables print it: 1.100 — 12,5 — 0,25."""
    return number(amount / 1_000_000, 2)


def balanced_lines(text: str, keep: str = "", width: int = 24) -> list[str]:
    """A title in one line, or two lines of nearly equal length when it is longer than ``width``
    characters; the words of ``keep`` (the city's name) stay on one line, and a break before it
    is preferred to a slightly better balanced one."""
    bound = text.replace(keep, keep.replace(" ", "\u00a0")) if keep else text
    words = bound.split(" ")
    if len(bound) <= width or len(words) < 2:
        return [text]
    def cost(i: int) -> int:  # the longer line, and a little more where the break is not before the name
        longer = max(len(" ".join(words[:i])), len(" ".join(words[i:])))
        return longer + (0 if keep and words[i].replace("\u00a0", " ") == keep else 4)

    best = min(range(1, len(words)), key=cost)
    return [" ".join(words[:best]).replace("\u00a0", " "), " ".join(words[best:]).replace("\u00a0", " ")]


def years_span(years: list[int]) -> str:
    if not years:
        return "–"
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}–{hi}"


FILTERS = {
    "rupiah": rupiah, "rupiah_short": rupiah_short, "num": number, "years_span": years_span,
    "status_label": STATUS.get, "kind_label": KIND.get, "priority_label": PRIORITY.get,
    "source_label": SOURCE.get, "opd_kind_label": OPD_KIND.get, "thousands": thousands,
    "millions": millions, "percent": percent, "tanggal": tanggal, "balanced_lines": balanced_lines,
}
