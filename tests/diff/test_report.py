"""The outputs of a comparison, on the default masterplan and an edited copy of it."""

from pathlib import Path

import pytest

from conftest import REPO, copy_project, edit
from masterplan_kit.diff.report import md, names, render, rupiah_delta, value, wrap, years
from masterplan_kit.model.compare import compare
from masterplan_kit.pipeline import load_and_check

EK = "pillars/governance/programmes/e-kelurahan.yml"
LONG_TITLE = "e-Kelurahan | Layanan *Surat* Pengantar <Daring> " + "dan Administrasi Kependudukan " * 4


def load(root: Path):
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    return project


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    old = load(REPO)
    root = copy_project(tmp_path_factory.mktemp("edited") / "project")
    edit(root, EK, "title: e-Kelurahan", f"title: {LONG_TITLE.strip()}")
    edit(root, EK, "partners: [disdukcapil, setda]", "partners: [disdukcapil, bapperida]")
    edit(root, "masterplan/masterplan.yml", "version: Draf 2", "version: Revisi 1")
    edit(root, "masterplan/masterplan.yml", "Memperkuat citra Samarinda", "Mempromosikan citra Samarinda")
    edit(root, "pillars/governance/pillar.yml", "name: Smart Governance", "name: Smart Government")
    edit(root, "masterplan/opd.yml", "name: Dinas Komunikasi dan Informatika", "name: Dinas Kominfo")
    return old, load(root)


def test_text_stays_within_100_columns(pair):
    old, new = pair
    out = render(compare(old, new), "text", names(old, new), REPO)
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "  e-kelurahan — e-Kelurahan | Layanan *Surat* Pengantar <Daring> dan Administrasi" in out
    assert "      + bapperida" in out and "      − setda" in out
    assert "  version: \"Draf 2\" → \"Revisi 1\"" in out
    assert '    name: "Smart Governance" → "Smart Government"' in out


def test_markdown_escapes_source_text_and_names_agencies(pair):
    old, new = pair
    out = render(compare(old, new), "markdown", names(old, new), REPO)
    assert "### e-Kelurahan \\| Layanan \\*Surat\\* Pengantar \\<Daring\\> dan Administrasi" in out
    assert "- **OPD mitra**: ditambah Bapperida; dihapus Setda" in out
    assert "- **Versi**: «Draf 2» menjadi «Revisi 1»" in out
    assert "- **Misi**: ditambah «Mempromosikan citra Samarinda" in out
    assert "- **Nama**: «Smart Governance» menjadi «Smart Government»" in out
    assert "## Perubahan pilar" in out and "## Perubahan OPD" in out
    assert "Perubahan dari edisi **old** (Draf 2) ke edisi **new** (Revisi 1)" in out


def test_a_project_can_override_the_templates(pair, tmp_path: Path):
    old, new = pair
    (tmp_path / "templates" / "diff").mkdir(parents=True)
    (tmp_path / "templates" / "diff" / "text.txt.j2").write_text(
        "{{ c.summary.programmes_changed }} program berubah\n", encoding="utf-8")
    assert render(compare(old, new), "text", names(old, new), tmp_path) == "1 program berubah\n"


def test_filters():
    assert wrap("satu dua tiga empat", indent=2, hang=2, width=12) == "  satu dua\n    tiga\n    empat"
    assert wrap("anggaran Rp 750.000", width=12) == "anggaran\n  Rp 750.000"
    assert value(None) == value([]) == "–" and value([2023, 2024]) == "2023, 2024" and value(86.5) == "86,5"
    assert rupiah_delta(1_500_000) == "+Rp 1.500.000" and rupiah_delta(-250) == "−Rp 250"
    assert years([2023, 2024, 2025]) == "2023–2025" and years([2023, 2025]) == "2023, 2025"
    assert md("a_b *c* [d](e) | f") == "a\\_b \\*c\\* \\[d\\](e) \\| f"
