"""A programme as the workbook holds it: plain, comparable values, one record per programme.

The export writes records into cells; the import reads cells back into records and compares them
with the records of the sources, field by field. Text is compared without surrounding white
space (a cell cannot keep a description's final line break), so a workbook that nobody edited
reads back as exactly the records it was written from.
"""

from __future__ import annotations

from typing import Any

from ..model import Programme
from ..model.programme import Budget, Kpi

Record = dict[str, Any]

# Top-level keys of a programme file, in the model's (and the files') order.
PROGRAMME_KEYS: tuple[str, ...] = tuple(k for k in Programme.model_fields)
BUDGET_KEYS: tuple[str, ...] = tuple(Budget.model_fields)
KPI_KEYS: tuple[str, ...] = tuple(Kpi.model_fields)
SHEET_FIELDS = ("title", "summary", "description", "element", "lead", "partners", "kind", "status", "priority",
                "quick_win", "years", "locations", "related")


def programme_record(p: Programme) -> Record:
    return {
        "id": p.id,
        "pillar": p.pillar,
        "title": p.title,
        "summary": p.summary,
        "description": p.description,
        "element": p.element,
        "lead": p.lead,
        "partners": list(p.partners),
        "kind": p.kind,
        "status": p.status,
        "priority": p.priority,
        "quick_win": p.quick_win,
        "years": list(p.years),
        "locations": list(p.locations),
        "related": list(p.related),
        "budget": [budget_record(b) for b in p.budget],
        "kpis": [kpi_record(k) for k in p.kpis],
    }


def budget_record(b: Budget) -> Record:
    return {"year": b.year, "amount": b.amount, "source": b.source, "realised": b.realised, "note": b.note}


def kpi_record(k: Kpi) -> Record:
    return {
        "indicator": k.indicator,
        "unit": k.unit,
        "direction": k.direction,
        "baseline": None if k.baseline is None else {"year": k.baseline.year, "value": k.baseline.value},
        "targets": dict(k.targets),
        "actuals": dict(k.actuals),
    }


def norm_text(value: Any) -> Any:
    """Text as a cell keeps it: Windows line breaks folded, surrounding white space dropped, empty as None."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def same(old: Any, new: Any) -> bool:
    """Whether a value read from a cell stands for the value of the sources."""
    if isinstance(old, str) or isinstance(new, str) or old is None or new is None:
        return norm_text(old) == norm_text(new)
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return bool(old == new)


def settle(old: Any, new: Any) -> Any:
    """``new``, with every part that stands for the same as in ``old`` replaced by ``old``'s value, so
    that an unedited workbook yields the sources' values exactly."""
    if same(old, new):
        return old
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: settle(old[k], v) if k in old else v for k, v in new.items()}
    if isinstance(old, list) and isinstance(new, list):
        return [settle(old[i], v) if i < len(old) else v for i, v in enumerate(new)]
    return new


def entry_key(kind: str, entry: Record) -> Any:
    """What identifies a budget line (year and source) or a KPI (its indicator) when rows move."""
    if kind == "budget":
        return entry.get("year"), entry.get("source")
    return norm_text(entry.get("indicator"))


def align(kind: str, old: list[Record], new: list[Record]) -> list[tuple[int | None, int | None]]:
    """Pair the entries of the sources with the rows, so that sorting the rows changes nothing.

    Rows are matched to entries by their key first, then the rows left over take the places of the
    entries left over, in order (an edited year or indicator); the rest are removed (old only) or
    added (new only, at the end). The pairs come in the order of the result: the sources' order,
    then the added rows.
    """
    taken: set[int] = set()
    match: list[int | None] = []
    new_keys = [entry_key(kind, e) for e in new]
    for entry in old:
        key = entry_key(kind, entry)
        j = next((j for j, k in enumerate(new_keys) if k == key and j not in taken), None)
        if j is not None:
            taken.add(j)
        match.append(j)
    rest = iter([j for j in range(len(new)) if j not in taken])
    pairs: list[tuple[int | None, int | None]] = []
    for i, j in enumerate(match):
        pairs.append((i, j if j is not None else next(rest, None)))
    pairs.extend((None, j) for j in rest)
    return pairs
