"""Indonesian formatting of numbers, money and the model's enumerations."""

from __future__ import annotations

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
    return f"{n:,}".replace(",", ".")


def rupiah(amount: int | float) -> str:
    """Rp 1.500.000.000"""
    return "Rp " + thousands(round(amount))


def rupiah_short(amount: int | float) -> str:
    """Rp 1,5 miliar / Rp 750 juta, for charts and cards."""
    if amount >= 1_000_000_000_000:
        return f"Rp {number(amount / 1_000_000_000_000, 1)} triliun"
    if amount >= 1_000_000_000:
        return f"Rp {number(amount / 1_000_000_000, 1)} miliar"
    if amount >= 1_000_000:
        return f"Rp {number(amount / 1_000_000, 0)} juta"
    return rupiah(amount)


def number(value: float | int | None, digits: int = 2) -> str:
    """Indonesian decimal: 86,5 — 1.250 — 99,25; None as an en dash."""
    if value is None:
        return "–"
    value = round(float(value), digits)
    if value.is_integer():
        return thousands(int(value))
    whole, _, frac = f"{value:.{digits}f}".rstrip("0").partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{thousands(abs(int(whole)))},{frac}"


def millions(amount: int | float) -> str:
    """An amount in millions of rupiah, as budget tables print it: 1.100 — 12,5 — 0,25."""
    return number(amount / 1_000_000, 2)


def years_span(years: list[int]) -> str:
    if not years:
        return "–"
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}–{hi}"


FILTERS = {
    "rupiah": rupiah, "rupiah_short": rupiah_short, "num": number, "years_span": years_span,
    "status_label": STATUS.get, "kind_label": KIND.get, "priority_label": PRIORITY.get,
    "source_label": SOURCE.get, "opd_kind_label": OPD_KIND.get, "thousands": thousands,
    "millions": millions,
}
