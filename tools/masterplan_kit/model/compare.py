"""Compare two loaded projects: everything is matched by id (KPIs by their indicator), never by position.

Pure: no files, no git; the caller loads both projects (without errors) and says what to call them.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import Chapter, Kpi, Pillar, Programme, Project, Volume
from .changes import (
    BudgetChange,
    BudgetYear,
    Changes,
    FieldChange,
    ItemChange,
    ItemChanges,
    KpiChange,
    ProgrammeChange,
    ProgrammeChanges,
    ProgrammeEntry,
    SideInfo,
    Summary,
    TextEntry,
    YearValue,
)
from .edition import Edition

# Programme fields compared one by one, in the order they are reported. Lists are compared as sets
# (with added/removed items), except ``years``, which is reported whole as well.
SCALAR_FIELDS = ("title", "status", "element", "lead", "kind", "priority", "quick_win")
LIST_FIELDS = ("years", "partners", "locations", "related")
TEXT_FIELDS = ("summary", "description")


def word_changes(old: str | None, new: str | None) -> tuple[int, int]:
    """Words added and removed between two texts (a word-level diff of their whitespace-split words)."""
    a, b = (old or "").split(), (new or "").split()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def number(value: float | None) -> float | int | None:
    """A KPI value as JSON should show it: 40 rather than 40.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _text_change(field: str, old: str | None, new: str | None) -> FieldChange | None:
    if (old or "") == (new or ""):
        return None
    added, removed = word_changes(old, new)
    return FieldChange(field=field, old=old, new=new, words_added=added, words_removed=removed)


def _list_change(field: str, old: Sequence[Any], new: Sequence[Any]) -> FieldChange | None:
    if list(old) == list(new):
        return None
    return FieldChange(field=field, old=list(old), new=list(new),
                       added=[x for x in new if x not in old], removed=[x for x in old if x not in new])


def _scalar_change(field: str, old: Any, new: Any) -> FieldChange | None:
    return None if old == new else FieldChange(field=field, old=old, new=new)


def _kept(changes: Iterable[FieldChange | None]) -> list[FieldChange]:
    return [c for c in changes if c is not None]


# ---------------------------------------------------------------- programmes

def _budget_by_year(programmes: Iterable[Programme]) -> tuple[dict[int, int], dict[int, list[str]]]:
    amounts: dict[int, int] = defaultdict(int)
    sources: dict[int, list[str]] = defaultdict(list)
    for p in programmes:
        for b in p.budget:
            amounts[b.year] += b.amount
            if b.source not in sources[b.year]:
                sources[b.year].append(b.source)
    return amounts, sources


def _budget_years(old: Iterable[Programme], new: Iterable[Programme], all_years: bool) -> list[BudgetYear]:
    old_amounts, old_sources = _budget_by_year(old)
    new_amounts, new_sources = _budget_by_year(new)
    rows = []
    for year in sorted(set(old_amounts) | set(new_amounts)):
        row = BudgetYear(year=year, old=old_amounts.get(year), new=new_amounts.get(year),
                         old_sources=sorted(old_sources.get(year, [])), new_sources=sorted(new_sources.get(year, [])))
        if all_years or row.old != row.new or row.old_sources != row.new_sources:
            rows.append(row)
    return rows


def _budget_change(old: Programme, new: Programme) -> BudgetChange | None:
    years = _budget_years([old], [new], all_years=False)
    if not years:
        return None
    return BudgetChange(years=years, old_total=old.total_budget, new_total=new.total_budget)


def _year_values(old: dict[int, float], new: dict[int, float]) -> list[YearValue]:
    return [YearValue(year=y, old=number(old.get(y)), new=number(new.get(y)))
            for y in sorted(set(old) | set(new)) if old.get(y) != new.get(y)]


def _baseline(kpi: Kpi) -> dict[str, Any] | None:
    if kpi.baseline is None:
        return None
    return {"year": kpi.baseline.year, "value": number(kpi.baseline.value)}


def _kpi_changes(old: list[Kpi], new: list[Kpi]) -> list[KpiChange]:
    before = {k.indicator: k for k in old}
    after = {k.indicator: k for k in new}
    out: list[KpiChange] = []
    for kpi in new:
        prev = before.get(kpi.indicator)
        if prev is None:
            out.append(KpiChange(indicator=kpi.indicator, change="added", unit=kpi.unit,
                                 targets=_year_values({}, kpi.targets), actuals=_year_values({}, kpi.actuals)))
            continue
        fields = _kept([_scalar_change("unit", prev.unit, kpi.unit),
                        _scalar_change("direction", prev.direction, kpi.direction),
                        _scalar_change("baseline", _baseline(prev), _baseline(kpi))])
        targets, actuals = _year_values(prev.targets, kpi.targets), _year_values(prev.actuals, kpi.actuals)
        if fields or targets or actuals:
            out.append(KpiChange(indicator=kpi.indicator, change="changed", unit=kpi.unit,
                                 fields=fields, targets=targets, actuals=actuals))
    out.extend(KpiChange(indicator=k.indicator, change="removed", unit=k.unit,
                         targets=_year_values(k.targets, {}), actuals=_year_values(k.actuals, {}))
               for k in old if k.indicator not in after)
    return out


def _programme_entry(p: Programme) -> ProgrammeEntry:
    return ProgrammeEntry(id=p.id, title=p.title, pillar=p.pillar, element=p.element, lead=p.lead,
                          status=p.status, years=list(p.years), quick_win=p.quick_win, budget_total=p.total_budget)


def _programme_change(old: Programme, new: Programme) -> ProgrammeChange | None:
    fields = _kept(
        [_scalar_change(f, getattr(old, f), getattr(new, f)) for f in SCALAR_FIELDS]
        + [_list_change(f, getattr(old, f), getattr(new, f)) for f in LIST_FIELDS]
        + [_text_change(f, getattr(old, f), getattr(new, f)) for f in TEXT_FIELDS]
    )
    budget = _budget_change(old, new)
    kpis = _kpi_changes(old.kpis, new.kpis)
    moved = old.pillar if old.pillar != new.pillar else None
    if not (fields or budget or kpis or moved):
        return None
    return ProgrammeChange(id=new.id, title=new.title, pillar=new.pillar, moved_from=moved,
                           fields=fields, budget=budget, kpis=kpis)


def compare_programmes(old: Project, new: Project) -> ProgrammeChanges:
    out = ProgrammeChanges()
    for p in new.programmes:
        prev = old.programme(p.id)
        if prev is None:
            out.added.append(_programme_entry(p))
        elif (change := _programme_change(prev, p)) is not None:
            out.changed.append(change)
    out.removed = [_programme_entry(p) for p in old.programmes if new.programme(p.id) is None]
    return out


# ---------------------------------------------------------------- chapters, pillars, volumes, OPD

def _by_id(old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], str], entry: Callable[[Any], TextEntry],
           change: Callable[[Any, Any], list[FieldChange]], title: Callable[[Any], str]) -> ItemChanges:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    out = ItemChanges()
    for item_id, item in after.items():
        if item_id not in before:
            out.added.append(entry(item))
        elif fields := change(before[item_id], item):
            out.changed.append(ItemChange(id=item_id, title=title(item), fields=fields))
    out.removed = [entry(x) for item_id, x in before.items() if item_id not in after]
    return out


def _chapter_fields(old: Chapter, new: Chapter) -> list[FieldChange]:
    return _kept([_scalar_change("title", old.title, new.title), _scalar_change("front", old.front, new.front),
                  _text_change("body", old.doc.text, new.doc.text)])


def compare_chapters(old: Project, new: Project) -> ItemChanges:
    return _by_id(sorted(old.chapters.values(), key=lambda c: c.id), sorted(new.chapters.values(), key=lambda c: c.id),
                  lambda c: c.id, lambda c: TextEntry(id=c.id, title=c.title, words=len(c.doc.text.split())),
                  _chapter_fields, lambda c: c.title)


def _narrative(pillar: Pillar) -> str | None:
    chapter = pillar.narrative
    return chapter.doc.text if isinstance(chapter, Chapter) else None


def _pillar_fields(old: Pillar, new: Pillar) -> list[FieldChange]:
    def elements(p: Pillar) -> list[str]:
        return [f"{e.id}: {e.name}" for e in p.elements]

    return _kept([
        _scalar_change("name", old.name, new.name),
        _scalar_change("short", old.short, new.short),
        _list_change("aliases", old.aliases, new.aliases),
        _text_change("definition", old.definition, new.definition),
        _list_change("elements", elements(old), elements(new)),
        _text_change("narrative", _narrative(old), _narrative(new)),
    ])


def compare_pillars(old: Project, new: Project) -> ItemChanges:
    return _by_id(old.pillars, new.pillars, lambda p: p.id, lambda p: TextEntry(id=p.id, title=p.name),
                  _pillar_fields, lambda p: p.name)


def content_label(item: Any) -> str:
    """A volume's content item as one string: ``roadmap``, ``achievement year=2024``."""
    if isinstance(item, str):
        return item
    options = " ".join(f"{k}={v}" for k, v in item.model_dump(exclude_none=True).items() if k != "id")
    return f"{item.id} {options}".strip()


def _volume_fields(old: Volume, new: Volume) -> list[FieldChange]:
    return _kept([
        _scalar_change("title", old.title, new.title),
        _scalar_change("subtitle", old.subtitle, new.subtitle),
        _scalar_change("paper", old.paper, new.paper),
        _list_change("contents", [content_label(c) for c in old.contents], [content_label(c) for c in new.contents]),
    ])


def _volumes(project: Project) -> list[Volume]:
    return project.loaded_edition.volumes if project.loaded_edition else []


def compare_volumes(old: Project, new: Project) -> ItemChanges:
    return _by_id(_volumes(old), _volumes(new), lambda v: v.id, lambda v: TextEntry(id=v.id, title=v.title),
                  _volume_fields, lambda v: v.title)


def compare_opd(old: Project, new: Project) -> ItemChanges:
    return _by_id(old.opds, new.opds, lambda o: o.id, lambda o: TextEntry(id=o.id, title=o.name),
                  lambda a, b: _kept([_scalar_change(f, getattr(a, f), getattr(b, f))
                                      for f in ("name", "abbr", "kind")]),
                  lambda o: o.name)


# ---------------------------------------------------------------- the edition

def period(edition: Edition | None) -> str:
    return f"{edition.period.start}–{edition.period.end}" if edition else ""


def compare_edition(old: Edition, new: Edition) -> list[FieldChange]:
    scalars = ("city", "title", "subtitle", "province", "publisher", "version", "published", "notice")
    return _kept(
        [_scalar_change(f, getattr(old, f), getattr(new, f)) for f in scalars[:3]]
        + [_scalar_change("period", period(old), period(new))]
        + [_scalar_change(f, getattr(old, f), getattr(new, f)) for f in scalars[3:]]
        + [_scalar_change("licence", old.licence.model_dump(), new.licence.model_dump()),
           _text_change("vision", old.vision, new.vision),
           _list_change("missions", old.missions, new.missions)]
    )


# ---------------------------------------------------------------- all of it

def _side(project: Project, label: str, revision: str | None) -> SideInfo:
    edition = project.loaded_edition
    return SideInfo(label=label, revision=revision, title=edition.title if edition else "",
                    version=edition.version if edition else None, period=period(edition),
                    programmes=len(project.programmes), budget_total=sum(p.total_budget for p in project.programmes))


def compare(old: Project, new: Project, old_label: str = "old", new_label: str = "new",
            old_revision: str | None = None, new_revision: str | None = None) -> Changes:
    """Everything that differs between two projects loaded without errors."""
    assert old.loaded_edition is not None and new.loaded_edition is not None, "compare needs two loaded editions"
    programmes = compare_programmes(old, new)
    chapters, volumes = compare_chapters(old, new), compare_volumes(old, new)
    pillars, opd = compare_pillars(old, new), compare_opd(old, new)
    edition = compare_edition(old.edition, new.edition)
    summary = Summary(
        programmes_added=len(programmes.added), programmes_removed=len(programmes.removed),
        programmes_moved=sum(1 for c in programmes.changed if c.moved_from),
        programmes_changed=len(programmes.changed),
        chapters_added=len(chapters.added), chapters_removed=len(chapters.removed),
        chapters_changed=len(chapters.changed),
        volumes_added=len(volumes.added), volumes_removed=len(volumes.removed), volumes_changed=len(volumes.changed),
        pillars_changed=len(pillars.added) + len(pillars.removed) + len(pillars.changed),
        opd_changed=len(opd.added) + len(opd.removed) + len(opd.changed),
        edition_changed=len(edition),
    )
    return Changes(
        old=_side(old, old_label, old_revision), new=_side(new, new_label, new_revision), summary=summary,
        edition=edition, programmes=programmes,
        budget_by_year=_budget_years(old.programmes, new.programmes, all_years=True),
        chapters=chapters, volumes=volumes, pillars=pillars, opd=opd,
    )
