"""``masterplan diff`` end to end: a test repository with two commits, and two folders."""

import json
from pathlib import Path

import pytest

from diff.planted import (
    ADDED,
    BUDGET,
    CHAPTER,
    KPI,
    MOVED,
    REMOVED,
    STATUS,
    commit_all,
    plant,
    planted_repo,
    write_base,
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return planted_repo(tmp_path_factory.mktemp("diff") / "repo")


def run(cli, *args):
    result = cli("diff", *args)
    return result.exit_code, result.stdout, result.stderr


def test_text(cli, repo: Path):
    code, out, err = run(cli, "HEAD~1", "HEAD", "--path", repo)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    assert lines[0].startswith("masterplan diff HEAD~1 (") and " → HEAD (" in lines[0]
    assert "Programmes  1 added, 1 removed, 1 moved, 4 changed" in lines
    assert "Chapters    0 added, 0 removed, 1 changed" in lines
    assert "Volumes     0 added, 0 removed, 1 changed" in lines
    section = out.split("Programmes added\n")[1]
    assert section.startswith(f"  {ADDED} — Layanan Baru Terpadu (economy; lead opd-03; planned; 2025–2026;")
    assert out.split("Programmes removed\n")[1].startswith(f"  {REMOVED} — Pilot Layanan Lama (governance;")
    assert "    moved: living → society" in lines
    assert "    element: tata-ruang → interaksi-masyarakat" in lines
    assert "    status: planned → dropped" in lines
    assert any(line.startswith("    budget 20") and line.endswith("(+Rp 500.000.000)") for line in lines)
    assert any(line.startswith("      target 20") and line.endswith(": 10 → 15") for line in lines)
    assert f"  changed {CHAPTER} — " in out and "    body: changed, +6 −1 words" in lines
    assert "    contents:" in lines and "      + kpis" in lines and "      − roadmap" in lines


def test_markdown_release_note(cli, repo: Path):
    code, out, _ = run(cli, "HEAD~1", "v2024.1", "--path", repo, "--format", "markdown")
    assert code == 0
    assert out.startswith("# Daftar Perubahan Masterplan Smart City Kota Contoh\n")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## Ringkasan", "## Program baru", "## Program dihapus", "## Perubahan program",
                        "## Perubahan anggaran", "## Anggaran indikatif per tahun", "## Perubahan bab",
                        "## Perubahan buku"]
    subheadings = [line for line in out.splitlines() if line.startswith("### ")]
    assert [h.rsplit("(`", 1)[-1].rstrip("`)") for h in subheadings] == [KPI, BUDGET, MOVED, STATUS]
    new = out.split("## Program baru")[1].split("##")[0]
    assert (f"| Layanan Baru Terpadu (`{ADDED}`) | Smart Economy | D3 | Direncanakan | 2025–2026 "
            "| Rp 2.000.000.000 |") in new
    assert f"(`{REMOVED}`) | Smart Governance | D2 | Dihentikan | 2023 | Rp 250.000.000 |" in out
    assert "- **Pilar**: dipindahkan dari Smart Living ke Smart Society" in out
    assert "- **Status**: Direncanakan menjadi Dihentikan" in out
    budget = out.split("## Perubahan anggaran")[1].split("\n##")[0]
    rows = [line for line in budget.splitlines() if line.startswith("| Program ") and f"`{BUDGET}`" in line]
    assert len(rows) == 2 and rows[0].count("+Rp 500.000.000") == 1 and "**Jumlah**" in rows[1]
    assert f"(`{KPI}`)" in out and "  - Target: " in out
    assert f"(`{CHAPTER}`) | isi diubah | 6 | 1 |" in out
    assert "- **Isi buku**: ditambah `kpis`; dihapus `roadmap`" in out
    assert "| Program dipindahkan ke pilar lain | 1 |" in out


def test_json_and_folder_vs_folder(cli, repo: Path, tmp_path: Path):
    code, out, _ = run(cli, "HEAD~1", "HEAD", "--path", repo, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["schema_version", "old", "new", "summary", "edition", "programmes", "budget_by_year",
                          "chapters", "volumes", "pillars", "opd"]
    assert data["schema_version"] == 1
    assert data["old"]["label"] == "HEAD~1" and len(data["old"]["revision"]) == 40
    assert [p["id"] for p in data["programmes"]["added"]] == [ADDED]
    assert [p["id"] for p in data["programmes"]["removed"]] == [REMOVED]
    assert sorted(p["id"] for p in data["programmes"]["changed"]) == sorted([MOVED, BUDGET, KPI, STATUS])
    kpi = next(p for p in data["programmes"]["changed"] if p["id"] == KPI)
    assert kpi["kpis"][0]["targets"][0]["old"] == 10 and kpi["kpis"][0]["targets"][0]["new"] == 15
    assert set(kpi) == {"id", "title", "pillar", "moved_from", "fields", "budget", "kpis"}

    old, new = write_base(tmp_path / "lama"), plant(write_base(tmp_path / "baru"))
    code, folders, _ = run(cli, old, new, "--format", "json")
    assert code == 0
    folder_data = json.loads(folders)
    for side in ("old", "new"):
        assert folder_data[side]["revision"] is None
        folder_data[side].update(label=data[side]["label"], revision=data[side]["revision"])
    assert folder_data == data


def test_no_changes(cli, repo: Path):
    code, out, _ = run(cli, "HEAD", "HEAD", "--path", repo)
    assert code == 0 and out.splitlines()[-1] == "No changes."
    code, out, _ = run(cli, "HEAD", str(repo), "--path", repo, "--format", "markdown")
    assert code == 0 and "Tidak ada perubahan." in out


def test_usage_errors_exit_2(cli, repo: Path, tmp_path: Path):
    for args, message in [
        (("HEAD~7", "HEAD", "--path", repo), "error: unknown revision 'HEAD~7'"),
        (("HEAD", "tidak-ada/", "--path", repo), "error: unknown revision 'tidak-ada/'"),
        (("HEAD~1", "HEAD", "--path", tmp_path), "is not in a git repository"),
        (("HEAD~1", "HEAD", "--path", tmp_path / "hilang"), "does not exist"),
    ]:
        code, out, err = run(cli, *args)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and message in err
    assert cli("diff", "HEAD").exit_code == 2
    assert cli("diff", "HEAD~1", "HEAD", "--path", repo, "--format", "html").exit_code == 2


def test_a_side_with_errors_exits_1_with_its_diagnostics(cli, tmp_path: Path):
    project = planted_repo(tmp_path / "repo", "kota")
    (project / "pillars/economy/programmes" / f"{ADDED}.yml").write_text("title: [\n", encoding="utf-8")
    commit_all(tmp_path / "repo", "rusak")
    code, out, err = run(cli, "HEAD~1", "HEAD", "--path", project)
    assert code == 1
    assert out.startswith(f"HEAD:kota/pillars/economy/programmes/{ADDED}.yml:")
    assert "error[E004]" in out and "HEAD~1:" not in out
    assert "fix the errors above" in err


def test_a_revision_with_a_line_break_is_named_on_one_line(cli, repo: Path):
    code, _, err = run(cli, "x\ny", "HEAD", "--path", repo)
    assert code == 2
    assert err.startswith("error: unknown revision 'x\\ny'") and len(err.splitlines()) == 1, err
