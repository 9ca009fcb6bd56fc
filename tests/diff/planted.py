"""A small synthetic masterplan and a second edition of it with known changes, as folders or commits."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from masterplan_kit.synth import write_synthetic

PILOT = """title: Pilot Layanan Lama
summary: Uji coba layanan yang tidak dilanjutkan.
element: pelayanan-publik
lead: opd-02
kind: infostruktur
status: dropped
years: [2023]
budget:
  - {year: 2023, amount: 250000000, source: APBD}
kpis:
  - indicator: Kelurahan uji coba
    unit: kelurahan
    targets: {2023: 3}
"""

NEW_PROGRAMME = """title: Layanan Baru Terpadu
summary: Satu pintu layanan usaha mikro secara daring.
element: industri
lead: opd-03
partners: [opd-04]
kind: infostruktur
status: planned
years: [2025, 2026]
budget:
  - {year: 2025, amount: 1200000000, source: APBD}
  - {year: 2026, amount: 800000000, source: APBD}
kpis:
  - indicator: Usaha mikro terlayani
    unit: usaha
    targets: {2025: 100, 2026: 250}
"""

MOVED, BUDGET, KPI, STATUS = "program-liv-00003", "program-eco-00002", "program-bra-00001", "program-soc-00004"
ADDED, REMOVED = "layanan-baru", "pilot-lama"
CHAPTER, VOLUME = "bab-02", "buku-2"
NEW_PARAGRAPH = "Paragraf tambahan tentang layanan warga."  # 5 words added
EXTRA_AMOUNT = 500_000_000


def write_base(root: Path) -> Path:
    """The first edition: 12 synthetic programmes and one pilot programme nobody refers to."""
    write_synthetic(root, 12)
    (root / "pillars/governance/programmes" / f"{REMOVED}.yml").write_text(PILOT, encoding="utf-8")
    return root


def _edit(path: Path, pattern: str, repl: str | Callable[[re.Match[str]], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1)
    assert n == 1, f"{pattern!r} not in {path}"
    path.write_text(new, encoding="utf-8")


def plant(root: Path) -> Path:
    """Turn the first edition into the second: one programme added, removed, moved; a budget, a KPI
    target and a status changed; a paragraph added to a chapter and a heading reworded; a volume's
    contents changed."""
    pillars = root / "pillars"
    (pillars / "economy/programmes" / f"{ADDED}.yml").write_text(NEW_PROGRAMME, encoding="utf-8")
    (pillars / "governance/programmes" / f"{REMOVED}.yml").unlink()
    moved = pillars / "living/programmes" / f"{MOVED}.yml"
    target = pillars / "society/programmes" / moved.name
    moved.rename(target)
    _edit(target, r"element: tata-ruang", "element: interaksi-masyarakat")
    _edit(pillars / "economy/programmes" / f"{BUDGET}.yml", r"amount: (\d+)",
          lambda m: f"amount: {int(m[1]) + EXTRA_AMOUNT}")
    _edit(pillars / "branding/programmes" / f"{KPI}.yml", r"targets: \{(\d+): 10,", r"targets: {\1: 15,")
    _edit(pillars / "society/programmes" / f"{STATUS}.yml", r"status: planned", "status: dropped")
    chapter = root / "masterplan/chapters" / f"{CHAPTER}.md"
    _edit(chapter, r"## Bagian 1\n\n", f"## Bagian 1\n\n{NEW_PARAGRAPH}\n\n")
    _edit(chapter, r"## Bagian 2\n", "## Bagian Kedua\n")  # 1 word added, 1 removed
    _edit(root / "masterplan/masterplan.yml", r"pillars, roadmap, quick-wins", "pillars, kpis, quick-wins")
    return root


def git(repo: Path, *args: str, data: str | None = None) -> str:
    done = subprocess.run(["git", "-c", "user.name=Tim Smart City", "-c", "user.email=tim@example.org",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=repo, input=data, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def planted_repo(repo: Path, sub: str = "") -> Path:
    """A git repository whose HEAD~1 is the first edition and HEAD the second (in ``sub`` when given)."""
    project = repo / sub if sub else repo
    project.mkdir(parents=True)
    git(repo, "init", "-q")
    write_base(project)
    commit_all(repo, "Edisi 2023")
    plant(project)
    commit_all(repo, "Edisi 2024")
    git(repo, "tag", "v2024.1")
    return project
