"""The embedded Samarinda masterplan: complete, valid, and faithful to the public record."""

import re
from collections import Counter

import pytest

from conftest import REPO
from masterplan_kit.model.dataviews import select
from masterplan_kit.model.evaluation import BANDS
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
    assert list(volumes) == ["buku-1", "buku-2", "buku-saku", "laporan-capaian"]
    assert volumes["buku-1"].title == "Buku 1: Analisis Strategis"
    assert volumes["buku-2"].title == "Buku 2: Masterplan Smart City"
    assert volumes["buku-saku"].paper == "A5"
    assert project.edition.period.start == 2023 and project.edition.period.end == 2025


def test_laporan_capaian_reports_2024(loaded):
    project, _ = loaded
    volume = next(v for v in project.edition.volumes if v.id == "laporan-capaian")
    assert volume.items == ["pengantar-capaian", "achievement"]
    assert volume.section("achievement").year == 2024
    assert "2024" in (volume.subtitle or "")
    intro = _chapter_text("pengantar-capaian")
    for band in [*BANDS.values(), "91%", "76%", "66%", "51%"]:  # named as the generated tables name them
        assert band in intro, band
    assert 300 <= _words(intro) <= 600


def test_imprint_and_unsigned_signature(loaded):
    project, _ = loaded
    edition = project.edition
    assert edition.version and edition.published and edition.site_url
    assert edition.licence.content == "CC-BY-4.0" and edition.licence.data == "CC-BY-4.0"
    signature = edition.signature
    assert signature.place == "Samarinda" and signature.office == "Wali Kota Samarinda" and signature.date
    assert not signature.name and not signature.nip  # an illustrative draft carries no real person's name


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
    used = {item for v in project.edition.volumes for item in v.items}
    assert "pillars" in used and "programme-matrix" in used


def test_quick_win_view_selects_quick_wins(loaded):
    project, _ = loaded
    chosen = select(project, {"pillar": "governance"}, "quick-wins")
    assert chosen and all(p.quick_win and p.pillar == "governance" for p in chosen)


CHAPTERS = REPO / "masterplan" / "chapters"
NARRATIVES = sorted(CHAPTERS.glob("*.md")) + sorted((REPO / "pillars").glob("*/index.md"))
WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
KECAMATAN = {"Palaran", "Samarinda Ilir", "Samarinda Kota", "Sambutan", "Samarinda Seberang", "Loa Janan Ilir",
             "Sungai Kunjang", "Samarinda Ulu", "Samarinda Utara", "Sungai Pinang"}


def _all_text() -> str:
    return "\n".join(f.read_text(encoding="utf-8") for f in NARRATIVES)


def _body(text: str) -> str:
    """The Markdown after the front matter."""
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def _chapter_text(chapter_id: str) -> str:
    return _body((CHAPTERS / f"{chapter_id}.md").read_text(encoding="utf-8"))


def _words(markdown: str) -> int:
    """Words a reader reads: no data-view fences, link targets or image paths."""
    text = re.sub(r"^:::.*$", "", markdown, flags=re.M)
    text = re.sub(r"\]\((?:programme|pillar|chapter|opd):[^)]*\)", "]", text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return len(WORD.findall(text))


def _volume_chapters(project, volume_id: str) -> list[str]:
    volume = next(v for v in project.edition.volumes if v.id == volume_id)
    return [c for c in volume.items if c in project.chapters]


def test_buku_1_is_a_full_analysis(loaded):
    project, _ = loaded
    chapters = _volume_chapters(project, "buku-1")
    assert "evaluasi-periode-sebelumnya" in chapters
    total = sum(_words(_chapter_text(c)) for c in chapters)
    assert total >= 8000, total


def test_buku_2_narrative_is_substantial(loaded):
    project, _ = loaded
    total = sum(_words(_chapter_text(c)) for c in _volume_chapters(project, "buku-2"))
    total += sum(_words(f.read_text(encoding="utf-8")) for f in sorted((REPO / "pillars").glob("*/index.md")))
    assert total >= 4000, total


def test_pillar_narratives_give_direction_per_element(loaded):
    project, _ = loaded
    for pillar in project.pillars:
        text = (REPO / "pillars" / pillar.id / "index.md").read_text(encoding="utf-8")
        for heading in ["## Kondisi Saat Ini", "## Strategi", "## Arah Kebijakan per Elemen"]:
            assert heading in text, (pillar.id, heading)
        for element in pillar.elements:
            assert f"### {element.name}\n" in text, (pillar.id, element.name)


def test_no_placeholder_text():
    pattern = re.compile(r"lorem|xxx|\bTODO\b|\bTBD\b|…\s*isi\s*…|\.\.\.\s*isi\s*\.\.\.", re.I)
    files = [f for d in ("masterplan", "pillars") for f in sorted((REPO / d).rglob("*"))
             if f.suffix in {".md", ".yml", ".svg"}]
    assert files
    for f in files:
        found = pattern.search(f.read_text(encoding="utf-8"))
        assert found is None, f"{f.relative_to(REPO)}: {found.group(0)!r}"


def test_only_samarinda_kecamatan_are_named():
    sources = [*NARRATIVES, REPO / "masterplan" / "masterplan.yml"]
    space = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # a name may wrap onto the next line, not into the next paragraph
    named = re.compile(rf"\b[Kk]ecamatan{space}([A-Z][a-z]+(?:{space}[A-Z][a-z]+)*)")
    directions = "Ilir|Kota|Seberang|Ulu|Utara|Barat|Timur|Selatan|Tengah|Hulu|Hilir"
    district = re.compile(rf"\bSamarinda{space}(?:{directions})\b")
    for f in sources:
        text = f.read_text(encoding="utf-8")
        for m in named.finditer(text):
            name = " ".join(m.group(1).split())
            assert any(name == k or name.startswith(k + " ") for k in KECAMATAN), (f.name, m.group(0))
        for m in district.finditer(text):
            assert " ".join(m.group(0).split()) in KECAMATAN, (f.name, m.group(0))


def test_kecamatan_registry_is_the_ten(loaded):
    project, _ = loaded
    names = {o.name.removeprefix("Kecamatan ") for o in project.opds if o.kind == "kecamatan"}
    assert names == KECAMATAN


def test_reader_text_speaks_of_the_city_not_the_toolkit():
    tooling = re.compile(r"repositori|`|\bgit\b|\.ya?ml\b|\b(?:JSON|CSV|YAML|Markdown|pandoc|MkDocs|WeasyPrint)\b"
                         r"|\bmasterplan (?:validate|build|serve|schema|new|doctor|report|sheet|diff|init)\b", re.I)
    for f in NARRATIVES:
        found = tooling.search(_body(f.read_text(encoding="utf-8")))
        assert found is None, f"{f.relative_to(REPO)}: {found.group(0)!r}"


def test_no_editor_notes_for_readers():
    notes = re.compile(r"perlu dicocokkan|belum terverifikasi|belum diverifikasi|catatan penyunting", re.I)
    for f in [*NARRATIVES, REPO / "masterplan" / "masterplan.yml"]:
        found = notes.search(f.read_text(encoding="utf-8"))
        assert found is None, f"{f.relative_to(REPO)}: {found.group(0)!r}"


def test_annex_referred_to_only_where_there_is_one(loaded):
    project, _ = loaded
    for volume in project.edition.volumes:
        if "programme-matrix" in volume.items:
            continue
        for cid in _volume_chapters(project, volume.id):
            stray = re.search(r"lampiran(?!\s+Buku\s+\d)", _chapter_text(cid), re.I)
            assert stray is None, (volume.id, cid)


VIEW = re.compile(r"^:::+\s*\{\.([a-z-]+)([^}]*)\}", re.M)
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def test_each_data_view_once_per_volume(loaded):
    project, _ = loaded
    for volume in project.edition.volumes:
        seen: dict[tuple, str] = {}
        for cid in _volume_chapters(project, volume.id):
            for kind, attrs in VIEW.findall(_chapter_text(cid)):
                if kind in {"roadmap", "quick-wins", "kpis"}:  # the same view as the generated section
                    assert kind not in volume.items, f"{volume.id}: {cid} repeats the {kind} section"
                key = (kind,) if kind in {"budget", "pillars"} else (kind, tuple(sorted(attrs.split())))
                assert key not in seen, f"{volume.id}: {cid} repeats a view of {seen.get(key)}"
                seen[key] = cid


def test_figures_drawn_from_the_profile():
    images = IMAGE.findall(_chapter_text("profil-kota"))
    assert len(images) >= 2
    for url in images:
        svg = (CHAPTERS / url).resolve()
        assert svg.suffix == ".svg" and svg.is_file(), url
        assert "<title" in svg.read_text(encoding="utf-8")


def _legal_rank(item: str) -> int:
    ranks = [("Undang-Undang Dasar", 0), ("Undang-Undang", 1), ("Peraturan Pemerintah Pengganti", 1),
             ("Peraturan Pemerintah", 2), ("Peraturan Presiden", 3), ("Peraturan Menteri", 4),
             ("Peraturan Daerah Provinsi", 5), ("Peraturan Daerah Kota", 6), ("Peraturan Wali Kota", 7)]
    matches = [(len(prefix), rank) for prefix, rank in ranks if item.startswith(prefix)]
    assert matches, item
    return max(matches)[1]


def test_legal_bases_follow_the_hierarchy():
    text = _chapter_text("pendahuluan")
    section = text.split("## Dasar Hukum", 1)[1].split("\n## ", 1)[0]
    items = [" ".join(m.split()) for m in re.findall(r"^\d+\. (.+?)(?=^\d+\. |\Z)", section, re.M | re.S)]
    assert len(items) >= 15
    order = []
    for item in items:
        year = int(re.search(r"Tahun (\d{4})", item).group(1))
        number = re.search(r"Nomor (\d+)", item)
        order.append((_legal_rank(item), year, int(number.group(1)) if number else 0))
    assert order == sorted(order), items
    assert "Buku Panduan" not in section
    assert "Buku Panduan Penyusunan Masterplan Smart City" in text.split("## Referensi", 1)[1]


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
