"""Every diagnostic code: a source with that mistake yields that code at the right file and line.

The mistakes are made in a copy of the small fixture project (tests/fixtures/kota-contoh), so the
cases do not depend on the wording of the default content."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, edit, line_of
from masterplan_kit.errors import CODES
from masterplan_kit.pipeline import load_and_check

EK = "pillars/governance/programmes/portal-warga.yml"
OPD = "masterplan/opd.yml"
MP = "masterplan/masterplan.yml"
CH = "masterplan/chapters/profil.md"
PROGS = "pillars/environment/programmes"


@dataclass
class Case:
    code: str
    mutate: Callable[[Path], None]
    path: str
    needle: str | None  # the expected line holds this text (None: line 1)
    message: str = ""  # a fragment the message must contain


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return go


def sub(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root, rel, old, new)


def both(*fns: Callable[[Path], None]) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        for fn in fns:
            fn(root)
    return go


def _unreadable(root: Path) -> None:
    target = root / PROGS / "rusak.yml"
    target.symlink_to(target)  # a symlink to itself: exists as a name, cannot be opened


def _drop_kpis(root: Path) -> None:
    text = (root / EK).read_text(encoding="utf-8")
    text = re.sub(r"kpis:\n(  .*\n)+", "", text)
    (root / EK).write_text(text, encoding="utf-8")


def _only_pocket_book(root: Path) -> None:
    text = (root / MP).read_text(encoding="utf-8")
    head, _, _ = text.partition("  - id: buku-1")
    (root / MP).write_text(head + "  - id: buku-saku\n    title: Buku Saku\n    contents: [profil]\n", encoding="utf-8")


CASES = [
    Case("E001", write(f"{PROGS}/latin1.yml", b"title: x\nsummary: caf\xe9\n"), f"{PROGS}/latin1.yml", "summary"),
    Case("E002", write(f"{PROGS}/bom.yml", b"\xef\xbb\xbftitle: x\n"), f"{PROGS}/bom.yml", None),
    Case("E003", write(f"{PROGS}/besar.yml", "#" * (1024 * 1024 + 10) + "\n"), f"{PROGS}/besar.yml", None, "limit"),
    Case("E004", sub(EK, "years: [2024, 2025, 2026]", "years: [2024, 2025, 2026"), EK, "budget:"),
    Case("E005", sub(EK, "kind: infostruktur", "kind: !!python/object:os.system infostruktur"), EK, "kind:"),
    Case("E006", sub(EK, "kind: infostruktur", "kind: &k infostruktur"), EK, "kind:"),
    Case("E007", sub(EK, "kind: infostruktur", "kind: infostruktur\nkind: infrastruktur"), EK, "kind: infrastruktur"),
    Case("E008", lambda root: (root / OPD).unlink(), OPD, None),
    Case("E009", write(f"{PROGS}/baru.yaml", "title: x\n"), f"{PROGS}/baru.yaml", None, ".yml"),
    Case("E010", sub(CH, "---\ntitle: Profil Kota\n---\n", "# Profil Kota\n"), CH, None),
    Case("E011", _unreadable, f"{PROGS}/rusak.yml", None, "cannot read"),
    Case("E101", sub(EK, "kind: infostruktur\n", ""), EK, "title:", "kind"),
    Case("E102", sub(EK, "kind: infostruktur", "kind: infostruktur\nstatuss: done"), EK, "statuss", "did you mean 'status'"),
    Case("E103", sub(EK, "years: [2024, 2025, 2026]", "years: [2024, '2025', 2026]"), EK, "years:", "whole number"),
    Case("E104", sub(EK, "status: ongoing", "status: berjalan"), EK, "status:", "expected"),
    Case("E105", sub(EK, "partners: [bappeda]", "partners: [Bappeda]"), EK, "partners:"),
    Case("E106", write(f"{PROGS}/Program_Baru.yml", "title: x\n"), f"{PROGS}/Program_Baru.yml", None),
    Case("E107", sub(EK, "title: Portal Warga", "title: ''"), EK, "title:"),
    Case("E108", sub(OPD, "- id: dlh\n", "- id: index\n"), OPD, "- id: index", "page of its own"),
    Case("E201", sub(EK, "element: pelayanan-publik", "element: proteksi-lingkungan"), EK, "element:"),
    Case("E202", sub(EK, "lead: diskominfo", "lead: diskominf"), EK, "lead:", "did you mean 'diskominfo'"),
    Case("E203", sub(CH, "(pillar:governance)", "(programme:portal-warg)"), CH, "portal-warg)", "did you mean 'portal-warga'"),
    Case("E204", sub(EK, "related: [data-terpadu]", "related: [portal-warga]"), EK, "related:"),
    Case("E205", sub(MP, "contents: [profil, quick-wins]", "contents: [profil, quick-win]"), MP, "quick-win]"),
    Case("E206", sub(CH, "(pillar:governance)", "(pillar:governanse)"), CH, "governanse", "did you mean 'governance'"),
    Case("E207", sub(CH, "## Wilayah\n", "## Wilayah\n\nLihat [bab](chapter:profile).\n"), CH, "chapter:profile"),
    Case("E208", sub(CH, "## Wilayah\n", "## Wilayah\n\n![peta](../../../../etc/passwd)\n"), CH, "etc/passwd", "outside"),
    Case("E209", sub(CH, "{.programmes pillar=governance}", "{.programmes pilar=governance}"), CH, "pilar=", "pilar"),
    Case("E210", sub(EK, "locations: [kota-lama]", "locations: [kota-baru]"), EK, "kota-baru"),
    Case("E211", sub(CH, "## Wilayah\n", "## Wilayah\n\n::: {.roadmap}\n\nSisa bab.\n"), CH, "{.roadmap}", "not closed"),
    Case("E212", sub(CH, "## Wilayah\n", "## Wilayah\n\nAwal <style>\n\nSisa bab.\n"), CH, "<style>", "<style>"),
    Case("E213", sub(CH, "## Wilayah\n", "## Wilayah\n\n[[[[[[[[[[[[[[x]]]]]]]]]]]]]]\n"), CH, "[[[[[[", "nested"),
    Case("E301", sub(OPD, "- id: dlh\n", "- id: diskominfo\n"), OPD, "- id: diskominfo\n  name: Dinas Lingkungan Hidup"),
    Case("E302", sub(EK, "years: [2024, 2025, 2026]", "years: [2024, 2025, 2027]"), EK, "years:", "2027"),
    Case("E303", sub(EK, "baseline: {year: 2023, value: 20}", "baseline: {year: 2024, value: 20}"), EK, "value: 20}"),
    Case("E304", sub(EK, "amount: 500000000", "amount: -500000000"), EK, "-500000000"),
    Case("E305", sub(MP, "period: {start: 2024, end: 2026}", "period: {start: 2024, end: 2021}"), MP, "period:"),
    Case("E306", sub(EK, "years: [2024, 2025, 2026]", "years: [2024, 2025, 2025]"), EK, "years:"),
    Case("W401", _drop_kpis, EK, "title:"),
    Case("W402", sub(OPD, "- id: kota-lama\n", "- id: dinas-baru\n  name: Dinas Baru\n  kind: dinas\n- id: kota-lama\n"),
         OPD, "dinas-baru"),
    Case("W403", sub(EK, "summary: Satu pintu", "summary: " + "Layanan sangat panjang " * 15 + "Satu pintu"), EK, "summary:"),
    Case("W404", write("masterplan/chapters/lampiran.md", "---\ntitle: Lampiran\n---\nIsi.\n"), "masterplan/chapters/lampiran.md",
         None),
    Case("W405", _only_pocket_book, f"{PROGS}/pantau-sungai.yml", "title:"),
    Case("W406", sub(EK, "source: APBD, realised: 450000000}", "source: APBD, realised: 5000000001}"),
         EK, "5000000001", "ten times"),
    Case("W407", lambda root: shutil.copy(root / PROGS / "pantau-sungai.yml", root / PROGS / "contoh-pantau.yml"),
         f"{PROGS}/contoh-pantau.yml", "title:", "example"),
]






BUILD_CODES = {"E501"}  # reported by `masterplan build`, tested with the renderers
SHEET_CODES = {c for c in CODES if c.startswith("E6")}  # reported by `masterplan sheet import`, tested in tests/sheet


def test_every_code_has_a_case():
    assert sorted(c.code for c in CASES) == sorted(set(CODES) - BUILD_CODES - SHEET_CODES)


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_code_at_file_and_line(small: Path, case: Case):
    project = small
    case.mutate(project)
    _, report = load_and_check(project)
    found = [d for d in report.items if d.code == case.code and d.path == case.path]
    assert found, f"{case.code} not reported at {case.path}; got:\n{report.to_text()}"
    if case.needle is None:
        expected_line = 1
    else:
        expected_line = line_of(project, case.path, case.needle.split("\n")[0]) if "\n" not in case.needle else \
            _line_of_block(project / case.path, case.needle)
    assert expected_line in [d.line for d in found], report.to_text()
    assert all(d.col >= 1 for d in found)
    if case.message:
        assert any(case.message in d.message for d in found), [d.message for d in found]


def _line_of_block(path: Path, block: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(block)].count("\n") + 1


def test_readme_documents_every_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert not missing, f"README lacks codes: {missing}"
