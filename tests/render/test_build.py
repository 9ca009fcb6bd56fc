"""`masterplan build`: up-to-date outputs are skipped, a changed source rebuilds, errors stop early."""

from pathlib import Path

from conftest import copy_project, edit


def test_unchanged_build_is_skipped_and_edit_rebuilds(tmp_path: Path, cli):
    root = copy_project(tmp_path / "p")
    first = cli("build", "data", "--path", root)
    assert first.exit_code == 0 and "wrote" in first.output
    data = root / "build" / "data" / "programmes.json"
    before = data.read_bytes()
    second = cli("build", "data", "--path", root)
    assert second.exit_code == 0 and "up to date" in second.output and "wrote" not in second.output
    edit(root, "pillars/governance/programmes/e-kelurahan.yml", "title: e-Kelurahan", "title: e-Kelurahan Baru")
    third = cli("build", "data", "--path", root)
    assert "wrote" in third.output
    assert data.read_bytes() != before and "e-Kelurahan Baru" in data.read_text(encoding="utf-8")
    forced = cli("build", "data", "--path", root, "--force")
    assert "wrote" in forced.output


def test_invalid_sources_stop_the_build_and_keep_outputs(tmp_path: Path, cli):
    root = copy_project(tmp_path / "p")
    assert cli("build", "data", "--path", root).exit_code == 0
    data = root / "build" / "data" / "programmes.json"
    before = data.read_bytes()
    edit(root, "pillars/governance/programmes/e-kelurahan.yml", "lead: diskominfo", "lead: nobody")
    result = cli("build", "data", "--path", root)
    assert result.exit_code == 1 and "error[E202]" in result.output
    assert data.read_bytes() == before


def test_open_data_files(tmp_path: Path, cli):
    import csv
    import io
    import json

    import jsonschema

    root = copy_project(tmp_path / "p")
    assert cli("build", "data", "--path", root).exit_code == 0
    out = root / "build" / "data"
    for name in ("programmes", "pillars", "opd"):
        data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        schema = json.loads((out / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(schema).validate(data)
    raw = (out / "programmes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    programmes = json.loads((out / "programmes.json").read_text(encoding="utf-8"))["programmes"]
    assert len(rows) == len(programmes) >= 60
    ek = next(r for r in rows if r["id"] == "e-kelurahan")
    assert ek["budget_2024"] == "800000000" and ek["lead"] == "diskominfo" and ek["years"] == "2023;2024;2025"


def test_unknown_volume_is_a_clear_error(tmp_path: Path, cli):
    root = copy_project(tmp_path / "p")
    result = cli("build", "pdf", "--path", root, "--volume", "buku-9")
    assert result.exit_code == 1 and "unknown volume buku-9" in result.output
    assert not (root / "build" / "pdf").exists()
