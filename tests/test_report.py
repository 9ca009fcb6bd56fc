"""`masterplan report`: a year's roll-up per pillar and for the city, as text or JSON."""

import json
from pathlib import Path

import pytest

from conftest import REPO, edit, write_small_project
from masterplan_kit.model.evaluation import latest_actual_year
from masterplan_kit.pipeline import load_and_check


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_small_project(tmp_path / "kota")


def test_text_report_of_the_latest_year(cli, small: Path):
    result = cli("report", small)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Laporan Capaian Tahun 2024\n")
    assert max(len(line) for line in text.splitlines()) <= 80
    governance = next(line for line in text.splitlines() if line.startswith("Smart Governance"))
    assert governance.split() == ["Smart", "Governance", "2", "2", "87,5", "%", "Tinggi", "1", "dari", "2"]
    assert "1 dari 2 indikator sesuai target 2024." in text
    assert "1 dari 3 indikator belum ada realisasinya pada 2024." in text
    spread = [line for line in text.splitlines() if line.startswith("Kota Contoh")][1]
    assert spread.split() == ["Kota", "Contoh", "1", "0", "1", "0", "0", "0", "1", "0", "1", "0", "1"]
    budget = [line for line in text.splitlines() if line.startswith("Kota Contoh")][-1]
    assert budget.split() == ["Kota", "Contoh", "1.500", "900", "90", "%", "1", "dari", "2"]
    below = text.split("IKU di bawah target 2024")[1]
    assert "75 %" in below and "Alpha" in below and "Diskominfo" in below and "Waktu tanggap" not in below


def test_default_masterplan_fits_80_columns(cli):
    result = cli("report", REPO)
    assert result.exit_code == 0, result.output
    project, _ = load_and_check(REPO)
    assert result.stdout.startswith(f"Laporan Capaian Tahun {latest_actual_year(project)}\n")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_a_large_masterplan_still_fits_80_columns(cli, tmp_path: Path):
    from masterplan_kit.synth import write_synthetic

    root = write_synthetic(tmp_path / "besar", programmes=2000)
    result = cli("report", root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    city = [line for line in lines if line.startswith("Kota ")]
    assert city[0].split()[2] == "2000"  # every KPI counted, no cell cut short


def test_json_report_keeps_numbers_unrounded(cli, small: Path):
    result = cli("report", small, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["year"], data["period"]) == (2024, {"start": 2023, "end": 2025})
    assert [p["key"] for p in data["pillars"]] == ["governance", "living"]
    total = data["city_total"]
    assert total["mean_achievement"] == 87.5 and total["band"] == "tinggi"
    assert (total["kpis"], total["with_data"], total["without_data"], total["on_track"]) == (3, 2, 1, 1)
    assert total["bands"] == {"sangat-tinggi": 1, "tinggi": 0, "sedang": 1, "rendah": 0, "sangat-rendah": 0}
    assert total["statuses"]["limited-progress"] == 1 and total["statuses"]["substantial-progress"] == 1
    assert total["budget"]["planned"] == 1_500_000_000 and total["budget"]["realisation"] == 90.0
    assert [(b["kpi"], b["lead"], b["achievement"]) for b in data["below_target"]] == [("alpha#1", "diskominfo", 75.0)]
    older = json.loads(cli("report", small, "--format", "json", "--year", "2023").stdout)
    assert older["year"] == 2023 and older["city_total"]["mean_achievement"] == 100  # 62 / 60 capped at 100


@pytest.mark.parametrize("year", ["2022", "2026"])
def test_year_outside_the_period_exits_2(cli, small: Path, year: str):
    result = cli("report", small, "--year", year)
    assert result.exit_code == 2
    assert f"year {year} is outside the period 2023–2025" in result.stderr and result.stdout == ""


def test_invalid_project_exits_1_with_diagnostics(cli, small: Path):
    edit(small, "pillars/governance/programmes/alpha.yml", "lead: diskominfo", "lead: nobody")
    text = cli("report", small)
    assert text.exit_code == 1 and "error[E202]" in text.stdout and "Laporan" not in text.stdout
    as_json = cli("report", small, "--format", "json")
    assert as_json.exit_code == 1 and "E202" in [d["code"] for d in json.loads(as_json.stdout)]


def test_a_project_template_replaces_the_layout(cli, small: Path):
    own = small / "templates" / "report" / "year.txt.j2"
    own.parent.mkdir(parents=True)
    own.write_text("Capaian {{ report.year }}: {{ report.total.mean_achievement | percent }}\n", encoding="utf-8")
    assert cli("report", small).stdout == "Capaian 2024: 87,5 %\n"
    own.write_text("{{ report.year }\n", encoding="utf-8")
    broken = cli("report", small)
    assert broken.exit_code == 1 and "templates/report/year.txt.j2:1:1: error[E501]" in broken.stdout


def test_extreme_kpi_values_give_valid_json_and_no_infinity(cli, small: Path):
    """Zero and negative bases, a target next to 0: the report has no '∞' and its JSON parses strictly."""
    edit(small, "pillars/living/programmes/beta.yml", "    targets: {2025: 10}\n", """\
    targets: {2025: 10}
  - indicator: Target nyaris nol
    unit: x
    direction: decrease
    baseline: {year: 2022, value: -5}
    targets: {2024: 1e-300}
    actuals: {2024: 1000000000000000}
  - indicator: Semua nol
    unit: x
    baseline: {year: 2022, value: 0}
    targets: {2024: 0}
    actuals: {2024: 0}
""")
    text = cli("report", small, "--year", "2024")
    assert text.exit_code == 0, text.output
    assert "∞" not in text.stdout and "nan" not in text.stdout.lower().split()
    data = cli("report", small, "--year", "2024", "--format", "json")
    assert data.exit_code == 0, data.output

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    report = json.loads(data.stdout, parse_constant=refuse)
    below = {k["indicator"]: k for k in report["below_target"]}
    assert below["Target nyaris nol"]["achievement"] is None
