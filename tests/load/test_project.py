"""Loading a project: what the validator refuses before any renderer sees it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from conftest import edit, line_of
from masterplan_kit.model.base import is_slug
from masterplan_kit.pipeline import load_and_check

PW = "pillars/governance/programmes/portal-warga.yml"
PROFIL = "masterplan/chapters/profil.md"


def problems(root: Path, code: str | None = None) -> list[tuple[str, int, str, str]]:
    _, report = load_and_check(root)
    return [(d.path, d.line, d.code, d.message) for d in report.errors() if code is None or d.code == code]


@pytest.mark.parametrize("folder", ["pillars/luar", "pillars/governance/programmes", "masterplan/chapters", "pillars"])
def test_a_folder_linked_outside_the_project_is_refused(small: Path, tmp_path: Path, folder: str):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "pillar.yml").write_text((small / "pillars/governance/pillar.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "rahasia.yml").write_text((small / PW).read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "rahasia.md").write_text("---\ntitle: Rahasia\n---\nIsi rahasia.\n", encoding="utf-8")
    target = small / folder
    if target.exists():
        import shutil

        shutil.rmtree(target)
    target.symlink_to(outside, target_is_directory=True)
    project, report = load_and_check(small)
    assert (folder, 1, "E011") in [(d.path, d.line, d.code) for d in report.errors()], report.to_text()
    assert project.programme("rahasia") is None and "rahasia" not in project.chapters


def test_a_file_in_a_linked_folder_deeper_down_is_refused(small: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "rahasia.yml").write_text((small / PW).read_text(encoding="utf-8"), encoding="utf-8")
    (small / "pillars/governance/programmes/rahasia.yml").symlink_to(outside / "rahasia.yml")
    assert [(p[0], p[2]) for p in problems(small, "E011")] == [("pillars/governance/programmes/rahasia.yml", "E011")]


def test_a_link_inside_the_project_is_read(small: Path):
    (small / "pillars/governance/programmes/salinan.yml").symlink_to(small / PW)
    assert problems(small, "E011") == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_read(small: Path):
    os.mkfifo(small / "pillars/governance/programmes/pipa.yml")
    os.mkfifo(small / "masterplan/chapters/pipa.md")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(problems(small, "E011")), daemon=True)
    worker.start()
    worker.join(20)
    assert result, "validate blocked on a FIFO"
    assert sorted(p[0] for p in result[0]) == ["masterplan/chapters/pipa.md", "pillars/governance/programmes/pipa.yml"]
    assert all("regular file" in p[3] for p in result[0])


@pytest.mark.parametrize("old,new,code,needle", [
    ("quick_win: true", "quick_win: yes", "E103", "quick_win:"),
    ("quick_win: true", "quick_win: on", "E103", "quick_win:"),
    ("amount: 500000000", "amount: 1:30", "E304", "1:30"),
    ("amount: 500000000", "amount: 0x1DCD6500", "E304", "0x1DCD6500"),
    ("amount: 500000000", "amount: 0755", "E304", "0755"),
    ("amount: 500000000", "amount: 1_000", "E304", "1_000"),
    ("amount: 500000000", "amount: 1000000000000000000000000000000000000000000000000", "E304", "amount: 1000"),
    ("realised: 450000000", "realised: 100000000000001", "E304", "realised: 1"),
    ("2024: 40, 2025: 60", "2024: .nan, 2025: .inf", "E103", "2024: .nan"),
    ("2024: 40, 2025: 60", "2024: 1e999, 2025: 60", "E107", "2024: 1e999"),
    ("2024: 40, 2025: 60", "2024: 10000000000000001, 2025: 60", "E107", "2024: 1000"),
    ("value: 20}", "value: -.inf}", "E103", "value: -.inf"),
])
def test_values_a_yaml_1_1_reader_or_a_typo_would_misread_are_errors(small: Path, old: str, new: str, code: str,
                                                                      needle: str):
    edit(small, PW, old, new)
    found = problems(small, code)
    assert (PW, line_of(small, PW, needle)) in [(p[0], p[1]) for p in found], problems(small)


def test_the_bounds_themselves_are_accepted(small: Path):
    edit(small, PW, "amount: 500000000", "amount: 100000000000000")
    edit(small, PW, "2024: 40, 2025: 60", "2024: -1000000000000000, 2025: 1000000000000000")
    assert problems(small) == []


@pytest.mark.parametrize("where,old,new", [
    (PW, "title: Portal Warga", 'title: "Portal\\x1b[31m Warga"'),
    (PW, "summary: Satu pintu layanan daring bagi warga kota.", 'summary: "Satu\\u202epintu"'),
    (PW, "  Portal Warga menyatukan", "  Portal Warga \u202emenyatukan"),  # raw, in a block scalar
    (PROFIL, "title:", "title: \"Profil\\0\"\nsubtitle:"),
])
def test_control_characters_in_text_are_errors(small: Path, where: str, old: str, new: str):
    if "subtitle" in new and "subtitle:" in (small / where).read_text(encoding="utf-8"):
        new = new.replace("\nsubtitle:", "\nsummary:")
    edit(small, where, old, new)
    found = problems(small, "E107")
    assert [p[0] for p in found] == [where], problems(small)
    assert "control character" in found[0][3]


def test_a_control_character_in_a_chapter_body_is_located(small: Path):
    text = (small / PROFIL).read_text(encoding="utf-8")
    (small / PROFIL).write_text(text + "\nAkhir\x1b]8;;http://evil\x07 bab.\n", encoding="utf-8")
    found = problems(small, "E107")
    assert [(p[0], p[1]) for p in found] == [(PROFIL, line_of(small, PROFIL, "Akhir"))]


@pytest.mark.parametrize("kind", ["opd", "programme", "chapter"])
def test_ids_of_generated_pages_are_reserved(small: Path, kind: str):
    if kind == "opd":
        edit(small, "masterplan/opd.yml", "- id: bappeda", "- id: index")
        edit(small, PW, "partners: [bappeda]", "partners: [index]")
    elif kind == "programme":
        (small / "pillars/governance/programmes/index.yml").write_text((small / PW).read_text(encoding="utf-8"),
                                                                       encoding="utf-8")
    else:
        (small / "masterplan/chapters/index.md").write_text("---\ntitle: Indeks\n---\nIsi.\n", encoding="utf-8")
    assert [p[2] for p in problems(small, "E108")] == ["E108"]


@pytest.mark.parametrize("name", ["abc\n", "abc\r", "abc ", "Abc", "a--b", "-a", ""])
def test_slugs_are_whole_matches(name: str):
    assert not is_slug(name)


def test_a_file_name_with_a_line_end_is_no_id(small: Path):
    (small / "masterplan/chapters/abc\n.md").write_text("---\ntitle: Abc\n---\nIsi.\n", encoding="utf-8")
    assert [p[2] for p in problems(small, "E106")] == ["E106"]
