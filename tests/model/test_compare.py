from pathlib import Path

import pytest

from diff.planted import (
    ADDED,
    BUDGET,
    CHAPTER,
    EXTRA_AMOUNT,
    KPI,
    MOVED,
    REMOVED,
    STATUS,
    VOLUME,
    plant,
    write_base,
)
from masterplan_kit.model.compare import compare, word_changes
from masterplan_kit.pipeline import load_and_check


def load(root: Path):
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    return project


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    base = tmp_path_factory.mktemp("editions")
    old = load(write_base(base / "old"))
    new = load(plant(write_base(base / "new")))
    return old, new


def test_word_changes_counts_words_not_lines():
    assert word_changes("satu dua tiga", "satu dua tiga") == (0, 0)
    assert word_changes("satu dua tiga", "satu dua\ntiga empat lima") == (2, 0)
    assert word_changes("satu dua tiga", "satu TIGA") == (1, 2)
    assert word_changes(None, "dua kata") == (2, 0)
    assert word_changes("dua kata", "") == (0, 2)


def test_reports_exactly_the_planted_changes(editions):
    old, new = editions
    c = compare(old, new, "lama", "baru")
    assert [p.id for p in c.programmes.added] == [ADDED]
    assert [p.id for p in c.programmes.removed] == [REMOVED]
    changed = {p.id: p for p in c.programmes.changed}
    assert set(changed) == {MOVED, BUDGET, KPI, STATUS}

    moved = changed[MOVED]
    assert (moved.moved_from, moved.pillar) == ("living", "society")
    assert [(f.field, f.old, f.new) for f in moved.fields] == [("element", "tata-ruang", "interaksi-masyarakat")]
    assert moved.budget is None and moved.kpis == []

    budget = changed[BUDGET]
    assert budget.fields == [] and budget.kpis == [] and budget.moved_from is None
    assert budget.budget is not None and len(budget.budget.years) == 1
    year = budget.budget.years[0]
    assert year.delta == EXTRA_AMOUNT
    assert budget.budget.new_total - budget.budget.old_total == EXTRA_AMOUNT
    assert year.old == sum(b.amount for b in old.programme(BUDGET).budget if b.year == year.year)

    kpi = changed[KPI]
    assert kpi.fields == [] and kpi.budget is None
    assert len(kpi.kpis) == 1 and kpi.kpis[0].change == "changed"
    assert [(v.old, v.new) for v in kpi.kpis[0].targets] == [(10, 15)]
    assert kpi.kpis[0].targets[0].year == min(old.programme(KPI).kpis[0].targets)
    assert kpi.kpis[0].actuals == []

    status = changed[STATUS]
    assert [(f.field, f.old, f.new) for f in status.fields] == [("status", "planned", "dropped")]

    assert [ch.id for ch in c.chapters.changed] == [CHAPTER]
    assert c.chapters.added == [] and c.chapters.removed == []
    body = c.chapters.changed[0].fields
    assert [(f.field, f.words_added, f.words_removed) for f in body] == [("body", 6, 1)]

    assert [v.id for v in c.volumes.changed] == [VOLUME]
    contents = c.volumes.changed[0].fields
    assert [(f.field, f.added, f.removed) for f in contents] == [("contents", ["kpis"], ["roadmap"])]

    assert c.edition == [] and not (c.pillars.added or c.pillars.removed or c.pillars.changed)
    assert not (c.opd.added or c.opd.removed or c.opd.changed)
    s = c.summary
    assert (s.programmes_added, s.programmes_removed, s.programmes_moved, s.programmes_changed) == (1, 1, 1, 4)
    assert (s.chapters_changed, s.volumes_changed, s.edition_changed) == (1, 1, 0)


def test_overall_budget_by_year_adds_up(editions):
    old, new = editions
    c = compare(old, new)
    assert sum(y.old or 0 for y in c.budget_by_year) == c.old.budget_total
    assert sum(y.new or 0 for y in c.budget_by_year) == c.new.budget_total
    # added 2.000.000.000, removed 250.000.000, one budget raised
    assert c.new.budget_total - c.old.budget_total == 2_000_000_000 - 250_000_000 + EXTRA_AMOUNT
    assert (c.old.programmes, c.new.programmes) == (13, 13)


def test_an_edition_against_itself_is_empty(editions):
    old, _ = editions
    c = compare(old, old)
    assert c.empty and c.programmes.changed == [] and c.budget_by_year


def test_kpis_match_by_indicator_not_position(editions):
    old, _ = editions
    p = old.programme(KPI)
    twin = p.model_copy(update={"kpis": [*p.kpis, p.kpis[0].model_copy(update={"indicator": "Indikator kedua"})]})
    swapped = twin.model_copy(update={"kpis": list(reversed(twin.kpis))})
    from masterplan_kit.model.compare import _kpi_changes

    assert _kpi_changes(twin.kpis, swapped.kpis) == []
    changes = _kpi_changes(p.kpis, twin.kpis)
    assert [(k.indicator, k.change) for k in changes] == [("Indikator kedua", "added")]


def test_edition_fields_missions_and_vision(editions):
    from masterplan_kit.model.compare import compare_edition

    old, _ = editions
    e = old.edition
    new = e.model_copy(update={"title": "Masterplan Baru", "vision": e.vision + " Dan maju.",
                               "missions": [*e.missions[1:], "Misi ketiga."]})
    fields = {f.field: f for f in compare_edition(e, new)}
    assert set(fields) == {"title", "vision", "missions"}
    assert (fields["vision"].words_added, fields["vision"].words_removed) == (2, 0)
    assert fields["missions"].added == ["Misi ketiga."] and fields["missions"].removed == [e.missions[0]]


def test_a_change_of_funding_source_alone_is_reported(editions):
    from masterplan_kit.model.compare import _programme_change

    old, _ = editions
    p = old.programme(BUDGET)
    first = p.budget[0]
    other = "CSR" if first.source != "CSR" else "DAK"
    changed = p.model_copy(update={"budget": [first.model_copy(update={"source": other}), *p.budget[1:]],
                                   "kpis": []})
    change = _programme_change(p, changed)
    assert change is not None and change.budget is not None
    [year] = change.budget.years
    assert (year.year, year.delta, year.old_sources, year.new_sources) == (first.year, 0, [first.source], [other])
    assert [(k.indicator, k.change) for k in change.kpis] == [(p.kpis[0].indicator, "removed")]
