import json
from pathlib import Path

import yaml

from conftest import REPO, edit, line_of
from masterplan_kit import __version__
from masterplan_kit.pipeline import load_and_check

EK = "pillars/governance/programmes/e-kelurahan.yml"


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_validate_default_sources_prints_nothing(cli):
    result = cli("validate", REPO, "--strict")
    assert result.exit_code == 0
    assert result.output == ""


def test_validate_reports_problems_with_exit_1(cli, project: Path):
    edit(project, EK, "lead: diskominfo", "lead: diskominf")
    edit(project, EK, "status: ongoing", "status: jalan")
    result = cli("validate", project)
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if l]
    assert lines == sorted(lines, key=lambda l: (l.split(":")[0], int(l.split(":")[1])))
    line = line_of(project, EK, "lead: diskominf")
    assert any(l.startswith(f"{EK}:{line}:7: error[E202]: unknown OPD 'diskominf'") for l in lines)
    assert any("error[E104]" in l for l in lines)


def test_validate_from_a_subfolder(cli, project: Path):
    result = cli("validate", project / "pillars" / "governance")
    assert result.exit_code == 0


def test_warnings_fail_only_under_strict(cli, project: Path):
    (project / "masterplan/chapters/lampiran.md").write_text("---\ntitle: Lampiran\n---\nIsi.\n", encoding="utf-8")
    normal = cli("validate", project)
    assert normal.exit_code == 0 and "warning[W404]" in normal.stdout
    strict = cli("validate", project, "--strict")
    assert strict.exit_code == 1 and "error[W404]" in strict.stdout


def test_json_format(cli, project: Path):
    edit(project, EK, "lead: diskominfo", "lead: diskominf")
    result = cli("validate", project, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    line = line_of(project, EK, "lead: diskominf")
    assert rows[0] == {"path": EK, "line": line, "column": 7, "code": "E202", "severity": "error",
                       "message": rows[0]["message"]}


def test_usage_errors_exit_2(cli, tmp_path: Path):
    assert cli("validate", tmp_path / "missing").exit_code == 2
    assert cli("validate", "--format", "xml").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_not_a_project_exits_1(cli, tmp_path: Path):
    result = cli("validate", tmp_path)
    assert result.exit_code == 1 and "E008" in result.output


def test_schema_written_and_checked(cli, project: Path):
    assert cli("schema", project, "--check").exit_code == 0
    (project / "schemas" / "programme.schema.json").write_text("{}", encoding="utf-8")
    assert cli("schema", project, "--check").exit_code == 1
    assert cli("schema", project).exit_code == 0
    assert cli("schema", project, "--check").exit_code == 0


def test_new_programme_is_valid_and_never_overwrites(cli, project: Path):
    result = cli("new", "programme", "--pillar", "living", "--path", project, "klinik-keliling")
    assert result.exit_code == 0, result.output
    created = project / "pillars/living/programmes/klinik-keliling.yml"
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/programme.schema.json")
    data = yaml.safe_load(text)
    assert data["element"] == "tata-ruang" and data["years"] == [2023, 2024, 2025]
    _, report = load_and_check(project)
    assert report.errors(strict=True) == [], report.to_text()

    created.write_text(text + "# catatan saya\n", encoding="utf-8")
    again = cli("new", "programme", "--pillar", "living", "--path", project, "klinik-keliling")
    assert again.exit_code == 1 and "already exists" in again.output
    assert created.read_text(encoding="utf-8").endswith("# catatan saya\n")


def test_new_programme_refuses_bad_input(cli, project: Path):
    assert cli("new", "programme", "--pillar", "livin", "--path", project, "x").exit_code == 1
    assert cli("new", "programme", "--pillar", "living", "--path", project, "Bad_Id").exit_code == 1
    taken = cli("new", "programme", "--pillar", "living", "--path", project, "e-kelurahan")
    assert taken.exit_code == 1 and "already used" in taken.output


def test_new_chapter_is_valid(cli, project: Path):
    result = cli("new", "chapter", "--path", project, "lampiran-a")
    assert result.exit_code == 0
    _, report = load_and_check(project)
    assert [d.code for d in report.items] == ["W404"], report.to_text()
    assert cli("new", "chapter", "--path", project, "lampiran-a").exit_code == 1


def test_doctor_lists_every_check(cli):
    result = cli("doctor")
    for name in ("Python", "Pango", "WeasyPrint", "pandoc", "MkDocs"):
        assert name in result.output
    assert result.exit_code in (0, 1)


# --- failures end in one clear line, never a traceback -------------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

from conftest import copy_fixture  # noqa: E402

MASTERPLAN = Path(sys.executable).with_name("masterplan")


def _one_line_error(text: str) -> None:
    assert "Traceback" not in text, text
    assert any(line.startswith("error: ") for line in text.splitlines()), text


def test_new_programme_with_a_broken_masterplan_yml(cli, tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    edit(root, "masterplan/masterplan.yml", "period: {start: 2024, end: 2026}", "period: {start: 2024}")
    result = cli("new", "programme", "--pillar", "governance", "--path", root, "baru")
    assert result.exit_code == 1
    _one_line_error(result.output)
    assert "masterplan/masterplan.yml" in result.output
    assert not (root / "pillars/governance/programmes/baru.yml").exists()


def test_new_chapter_refuses_an_id_with_a_line_end(cli, tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    result = cli("new", "chapter", "--path", root, "abc\n")
    assert result.exit_code == 1 and "E106" in result.output
    assert list((root / "masterplan/chapters").glob("abc*")) == []


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_serve_refuses_a_port_out_of_range(cli, port: str):
    assert cli("serve", "--port", port).exit_code == 2


def test_build_into_a_file_is_a_clear_error(cli, tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    (root / "build").write_text("bukan folder", encoding="utf-8")
    result = cli("build", "data", "--path", root)
    assert result.exit_code == 1
    _one_line_error(result.output)


def test_a_full_disk_is_a_clear_error(cli, tmp_path: Path, monkeypatch):
    import errno

    from masterplan_kit.render import write

    def full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(write, "write_bytes", full)
    result = cli("build", "data", "--path", copy_fixture(tmp_path / "kota"))
    assert result.exit_code == 1
    _one_line_error(result.output)
    assert "No space left on device" in result.output


def test_pandoc_missing_is_a_clear_error(cli, tmp_path: Path, monkeypatch):
    import pypandoc

    from masterplan_kit.render import pandoc

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    monkeypatch.setattr(pandoc, "_CONVERTED", {})
    result = cli("build", "site", "--path", copy_fixture(tmp_path / "kota"))
    assert result.exit_code == 1
    _one_line_error(result.output)
    assert "pandoc not found" in result.output


def test_an_os_error_no_command_handles_is_one_line(tmp_path: Path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x", encoding="utf-8")
    done = subprocess.run([str(MASTERPLAN), "schema", "--out", str(blocker / "schemas")], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1
    _one_line_error(done.stderr)


def test_out_refuses_a_folder_it_did_not_make(cli, tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    mine = tmp_path / "dokumen"
    (mine / "data").mkdir(parents=True)
    (mine / "data" / "penting.xlsx").write_bytes(b"milik saya")
    result = cli("build", "data", "--path", root, "--out", mine)
    assert result.exit_code == 1
    _one_line_error(result.output)
    assert (mine / "data" / "penting.xlsx").read_bytes() == b"milik saya"


def test_out_builds_into_a_new_folder_and_again(cli, tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    out = tmp_path / "keluaran"
    assert cli("build", "data", "--path", root, "--out", out).exit_code == 0
    assert (out / ".masterplan-build").is_file()
    assert cli("build", "data", "--path", root, "--out", out, "--force").exit_code == 0


@pytest.mark.parametrize("kind", ["programme", "chapter"])
def test_new_refuses_a_reserved_id(cli, small: Path, kind: str):
    args = ("--pillar", "governance") if kind == "programme" else ()
    result = cli("new", kind, *args, "--path", small, "index")
    assert result.exit_code == 1
    assert "error[E108]: 'index' cannot be a" in result.output
    assert not list(small.rglob("index.yml")) and not (small / "masterplan/chapters/index.md").exists()


def test_new_programme_writes_nothing_through_a_linked_folder(cli, small: Path, tmp_path: Path):
    outside = tmp_path / "luar"
    outside.mkdir()
    (small / "pillars/governance/programmes").rename(outside / "programmes")
    (small / "pillars/governance/programmes").symlink_to(outside / "programmes")
    result = cli("new", "programme", "--pillar", "governance", "--path", small, "baru")
    assert result.exit_code == 1
    assert "error[E011]" in result.output
    assert not (outside / "programmes" / "baru.yml").exists()
