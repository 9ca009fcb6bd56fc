"""datapackage.json passes Frictionless, every foreign key resolves, and ckan.json is what CKAN's
package_create accepts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import frictionless
import pytest

from conftest import copy_fixture, copy_project, edit, write_small_project
from masterplan_kit.build import build_outputs
from masterplan_kit.model.licences import LICENCES
from masterplan_kit.pipeline import load_and_check

EPOCH = "1688688000"  # 2023-07-07T00:00:00Z
PROGRAMMES_CSV_BEFORE = ["id", "title", "pillar", "element", "lead", "partners", "kind", "status", "priority",
                         "quick_win", "years", "start_year", "end_year", "budget_2023", "budget_2024",
                         "budget_2025", "budget_total", "funding_sources", "kpi_count", "summary", "url"]


def build_data(root: Path) -> Path:
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    list(build_outputs(project, ["data"], root / "build", force=True))
    return root / "build" / "data"


@pytest.fixture(scope="module")
def default_data(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_data(copy_project(tmp_path_factory.mktemp("default") / "project"))


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory) -> Path:
    return build_data(copy_fixture(tmp_path_factory.mktemp("fixture") / "kota-contoh"))


@pytest.fixture(params=["default", "fixture"])
def data_dir(request) -> Path:
    return request.getfixturevalue(f"{request.param}_data")


def _problems(report: frictionless.Report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def test_frictionless_validates_the_package(data_dir: Path):
    report = frictionless.validate(str(data_dir / "datapackage.json"))
    assert report.valid, _problems(report)
    assert report.stats["tasks"] == 11  # seven tables and four JSON files


def test_every_foreign_key_resolves(data_dir: Path):
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: read_csv(data_dir / r["path"]) for r in package["resources"] if r.get("type") == "table"}
    checked = 0
    for resource in package["resources"]:
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            target = fk["reference"]
            known = {tuple(row[f] for f in target["fields"]) for row in tables[target["resource"]]}
            for row in tables[resource["name"]]:
                value = tuple(row[f] for f in fk["fields"])
                assert value in known, f"{resource['name']} {fk['fields']}={value} not in {target['resource']}"
                checked += 1
    assert checked > 0


def test_a_broken_reference_fails_validation(default_data: Path, tmp_path: Path):
    data = shutil.copytree(default_data, tmp_path / "data")
    text = (data / "locations.csv").read_text(encoding="utf-8-sig")
    first = text.splitlines()[1]
    (data / "locations.csv").write_text(text.replace(first, first.split(",")[0] + ",kecamatan-hilang", 1),
                                        encoding="utf-8-sig")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for r in package["resources"]:
        if r["name"] == "locations":
            del r["bytes"], r["hash"]
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(data / "datapackage.json"))
    assert not report.valid
    assert {p[2] for p in _problems(report)} == {"foreign-key"}


def test_the_package_describes_every_csv_and_json_file(data_dir: Path):
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    on_disk = {f.name for f in data_dir.iterdir() if f.suffix in (".csv", ".json")}
    metadata = {"datapackage.json", "ckan.json", "metadata.json"} | {n for n in on_disk if n.endswith(".schema.json")}
    assert paths == on_disk - metadata
    for r in package["resources"]:
        raw = (data_dir / r["path"]).read_bytes()
        assert (r["bytes"], r["hash"]) == (len(raw), "sha256:" + hashlib.sha256(raw).hexdigest())
        if r["path"].endswith(".csv"):
            header = next(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
            assert header == [f["name"] for f in r["schema"]["fields"]]


def test_package_metadata_of_the_default_content(default_data: Path):
    package = json.loads((default_data / "datapackage.json").read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["name"] == "masterplan-smart-city-kota-samarinda-2023-2025"
    assert (package["version"], package["created"]) == ("Draf 2", "2023-07-07T00:00:00Z")
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": LICENCES["CC-BY-4.0"].url,
                                    "title": LICENCES["CC-BY-4.0"].title}]
    assert package["contributors"] == [{"title": "Dinas Komunikasi dan Informatika Kota Samarinda",
                                        "roles": ["publisher"], "organization": "Kota Samarinda"}]
    assert package["sources"][0]["title"].startswith("Masterplan Smart City Kota Samarinda")
    assert "Smart Governance" in package["keywords"]
    assert "bukan dokumen resmi" in package["description"]  # the edition's notice travels with the data


def test_the_data_licence_and_version_come_from_the_edition(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    edit(root, "masterplan/masterplan.yml", "language: id",
         "language: id\nversion: Draf 3\nlicence: {content: CC-BY-4.0, data: ODbL-1.0}")
    data = build_data(root)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["version"], package["licenses"][0]["name"]) == ("Draf 3", "ODbL-1.0")
    assert package["contributors"][0]["title"] == "Kota Contoh"  # no publisher: the city
    ckan = json.loads((data / "ckan.json").read_text(encoding="utf-8"))
    assert (ckan["license_id"], ckan["version"]) == ("odc-odbl", "Draf 3")


def test_programmes_csv_keeps_its_columns(default_data: Path):
    header = next(csv.reader(io.StringIO((default_data / "programmes.csv").read_text(encoding="utf-8-sig"))))
    assert header[:len(PROGRAMMES_CSV_BEFORE)] == PROGRAMMES_CSV_BEFORE


def test_tidy_tables_hold_the_model(default_data: Path):
    project, _ = load_and_check(default_data.parents[1])
    budget = read_csv(default_data / "budget.csv")
    assert len(budget) == sum(len(p.budget) for p in project.programmes)
    assert sum(int(r["amount"]) for r in budget) == sum(p.total_budget for p in project.programmes)
    realised = [r["realised"] for r in budget]
    assert "" in realised and any(realised)
    locations = read_csv(default_data / "locations.csv")
    assert {(r["programme"], r["kecamatan"]) for r in locations} == {
        (p.id, k) for p in project.programmes for k in p.locations}
    opd = {r["id"]: r for r in read_csv(default_data / "opd.csv")}
    assert (opd["samarinda-seberang"]["kind"], opd["samarinda-seberang"]["code"]) == ("kecamatan", "64.72.02")
    assert {r["verified"] for r in opd.values()} == {"true", "false"}
    elements = read_csv(default_data / "elements.csv")
    assert sum(int(e["programme_count"]) for e in elements) == len(project.programmes)


def test_free_text_keeps_its_formula_guard_and_still_validates(tmp_path: Path):
    root = write_small_project(tmp_path / "kota")
    edit(root, "pillars/governance/programmes/alpha.yml", "title: Alpha", "title: +Alpha")
    data = build_data(root)
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, _problems(report)
    assert read_csv(data / "programmes.csv")[0]["title"] == "'+Alpha"
    assert read_csv(data / "kpis.csv")[0]["indicator"] == "'=HYPERLINK(\"http://contoh\")"
    budget = read_csv(data / "budget.csv")
    assert [r["realised"] for r in budget] == ["900000000", ""]


# --- ckan.json ---------------------------------------------------------------------------------
# The rules of CKAN's default package_create schema (ckan/logic/schema.py, validators.py): a name of
# 2 to 100 characters from a-z, 0-9, '-' and '_'; an owner organisation; tags of 2 to 100 characters
# from letters, digits, spaces, '-', '_' and '.'; extras with a key and a value; resources with a url.

CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
CKAN_TAG = re.compile(r"^[\w .-]{2,100}$")


def check_ckan_dataset(dataset: dict) -> None:
    assert CKAN_NAME.match(dataset["name"]) and dataset["name"] not in ("new", "edit")
    assert dataset["title"] and dataset["notes"]
    assert CKAN_NAME.match(dataset["owner_org"]) and dataset["organization"]["name"] == dataset["owner_org"]
    assert dataset["license_id"] in {lic.ckan for lic in LICENCES.values()}
    assert len(dataset["version"]) <= 100
    for tag in dataset["tags"]:
        assert CKAN_TAG.match(tag["name"]), tag
    for extra in dataset["extras"]:
        assert extra["key"] and isinstance(extra["value"], str)
    assert len({e["key"] for e in dataset["extras"]}) == len(dataset["extras"])
    assert dataset["resources"]
    for resource in dataset["resources"]:
        assert resource["url"] and resource["name"] and resource["format"]
        assert isinstance(resource["size"], int) and re.match(r"^sha256:[0-9a-f]{64}$", resource["hash"])


def test_ckan_json_is_a_package_create_request(data_dir: Path):
    dataset = json.loads((data_dir / "ckan.json").read_text(encoding="utf-8"))
    check_ckan_dataset(dataset)
    for resource in dataset["resources"]:
        # relative to ckan.json without a site_url, under <site_url>/data/ with one
        rel = resource["url"].split("/data/", 1)[1] if "://" in resource["url"] else resource["url"]
        raw = (data_dir / rel).read_bytes()
        assert resource["size"] == len(raw)
        assert resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    names = {r["name"] for r in dataset["resources"]}
    assert {"programmes.csv", "budget.csv", "masterplan.db", "datapackage.json", "programmes.json"} <= names


def test_ckan_json_of_the_default_content(default_data: Path):
    dataset = json.loads((default_data / "ckan.json").read_text(encoding="utf-8"))
    assert dataset["name"] == "masterplan-smart-city-kota-samarinda-2023-2025"
    assert (dataset["license_id"], dataset["author"]) == ("cc-by", "Dinas Komunikasi dan Informatika Kota Samarinda")
    assert dataset["organization"] == {"name": "dinas-komunikasi-dan-informatika-kota-samarinda",
                                       "title": "Dinas Komunikasi dan Informatika Kota Samarinda"}
    extras = {e["key"]: e["value"] for e in dataset["extras"]}
    assert (extras["region_code"], extras["period"]) == ("6472", "2023-2025")
    db = next(r for r in dataset["resources"] if r["name"] == "masterplan.db")
    assert (db["format"], db["mimetype"]) == ("SQLite", "application/vnd.sqlite3")


def test_ckan_urls_are_absolute_under_the_site_url(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    edit(root, "masterplan/masterplan.yml", "language: id", "language: id\nsite_url: https://smartcity.contoh.go.id/")
    data = build_data(root)
    dataset = json.loads((data / "ckan.json").read_text(encoding="utf-8"))
    check_ckan_dataset(dataset)
    assert dataset["url"] == "https://smartcity.contoh.go.id/"
    assert {r["url"] for r in dataset["resources"]} >= {"https://smartcity.contoh.go.id/data/programmes.csv"}
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == "https://smartcity.contoh.go.id/"
