"""The tables of the open data: one declaration drives the CSV files, the Table Schemas of
datapackage.json, the tables of masterplan.db and datasette's metadata.

Each table is a row model of ``model/export.py`` with its keys. Its columns are read from the row
model's JSON Schema (``columns``): the field order is the column order, the type and constraints
(enum, pattern, minimum) become the Table Schema's, the descriptions become the Table Schema's and
datasette's column descriptions. A list is one cell, its items separated by ``;`` in CSV and a JSON
array in SQLite; lists hold only ids, years and enum values, never free text, so ``;`` never occurs
inside an item.

Free text is a string column with no enum and no pattern (titles, summaries, indicators, names).
Only those cells get the spreadsheet-formula guard of the CSV writer (a leading ``'`` before ``=``,
``+``, ``-``, ``@``, a tab or a carriage return): their Table Schema type is string, so a validator
accepts the guarded text, while every constrained column (ids, enums, numbers, dates) is written
exactly as it is typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from .export import BudgetRow, ElementRow, KpiYearRecord, LocationRow, OpdRow, PillarRow, programme_row

_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "array": "list"}
LIST_DELIMITER = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean or list
    nullable: bool  # the value may be null (None); a list is never null, but may be empty
    description: str | None = None
    item_type: str | None = None  # of a list
    enum: tuple[Any, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    unit: str | None = None

    min_items: int = 0  # of a list

    @property
    def required(self) -> bool:
        """A value must be present: in a CSV file an empty list is an empty cell, a missing value."""
        return not self.nullable and (self.type != "list" or self.min_items > 0)

    @property
    def free_text(self) -> bool:
        """A string that is not an id, an enum value or a code: the spreadsheet guard applies to it."""
        return self.type == "string" and not self.enum and self.pattern is None

    def field(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        if self.type == "list":
            out["delimiter"] = LIST_DELIMITER
            out["itemType"] = self.item_type
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        return out


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _pattern(json_pattern: str | None) -> str | None:
    """A JSON Schema pattern as a Table Schema one: those are anchored to the whole value already."""
    if json_pattern is None:
        return None
    return json_pattern.removeprefix("^").removesuffix("$")


def columns(model: type[BaseModel]) -> list[Column]:
    """The columns of a row model, in field order, from its JSON Schema."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    out = []
    for name, raw in schema["properties"].items():
        prop = _resolve(raw, defs)
        variants = [_resolve(v, defs) for v in prop.get("anyOf", [prop])]
        nullable = any(v.get("type") == "null" for v in variants)
        (value,) = [v for v in variants if v.get("type") != "null"]
        item = _resolve(value["items"], defs) if "items" in value else {}
        out.append(Column(
            name=name, type=_TYPES[value.get("type", "string")], nullable=nullable, min_items=value.get("minItems", 0),
            description=prop.get("description") or value.get("description"),
            item_type=_TYPES[item.get("type", "string")] if value.get("type") == "array" else None,
            enum=tuple(value.get("enum", ())) if value.get("type") != "array" else (),
            pattern=_pattern(value.get("pattern")) if value.get("type") != "array" else None,
            minimum=value.get("minimum"), unit=prop.get("unit"),
        ))
    return out


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One table: build/data/<name>.csv, the resource <name> of datapackage.json, the table <name> of
    masterplan.db."""

    name: str
    title: str
    description: str
    model: type[BaseModel]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    facets: tuple[str, ...] = ()  # datasette's default facets
    sortable: tuple[str, ...] = ()  # datasette's sortable columns
    label: str | None = None  # the column datasette shows for a row a foreign key points to
    sort: str | None = None  # datasette's default order (else the primary key)
    search: tuple[str, ...] = ()  # columns of the full-text index

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @cached_property
    def columns(self) -> list[Column]:
        return columns(self.model)

    def table_schema(self) -> dict[str, Any]:
        """The Frictionless Table Schema of the CSV file."""
        schema: dict[str, Any] = {
            "fields": [c.field() for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(fk.fields), "reference": {"resource": fk.table, "fields": list(fk.reference)}}
                for fk in self.foreign_keys
            ]
        return schema


def _fk(fields: str | tuple[str, ...], table: str, reference: str | tuple[str, ...] = "id") -> ForeignKey:
    as_tuple = lambda v: (v,) if isinstance(v, str) else v  # noqa: E731
    return ForeignKey(as_tuple(fields), table, as_tuple(reference))


def tables(years: list[int]) -> list[Table]:
    """Every table of the open data, referenced tables first (the order of the files and of the
    resources); ``years`` are the years of the period (a budget column each in programmes)."""
    return [
        Table("pillars", "Pilar", "Pilar smart city: definisi, jumlah elemen dan program, total anggaran.",
              PillarRow, ("id",), sortable=("name", "order", "programme_count", "budget_total"), label="name",
              sort="order"),
        Table("elements", "Elemen", "Elemen setiap pilar; id elemen unik di dalam pilarnya.",
              ElementRow, ("pillar", "id"), (_fk("pillar", "pillars"),), facets=("pillar",),
              sortable=("pillar", "name", "programme_count"), label="name"),
        Table("opd", "Perangkat daerah", "Perangkat daerah (OPD) dan kecamatan, dengan jumlah program yang "
              "dipimpin dan didukung.", OpdRow, ("id",), facets=("kind", "verified"),
              sortable=("name", "abbr", "kind", "code", "leads", "supports"), label="name"),
        Table("programmes", "Program", "Satu baris per program: pilar, elemen, OPD pengampu, status, tahun dan "
              "anggaran indikatif per tahun (rupiah).", programme_row(years), ("id",),
              (_fk("pillar", "pillars"), _fk(("pillar", "element"), "elements", ("pillar", "id")),
               _fk("lead", "opd")),
              facets=("pillar", "lead", "status"),
              sortable=("title", "pillar", "element", "lead", "kind", "status", "priority", "start_year", "end_year",
                        *[f"budget_{y}" for y in years], "budget_total", "kpi_count"),
              label="title", search=("title", "summary", "description")),
        Table("budget", "Anggaran", "Satu baris per baris anggaran program: tahun, pagu indikatif, sumber dana "
              "dan realisasi (rupiah).", BudgetRow, ("programme", "line"), (_fk("programme", "programmes"),),
              facets=("year", "source"), sortable=("programme", "year", "amount", "source", "realised")),
        Table("kpis", "Indikator kinerja", "Satu baris per indikator dan tahun: target, realisasi, capaian "
              "(persen), predikat dan status kemajuan.", KpiYearRecord, ("kpi", "year"),
              (_fk("programme", "programmes"), _fk("pillar", "pillars"), _fk("lead", "opd")),
              facets=("year", "pillar", "band", "progress_status"),
              sortable=("kpi", "programme", "pillar", "lead", "year", "target", "actual", "achievement"),
              label="indicator"),
        Table("locations", "Lokasi", "Kecamatan tempat program dilaksanakan.", LocationRow, ("programme", "kecamatan"),
              (_fk("programme", "programmes"), _fk("kecamatan", "opd")), facets=("kecamatan",),
              sortable=("programme", "kecamatan")),
    ]
