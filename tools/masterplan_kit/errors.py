"""Problems found in the sources: a location, a stable code and a short message.

Every code the toolkit can emit is listed in ``CODES``; the README documents the same table
(a test keeps the two in step).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

# code -> one-line description. E = error, W = warning (an error under --strict).
CODES: dict[str, str] = {
    # reading files
    "E001": "file is not valid UTF-8",
    "E002": "file starts with a byte-order mark",
    "E003": "file larger than the size limit",
    "E004": "YAML syntax error",
    "E005": "YAML tag not allowed",
    "E006": "YAML anchor or alias not allowed",
    "E007": "duplicate key in a mapping",
    "E008": "required file or folder missing",
    "E009": "unexpected file in a source folder",
    "E010": "Markdown front matter missing or not closed",
    "E011": "file or folder cannot be read, is no regular file, or leads outside the project",
    # schema
    "E101": "required field missing",
    "E102": "unknown field",
    "E103": "wrong type",
    "E104": "value not among the allowed values",
    "E105": "id is not a lowercase slug",
    "E106": "file or folder name is not a valid id",
    "E107": "invalid value",
    "E108": "id reserved for a generated page",
    # references
    "E201": "unknown element for the programme's pillar",
    "E202": "unknown OPD",
    "E203": "unknown programme",
    "E204": "programme relates to itself",
    "E205": "unknown volume content",
    "E206": "unknown pillar",
    "E207": "unknown chapter",
    "E208": "image missing, remote or outside the project",
    "E209": "unknown data-view attribute or value",
    "E210": "unknown kecamatan in locations",
    "E211": "data view not closed",
    "E212": "HTML element, attribute or link that the outputs never show (script, style, event handlers …)",
    "E213": "brackets nested too deeply",
    # consistency
    "E301": "duplicate id",
    "E302": "year outside the edition's period",
    "E303": "baseline year not before the period",
    "E304": "amount not a non-negative integer",
    "E305": "period ends before it starts",
    "E306": "duplicate entry in a list",
    # building
    "E501": "template error",
    # workbooks (masterplan sheet import)
    "E601": "workbook cannot be read (not .xlsx, too large, encrypted, macro-enabled)",
    "E602": "workbook layout changed (unknown or missing sheet or column, hidden header row edited)",
    "E603": "formula where a value belongs",
    "E604": "value not in the list",
    "E605": "wrong kind of value (a date or number where an id belongs, text where a number belongs)",
    "E606": "amount or number that cannot be read unambiguously",
    "E607": "required cell empty",
    "E608": "duplicate programme id, or an id used in another pillar",
    "E609": "read-only cell changed",
    "E610": "changes refused: the result does not validate",
    # advisories
    "W401": "programme has no KPI",
    "W402": "OPD has no programme",
    "W403": "summary longer than 300 characters",
    "W404": "chapter not used by any volume",
    "W405": "programme not shown in any volume",
    "W406": "budget realised more than ten times its amount",
    "W407": "example programme still present",
}


class BuildError(Exception):
    """A renderer could not finish; its previous output is left in place."""


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: str = field(default="error", compare=False)

    def format(self, strict: bool = False) -> str:
        sev = "error" if (self.severity == "error" or strict) else "warning"
        return f"{self.path}:{self.line}:{self.col}: {sev}[{self.code}]: {self.message}"


class Report:
    """Collects diagnostics; every stage adds to the same report."""

    def __init__(self) -> None:
        self._items: set[Diagnostic] = set()

    def add(self, code: str, where: Location, message: str) -> None:
        assert code in CODES, code
        sev = "warning" if code.startswith("W") else "error"
        self._items.add(Diagnostic(where.path, where.line, where.col, code, _one_line(message), sev))

    def extend(self, other: Report) -> None:
        self._items |= other._items

    @property
    def items(self) -> list[Diagnostic]:
        return sorted(self._items)

    def errors(self, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.items if strict or d.severity == "error"]

    def __len__(self) -> int:
        return len(self._items)

    def to_text(self, strict: bool = False) -> str:
        return "".join(d.format(strict) + "\n" for d in self.items)

    def to_json(self, strict: bool = False) -> str:
        rows = []
        for d in self.items:
            row = asdict(d)
            row["column"] = row.pop("col")
            if strict:
                row["severity"] = "error"
            rows.append(row)
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _one_line(text: str) -> str:
    """Escape control characters so that every problem stays on one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix when a close candidate exists, else ""."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
