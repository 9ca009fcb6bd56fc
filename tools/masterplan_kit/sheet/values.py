"""Cell values in both directions: text that never becomes a formula on the way out, and strict,
unambiguous readings of ids, years, amounts and numbers on the way in.

Amounts follow Indonesian writing: dots group thousands ("1.500.000.000", "Rp 1.500.000.000,-")
and a comma marks decimals, which only a scale word makes whole ("1,5 miliar"). Anything that
could be read two ways ("1,500,000", "1.5") or that is not a whole rupiah ("1.500,50") is
refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..load.markdown_syntax import describe_char, forbidden_char
from ..model.base import MAX_AMOUNT, MAX_VALUE, is_slug

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellError(Exception):
    """A cell that cannot be read: its diagnostic code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def needs_quote(text: str) -> bool:
    """Text that a spreadsheet would take for a formula if it were typed in."""
    return text.startswith(FORMULA_STARTS)


def describe(value: Any) -> str:
    """What a cell holds, in the words of a message."""
    if isinstance(value, bool):
        return f"a true/false value ({'TRUE' if value else 'FALSE'})"
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return f"a date or time ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({_num(value)})"
    return f"'{value}'"


def _num(value: float | int) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def text(value: Any) -> str | None:
    """A text cell; numbers are taken as typed (e.g. a unit '100'), dates and true/false refused."""
    if value is None:
        return None
    if isinstance(value, (bool, dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise CellError("E605", f"{describe(value)} where text belongs")
    if isinstance(value, (int, float)):
        return _num(value)
    out = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = forbidden_char(out)
    if bad is not None:  # refused here, at its cell: YAML would even read U+0085 back as a line break
        raise CellError("E107", f"control character {describe_char(bad.group())} is not allowed in text; remove it")
    return out or None


def ident(value: Any, what: str = "an id") -> str | None:
    """An id (a lowercase slug), which must be text: a date or number in its place is refused.
    ``what`` names it with its article ("a programme id")."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CellError("E605", f"{describe(value)} where {what} belongs; "
                                "format the cell as Text and type the id")
    out = value.strip()
    if not out:
        return None
    if not is_slug(out):
        raise CellError("E605", f"'{out}' is not valid as {what} (lowercase letters, digits and single hyphens)")
    return out


_SPLIT = re.compile(r"[,;\n]+|\s+")


def ident_list(value: Any, what: str = "id") -> list[str]:
    """Ids separated by commas (or semicolons, line breaks, spaces)."""
    if value is None:
        return []
    if not isinstance(value, str):
        raise CellError("E605", f"{describe(value)} where {what}s belong; type them as text, separated by commas")
    out = []
    for part in _SPLIT.split(value.strip()):
        if part:
            if not is_slug(part):
                raise CellError("E605", f"'{part}' is not a valid {what} "
                                        "(lowercase letters, digits and single hyphens)")
            out.append(part)
    return out


def year(value: Any) -> int | None:
    """A year: a whole number of four digits, typed as a number or as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise CellError("E605", f"{describe(value)} where a year belongs (e.g. 2024)")
    return value


_RANGE = re.compile(r"(\d{4})\s*[-–—]\s*(\d{4})")


def year_list(value: Any) -> list[int]:
    """Years separated by commas; a range '2023–2025' stands for every year in it."""
    if value is None:
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        single = year(value)
        return [single] if single is not None else []
    if not isinstance(value, str):
        raise CellError("E605", f"{describe(value)} where years belong (e.g. 2023, 2024, 2025)")
    out: list[int] = []
    for piece in re.split(r"[,;\n]+", value.strip()):
        part = piece.strip()
        if not part:
            continue
        span = _RANGE.fullmatch(part)
        if span and int(span[1]) <= int(span[2]):
            out.extend(range(int(span[1]), int(span[2]) + 1))
        elif re.fullmatch(r"\d{4}", part):
            out.append(int(part))
        else:
            raise CellError("E605", f"'{part}' is not a year; write the years as 2023, 2024, 2025")
    return out


_SCALES = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")
_SCALED = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(" + "|".join(_SCALES) + r")", re.IGNORECASE)


def amount(value: Any) -> int | None:
    """Whole rupiah: a number, or Indonesian text such as 'Rp 1.500.000.000' or '1,5 miliar'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise CellError("E605", f"{describe(value)} where an amount in rupiah belongs")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("E606", f"amount {value} is not a whole number of rupiah")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise CellError("E606", f"amount {value} is negative")
        return _at_most(value)
    raw = str(value)
    s = _CURRENCY.sub("", raw.strip()).strip()
    s = re.sub(r"\s*,-$|\s*\.-$", "", s)
    if s.startswith("-"):
        raise CellError("E606", f"amount '{raw}' is negative")
    if re.fullmatch(r"\d+", s):
        return _at_most(_whole(s))
    if _GROUPED.fullmatch(s):
        return _at_most(_whole(s.replace(".", "")))
    scaled = _SCALED.fullmatch(s)
    if scaled:
        whole, frac, word = scaled.groups()
        _whole(whole.replace(".", ""))  # (refuses thousands of digits before Decimal reads them)
        number = Decimal(whole.replace(".", "") + ("." + frac if frac else "")) * _SCALES[word.lower()]
        if number != number.to_integral_value():
            raise CellError("E606", f"amount '{raw}' is not a whole number of rupiah")
        return _at_most(int(number))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        raise CellError("E606", f"amount '{raw}' uses commas between thousands, which is ambiguous; "
                                "write 1.500.000 or 1500000")
    if "," in s:
        raise CellError("E606", f"amount '{raw}' has a decimal comma; amounts are whole rupiah (e.g. 1.500.000)")
    raise CellError("E606", f"'{raw}' is not an amount in rupiah (e.g. 1500000000, 1.500.000.000 or 1,5 miliar)")


def _whole(digits: str) -> int:
    """Digits as a whole number; more digits than any amount has are refused before Python's int()
    would (it stops at 4,300 digits)."""
    if len(digits.lstrip("0")) > len(str(MAX_AMOUNT)):
        raise CellError("E304", f"an amount of {len(digits.lstrip('0')):,} digits is more than Rp "
                                f"{_grouped(MAX_AMOUNT)} (Rp 100 triliun), beyond any city's budget; check the digits")
    return int(digits)


def _at_most(rupiah: int) -> int:
    if rupiah > MAX_AMOUNT:
        raise CellError("E304", f"amount {_grouped(rupiah)} is more than Rp {_grouped(MAX_AMOUNT)} (Rp 100 triliun), "
                                "beyond any city's budget; check the digits")
    return rupiah


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _in_range(value: float) -> float:
    """A KPI value as the validator takes it: finite, at most 10^15 either way."""
    if not math.isfinite(value):
        raise CellError("E107", "the number is too large to be read (not finite); check the digits")
    if abs(value) > MAX_VALUE:
        shown = _num(value) if abs(value) < 1e21 else f"{value:g}"
        raise CellError("E107", f"{shown} is out of range; a KPI value is at most {_grouped(MAX_VALUE)} either way")
    return value


_DECIMAL = re.compile(r"-?(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?")


def number(value: Any, number_format: str = "General") -> float | None:
    """A KPI value: a number, or Indonesian text ('86,5', '1.250'); a percentage-formatted cell is
    refused, since Excel stores '45%' as 0.45."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise CellError("E605", f"{describe(value)} where a number belongs")
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            raise CellError("E606", f"the cell is formatted as a percentage, so {_num(value)} would be read as "
                                    f"{_num(value * 100)}%; type the number without '%' in a cell formatted "
                                    "as a number")
        return _in_range(float(value))
    s = str(value).strip()
    if _DECIMAL.fullmatch(s):
        try:
            return _in_range(float(Decimal(s.replace(".", "").replace(",", "."))))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            pass
    if re.fullmatch(r"-?\d+\.\d+", s):
        raise CellError("E606", f"'{s}' is ambiguous: a dot groups thousands in Indonesian; "
                                "write a decimal with a comma (86,5) or type a number")
    raise CellError("E605", f"'{s}' is not a number")


def choice(value: Any, allowed: tuple[str, ...], what: str) -> str | None:
    """One value of a dropdown's list."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise CellError("E605", f"{describe(value)} where {what} belongs")
    out = str(value).strip()
    if out not in allowed:
        from ..errors import did_you_mean

        shown = ", ".join(f"'{a}'" for a in allowed[:12]) + (" …" if len(allowed) > 12 else "")
        raise CellError("E604", f"{what} '{out}' is not in the list{did_you_mean(out, allowed)}; choose one of {shown}")
    return out
