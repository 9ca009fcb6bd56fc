"""masterplan.db and metadata.json: the tables with their keys and full-text index, the same bytes for the
same sources, and queried through datasette as a city application would."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from conftest import copy_fixture, copy_project
from masterplan_kit.api import api_app
from masterplan_kit.build import build_outputs
from masterplan_kit.model.tables import tables
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.data import build_files


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    """The default content's project and build/data/."""
    root = copy_project(tmp_path_factory.mktemp("db") / "project")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    list(build_outputs(project, ["data"], root / "build"))
    return project, root / "build" / "data"


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("db-fixture") / "kota-contoh")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    list(build_outputs(project, ["data"], root / "build"))
    return root / "build" / "data"


def query(data_dir: Path, *paths: str) -> list:
    """GET each path from datasette serving ``data_dir``, as its own test client does."""
    async def run():
        ds = api_app(data_dir)
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            out.append(response)
        return out

    return asyncio.run(run())


def test_tables_keys_and_types(default):
    project, data = default
    db = sqlite_utils.Database(data / "masterplan.db")
    years = list(range(project.edition.period.start, project.edition.period.end + 1))
    assert {t.name for t in tables(years)} <= set(db.table_names())
    assert db["programmes"].pks == ["id"] and db["elements"].pks == ["pillar", "id"]
    assert db["budget"].pks == ["programme", "line"] and db["kpis"].pks == ["kpi", "year"]
    fks = {(fk.columns or (fk.column,), fk.other_table) for fk in db["programmes"].foreign_keys}
    assert fks == {(("pillar",), "pillars"), (("lead",), "opd"), (("pillar", "element"), "elements")}
    assert {(fk.column, fk.other_table) for fk in db["locations"].foreign_keys} == {
        ("programme", "programmes"), ("kecamatan", "opd")}
    types = db["programmes"].columns_dict
    assert (types["budget_total"], types["quick_win"], types["title"]) == (int, int, str)
    assert db["kpis"].columns_dict["achievement"] is float
    assert db["programmes"].count == len(project.programmes)
    assert db["budget"].count == sum(len(p.budget) for p in project.programmes)


def test_foreign_keys_hold_and_the_file_is_sound(default):
    _, data = default
    with sqlite3.connect(data / "masterplan.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_lists_are_json_arrays(default):
    project, data = default
    db = sqlite_utils.Database(data / "masterplan.db")
    p = next(p for p in project.programmes if p.partners)
    row = db["programmes"].get(p.id)
    assert row["partners"] == sqlite_utils.utils.json.dumps(list(p.partners), ensure_ascii=False)


def test_same_sources_give_the_same_bytes(default):
    project, data = default
    again = build_files(project)["masterplan.db"]
    assert again == (data / "masterplan.db").read_bytes()


def test_one_pillars_programmes(default):
    project, data = default
    (response,) = query(data, "/masterplan/programmes.json?pillar=governance&_shape=array&_size=max")
    assert sorted(r["id"] for r in response.json()) == sorted(p.id for p in project.programmes_of("governance"))
    assert response.headers["access-control-allow-origin"] == "*"  # other origins' browser applications may read it


def test_a_table_as_json_and_as_csv(default):
    project, data = default
    as_json, as_csv = query(data, "/masterplan/pillars.json?_shape=array", "/masterplan/pillars.csv")
    assert [r["id"] for r in as_json.json()] == [pl.id for pl in project.pillars]
    governance = next(r for r in as_json.json() if r["id"] == "governance")
    assert governance["programme_count"] == len(project.programmes_of("governance"))
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["name"] for r in rows] == [pl.name for pl in project.pillars]


def test_an_sql_query(default):
    project, data = default
    sql = ("select p.pillar, sum(b.amount) as total from budget b join programmes p on p.id = b.programme "
           "group by p.pillar order by p.pillar")
    (response,) = query(data, "/masterplan.json?" + _params(sql=sql, _shape="array"))
    totals = {r["pillar"]: r["total"] for r in response.json()}
    expected = {pl.id: sum(p.total_budget for p in project.programmes_of(pl.id)) for pl in project.pillars}
    assert totals == {k: v for k, v in expected.items() if v}


def test_facets_by_pillar_lead_and_status_by_default(default):
    project, data = default
    (response,) = query(data, "/masterplan/programmes.json?_size=0")
    facets = response.json()["facet_results"]
    assert {"pillar", "lead", "status"} <= set(facets)
    counts = {r["value"]: r["count"] for r in facets["pillar"]["results"]}
    assert counts == {pl.id: len(project.programmes_of(pl.id)) for pl in project.pillars}
    labels = {r["value"]: r["label"] for r in facets["pillar"]["results"]}
    assert labels["governance"] == project.pillar("governance").name  # the label column of pillars


def test_full_text_search_finds_a_word_of_a_description(fixture_data: Path):
    # "menyatukan" is only in the description of portal-warga, not in any title or summary
    (response,) = query(fixture_data, "/masterplan/programmes.json?_search=menyatukan&_shape=array")
    assert [r["id"] for r in response.json()] == ["portal-warga"]


def test_metadata_titles_units_and_sortable_columns(default):
    _, data = default
    page, kpis = query(data, "/masterplan/programmes", "/masterplan/kpis.json?_size=1")
    assert "Satu baris per program" in page.text  # the table's description
    assert kpis.json()["units"] == {"achievement": "percent"}
    sortable = query(data, "/masterplan/programmes.json?_sort_desc=budget_total&_shape=array&_size=3")[0].json()
    assert sortable[0]["budget_total"] >= sortable[-1]["budget_total"]


def _params(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)
