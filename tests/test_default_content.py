"""The embedded Samarinda masterplan: complete, valid, and faithful to the public record."""

from collections import Counter

import pytest

from conftest import REPO
from masterplan_kit.model.dataviews import select
from masterplan_kit.pipeline import load_and_check


@pytest.fixture(scope="module")
def loaded():
    return load_and_check(REPO)


def test_strictly_valid(loaded):
    _, report = loaded
    assert report.items == [], report.to_text()


def test_volumes(loaded):
    project, _ = loaded
    volumes = {v.id: v for v in project.edition.volumes}
    assert list(volumes) == ["buku-1", "buku-2", "buku-saku"]
    assert volumes["buku-1"].title == "Buku 1: Analisis Strategis"
    assert volumes["buku-2"].title == "Buku 2: Masterplan Smart City"
    assert volumes["buku-saku"].paper == "A5"
    assert project.edition.period.start == 2023 and project.edition.period.end == 2025


def test_programme_coverage(loaded):
    project, _ = loaded
    programmes = project.programmes
    assert len(programmes) >= 60
    per_pillar = Counter(p.pillar for p in programmes)
    assert sorted(per_pillar) == sorted(p.id for p in project.pillars)
    assert min(per_pillar.values()) >= 8
    assert len({p.lead for p in programmes}) >= 15
    share = sum(p.quick_win for p in programmes) / len(programmes)
    assert 0.15 <= share <= 0.25
    for p in programmes:
        assert p.kpis and p.budget, p.id
        for k in p.kpis:
            assert k.baseline is not None and k.targets, p.id


def test_six_pillars_with_three_elements(loaded):
    project, _ = loaded
    assert [p.id for p in project.pillars] == ["governance", "branding", "economy", "living", "society", "environment"]
    assert all(len(p.elements) == 3 and p.narrative is not None for p in project.pillars)
    assert "Smart Government" in project.pillar("governance").aliases


def test_opd_registry(loaded):
    project, _ = loaded
    kinds = Counter(o.kind for o in project.opds)
    assert kinds["kecamatan"] == 10
    assert len(project.opds) - kinds["kecamatan"] >= 25


def test_every_programme_reachable_from_a_volume(loaded):
    project, _ = loaded
    used = {item for v in project.edition.volumes for item in v.contents}
    assert "pillars" in used and "programme-matrix" in used


def test_quick_win_view_selects_quick_wins(loaded):
    project, _ = loaded
    chosen = select(project, {"pillar": "governance"}, "quick-wins")
    assert chosen and all(p.quick_win and p.pillar == "governance" for p in chosen)


def _all_text() -> str:
    parts = [f.read_text(encoding="utf-8") for f in sorted((REPO / "masterplan" / "chapters").glob("*.md"))]
    parts += [f.read_text(encoding="utf-8") for f in sorted((REPO / "pillars").glob("*/index.md"))]
    return "\n".join(parts)


@pytest.mark.parametrize("fact", [
    "e-Kelurahan", "e-Warga", "jembatan", "enam pilar", "inovasi", "tanpa melibatkan pihak ketiga",
    "2017–2021", "7 Juli 2022", "86,5%", "SANTER", "TWAP", "Perwali", "Kota Pusat Peradaban",
])
def test_seed_facts_in_chapters(fact):
    assert fact.lower() in _all_text().lower()


def test_draft_notice_in_edition_and_readme(loaded):
    project, _ = loaded
    assert "bukan dokumen resmi" in project.edition.notice
    assert "not the city's official" in (REPO / "README.md").read_text(encoding="utf-8")
