"""Open data: kpis.csv / kpis.json (one row per KPI and year), their schema, and CSV cells that stay text."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import edit, write_small_project
from masterplan_kit.render.data import spreadsheet_safe


@pytest.fixture
def data_dir(tmp_path: Path, cli) -> Path:
    root = write_small_project(tmp_path / "kota")
    edit(root, "pillars/governance/programmes/alpha.yml", "title: Alpha", "title: +Alpha")
    result = cli("build", "data", "--path", root)
    assert result.exit_code == 0, result.output
    return root / "build" / "data"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def test_kpis_one_row_per_kpi_and_year(data_dir: Path):
    data = json.loads((data_dir / "kpis.json").read_text(encoding="utf-8"))
    rows = data["rows"]
    assert [(r["kpi"], r["year"]) for r in rows] == [
        (k, y) for k in ("alpha#1", "alpha#2", "beta#1") for y in (2023, 2024, 2025)]
    by = {(r["kpi"], r["year"]): r for r in rows}
    first = by["alpha#1", 2024]
    assert (first["programme"], first["pillar"], first["lead"], first["direction"]) == (
        "alpha", "governance", "diskominfo", "increase")
    assert (first["baseline_year"], first["baseline_value"], first["target"], first["actual"]) == (2022, 50, 80, 60)
    assert (first["achievement"], first["band"]) == (75.0, "sedang")
    assert {by["alpha#1", y]["progress_status"] for y in (2023, 2024, 2025)} == {"limited-progress"}
    assert (by["alpha#2", 2024]["achievement"], by["alpha#2", 2024]["band"]) == (105.0, "sangat-tinggi")
    assert by["alpha#2", 2023]["target"] is None and by["alpha#2", 2023]["achievement"] is None
    assert by["beta#1", 2025]["progress_status"] == "not-available"
    csv_rows = _csv_rows(data_dir / "kpis.csv")
    assert list(csv_rows[0]) == list(rows[0])
    assert len(csv_rows) == len(rows)
    second = csv_rows[4]  # alpha#2, 2024
    assert (second["kpi"], second["achievement"], second["band"], second["direction"]) == (
        "alpha#2", "105.0", "sangat-tinggi", "decrease")
    assert csv_rows[3]["target"] == csv_rows[3]["achievement"] == ""  # alpha#2, 2023: no target


def test_schemas_validate_the_json(data_dir: Path):
    for name in ("kpis", "programmes", "pillars", "opd"):
        data = json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))
        schema = json.loads((data_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        jsonschema.Draft7Validator(schema).validate(data)
    bad = json.loads((data_dir / "kpis.json").read_text(encoding="utf-8"))
    bad["rows"][0]["band"] = "luar-biasa"
    schema = json.loads((data_dir / "kpis.schema.json").read_text(encoding="utf-8"))
    assert not jsonschema.Draft7Validator(schema).is_valid(bad)


def test_programmes_json_has_realised_budget_and_kpi_direction(data_dir: Path):
    alpha = json.loads((data_dir / "programmes.json").read_text(encoding="utf-8"))["programmes"][0]
    assert [b["realised"] for b in alpha["budget"]] == [900_000_000, None]
    assert [k["direction"] for k in alpha["kpis"]] == ["increase", "decrease"]


def test_csv_text_cells_never_read_as_formulas(data_dir: Path):
    kpis = _csv_rows(data_dir / "kpis.csv")
    assert kpis[0]["indicator"] == "'=HYPERLINK(\"http://contoh\")"
    programmes = _csv_rows(data_dir / "programmes.csv")
    assert programmes[0]["title"] == "'+Alpha"
    # the JSON keeps the text as written
    assert json.loads((data_dir / "kpis.json").read_text(encoding="utf-8"))["rows"][0]["indicator"].startswith("=")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_safe_prefixes_formula_starts(text: str):
    assert spreadsheet_safe(text) == "'" + text


def test_spreadsheet_safe_leaves_other_values():
    assert spreadsheet_safe("Rp 1.000") == "Rp 1.000"
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(2.5) == 2.5 and spreadsheet_safe("") == ""
