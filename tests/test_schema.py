"""The JSON Schemas are generated from the models, kept current, and accept the sources."""

import json

import jsonschema
import pytest
import yaml

from conftest import REPO
from masterplan_kit.model.jsonschema import DRAFT_07, SOURCE_SCHEMAS, render_all, stale


def test_committed_schemas_are_current():
    assert stale(REPO / "schemas") == []


@pytest.mark.parametrize("name", list(SOURCE_SCHEMAS))
def test_schemas_are_draft_07(name):
    schema = json.loads(render_all()[name])
    assert schema["$schema"] == DRAFT_07
    jsonschema.Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema)


def _files():
    yield "masterplan.schema.json", REPO / "masterplan/masterplan.yml"
    yield "opd.schema.json", REPO / "masterplan/opd.yml"
    for f in sorted(REPO.glob("pillars/*/pillar.yml")):
        yield "pillar.schema.json", f
    for f in sorted(REPO.glob("pillars/*/programmes/*.yml"))[:20]:
        yield "programme.schema.json", f


@pytest.mark.parametrize("name,path", list(_files()), ids=lambda v: getattr(v, "name", v))
def test_default_sources_satisfy_their_schema(name, path):
    schema = json.loads(render_all()[name])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data))  # integer keys become strings, as in an editor
    validator = jsonschema.Draft7Validator(schema)
    errors = [e for e in validator.iter_errors(data) if "does not match any of the regexes" not in e.message]
    assert errors == []


def test_sources_carry_the_modeline():
    for path in [REPO / "masterplan/masterplan.yml", REPO / "masterplan/opd.yml",
                 *REPO.glob("pillars/*/pillar.yml"), *REPO.glob("pillars/*/programmes/*.yml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=")[1]).resolve()
        assert target.is_file(), path


def test_a_link_planted_in_the_schema_folder_is_never_written_through(cli, tmp_path):
    """A repository may hold links where the schemas (or a temporary file beside them) go: writing
    replaces them and never writes into the file they name."""
    out = tmp_path / "schemas"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("milik pengguna\n", encoding="utf-8")
    for name in ("opd.schema.tmp", "programme.schema.json"):
        (out / name).symlink_to(precious)
    result = cli("schema", "--out", out)
    assert result.exit_code == 0, result.output
    assert precious.read_text(encoding="utf-8") == "milik pengguna\n"
    assert not (out / "programme.schema.json").is_symlink()
    assert stale(out) == []


def test_a_fifo_in_the_schema_folder_is_not_waited_on(cli, tmp_path):
    import os
    import threading

    out = tmp_path / "schemas"
    out.mkdir()
    os.mkfifo(out / "opd.schema.json")
    results: list = []
    thread = threading.Thread(target=lambda: results.append((stale(out), cli("schema", "--out", out))), daemon=True)
    thread.start()
    thread.join(60)
    assert results, "masterplan schema waited on a FIFO"
    names, result = results[0]
    assert "opd.schema.json" in names
    assert result.exit_code == 0, result.output
    assert stale(out) == []


def test_out_that_is_a_file(cli, tmp_path):
    target = tmp_path / "schemas"
    target.write_text("x", encoding="utf-8")
    result = cli("schema", "--out", target)
    assert result.exit_code == 1
    assert f"error: {target} is not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "x"
