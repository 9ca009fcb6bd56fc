"""build/data/masterplan.db, the tables of the open data in SQLite, and metadata.json, what datasette
shows about them.

The database is written with sqlite-utils: each table with its column types, NOT NULL columns,
primary key and foreign keys (compound ones too), and a full-text index (FTS5, datasette's
``<table>_fts`` convention) on the columns a table declares searchable. Lists are JSON arrays, so
that datasette can facet and filter on their items (``?partners__arraycontains=diskominfo``).

The same rows give the same bytes: the file is written fresh, in one order, with a fixed page size
and no journal, and is never vacuumed (a VACUUM may renumber the rowids the full-text index
refers to).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..model import Project
from ..model.licences import licence
from ..model.tables import Column, Table

DATABASE = "masterplan"  # datasette names a database by its file stem
_SQL_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": int, "list": str}


def _json_array(items: list) -> str:
    return json.dumps(items, ensure_ascii=False)


def value_writer(column: Column) -> Callable[[Any], Any] | None:
    """How a column's values are stored, None for as they are: a list as a JSON array, a boolean as 0/1."""
    if column.type == "list":
        return _json_array
    if column.type == "boolean":
        return int
    return None


def _records(table: Table, rows: list[BaseModel]) -> Iterator[list[Any]]:
    cols = table.columns
    values = attrgetter(*[c.name for c in cols])
    writers = [(i, w) for i, c in enumerate(cols) if (w := value_writer(c)) is not None]
    for r in rows:
        cells = list(values(r)) if len(cols) > 1 else [values(r)]
        for i, w in writers:
            if cells[i] is not None:
                cells[i] = w(cells[i])
        yield cells


def database(declared: list[Table], rows: dict[str, list[BaseModel]]) -> bytes:
    """The bytes of masterplan.db."""
    import sqlite_utils

    with tempfile.TemporaryDirectory(prefix="masterplan-db-") as tmp:
        path = Path(tmp) / f"{DATABASE}.db"
        db = sqlite_utils.Database(path)
        try:
            db.execute("PRAGMA page_size = 4096")
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            for table in declared:
                cols = table.columns
                db[table.name].create(  # type: ignore[union-attr]
                    {c.name: _SQL_TYPES[c.type] for c in cols},
                    pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
                    foreign_keys=[(fk.fields[0] if len(fk.fields) == 1 else fk.fields, fk.table,
                                   fk.reference[0] if len(fk.reference) == 1 else fk.reference)
                                  for fk in table.foreign_keys],
                    not_null=[c.name for c in cols if not c.nullable],
                )
                # one prepared statement for all rows: sqlite-utils' insert_all inspects every value
                insert = f'INSERT INTO "{table.name}" VALUES ({", ".join("?" for _ in cols)})'
                with db.conn:
                    db.conn.executemany(insert, _records(table, rows[table.name]))
                if table.search:
                    db[table.name].enable_fts(list(table.search), fts_version="FTS5")  # type: ignore[union-attr]
        finally:
            db.close()
        return path.read_bytes()


def datasette_metadata(project: Project, declared: list[Table]) -> dict[str, Any]:
    """datasette's metadata.json: the title, licence and source of the data, and for each table its
    description, column descriptions and units, default facets, sortable columns and label column."""
    ed = project.edition
    assert ed is not None  # the validator stops every build without masterplan.yml
    data_licence = licence(ed.licence.data or ed.licence.content)
    meta: dict[str, Any] = {
        "title": f"{ed.title} {ed.period.start}–{ed.period.end}",
        "description": (f"Data terbuka {ed.title}: program, anggaran, indikator kinerja, pilar, elemen, "
                        "perangkat daerah dan lokasi, dapat ditanya dengan SQL."
                        + (f" {ed.notice}" if ed.notice else "")),
        "license": data_licence.spdx,
        "license_url": data_licence.url,
        "source": ed.publisher or ed.city,
    }
    if ed.site_url:
        meta["source_url"] = ed.site_url
    tables: dict[str, Any] = {}
    for table in declared:
        entry: dict[str, Any] = {"title": table.title, "description": table.description}
        described = {c.name: c.description for c in table.columns if c.description}
        if described:
            entry["columns"] = described
        units = {c.name: c.unit for c in table.columns if c.unit}
        if units:
            entry["units"] = units
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.sortable:
            entry["sortable_columns"] = list(table.sortable)
        if table.label:
            entry["label_column"] = table.label
        if table.sort:
            entry["sort"] = table.sort
        if table.search:
            entry["fts_table"] = f"{table.name}_fts"
        tables[table.name] = entry
    meta["databases"] = {DATABASE: {"tables": tables}}
    return meta
