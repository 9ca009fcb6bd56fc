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
