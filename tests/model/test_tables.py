"""The table declarations: columns, types and keys come from the row models, and the keys hold together."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from masterplan_kit.model.export import ProgrammeRow
from masterplan_kit.model.tables import tables

YEARS = [2023, 2024, 2025]


@pytest.fixture(scope="module")
def declared():
    return {t.name: t for t in tables(YEARS)}


def test_programmes_has_a_budget_column_per_year_after_end_year(declared):
    names = [c.name for c in declared["programmes"].columns]
    i = names.index("end_year")
    assert names[i + 1:i + 4] == ["budget_2023", "budget_2024", "budget_2025"]
    assert names[i + 4] == "budget_total"
    assert [n for n in names if not n.startswith("budget_2")] == list(ProgrammeRow.model_fields)


def test_columns_carry_types_constraints_and_nullability(declared):
    cols = {c.name: c for c in declared["programmes"].columns}
    assert (cols["id"].type, cols["id"].pattern, cols["id"].required) == ("string", "[a-z0-9]+(-[a-z0-9]+)*", True)
    assert cols["status"].enum == ("planned", "ongoing", "done", "dropped")
    assert (cols["quick_win"].type, cols["budget_2024"].type, cols["budget_2024"].minimum) == ("boolean", "integer", 0)
    assert (cols["partners"].type, cols["partners"].item_type) == ("list", "string")
    assert (cols["years"].type, cols["years"].item_type) == ("list", "integer")
    # an empty list is an empty cell: required only where the model asks for an item
    assert (cols["partners"].required, cols["partners"].nullable, cols["years"].required) == (False, False, True)
    assert cols["description"].required is False
    achievement = next(c for c in declared["kpis"].columns if c.name == "achievement")
    assert (achievement.type, achievement.required, achievement.unit) == ("number", False, "percent")


def test_only_unconstrained_strings_are_free_text(declared):
    free = {c.name for c in declared["programmes"].columns if c.free_text}
    assert free == {"title", "summary", "url", "description"}
    assert {c.name for c in declared["kpis"].columns if c.free_text} == {"indicator", "unit"}


def test_table_schema_fields_and_keys(declared):
    schema = declared["programmes"].table_schema()
    assert [f["name"] for f in schema["fields"]] == [c.name for c in declared["programmes"].columns]
    assert schema["primaryKey"] == ["id"] and schema["missingValues"] == [""]
    partners = next(f for f in schema["fields"] if f["name"] == "partners")
    assert (partners["type"], partners["delimiter"], partners["itemType"]) == ("list", ";", "string")
    assert {"fields": ["pillar", "element"], "reference": {"resource": "elements", "fields": ["pillar", "id"]}} in (
        schema["foreignKeys"])
    status = next(f for f in schema["fields"] if f["name"] == "status")
    assert status["constraints"] == {"required": True, "enum": ["planned", "ongoing", "done", "dropped"]}


def test_every_foreign_key_points_at_the_primary_key_of_an_earlier_table():
    seen: dict[str, tuple[str, ...]] = {}
    for table in tables(YEARS):
        names = {c.name for c in table.columns}
        assert set(table.primary_key) <= names
        assert {*table.facets, *table.sortable, *table.search} <= names
        assert table.sort is None or table.sort in table.sortable  # datasette refuses to sort otherwise
        for fk in table.foreign_keys:
            assert set(fk.fields) <= names
            assert seen[fk.table] == fk.reference, f"{table.name} -> {fk.table}"
        seen[table.name] = table.primary_key


def test_the_readme_lists_every_column_of_every_table():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for table in tables(YEARS):
        start = readme.index(f"- `{table.file}` — ")
        entry = readme[start:readme.index("\n- ", start + 1)]
        named = re.findall(r"`([a-z_<>]+)`", entry)
        columns = [re.sub(r"budget_\d{4}", "budget_<year>", c.name) for c in table.columns]
        columns = list(dict.fromkeys(columns))
        found = [n for n in named if n in columns]
        assert list(dict.fromkeys(found))[:len(columns)] == columns, table.name
