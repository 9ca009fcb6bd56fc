"""The workbook's layout, shared by export and import: sheets, columns, header rows and lists.

Every data sheet has the machine field names in a hidden first row and Indonesian headers in the
second; data starts on the third. The import reads columns by the hidden names and refuses a
workbook whose hidden row differs from the layout, so a column that was moved, inserted or
renamed is noticed instead of read into the wrong field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from ..model import Project
from ..model.programme import Direction, FundingSource, Kind, Priority, Status
from ..render import fmt

FORMAT = "masterplan-sheet 1"  # written into the lists sheet; an import refuses other formats

PROGRAM, BUDGET, KPI, GUIDE, LISTS = "Program", "Anggaran", "Indikator", "Petunjuk", "Daftar"
DATA_SHEETS = (PROGRAM, BUDGET, KPI)
SHEETS = (GUIDE, PROGRAM, BUDGET, KPI, LISTS)  # the order of export

KEY_ROW, LABEL_ROW, FIRST_ROW = 1, 2, 3
BLANK_ROWS = {PROGRAM: 20, BUDGET: 60, KPI: 40}  # empty rows with dropdowns for new entries

YES, NO = "ya", "tidak"
KINDS: tuple[str, ...] = get_args(Kind)
STATUSES: tuple[str, ...] = get_args(Status)
PRIORITIES: tuple[str, ...] = get_args(Priority)
SOURCES: tuple[str, ...] = get_args(FundingSource)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
DIRECTION_LABELS = {"increase": "naik: makin tinggi makin baik", "decrease": "turun: makin rendah makin baik",
                    "maintain": "dipertahankan: minimal sama dengan target"}


@dataclass(frozen=True)
class Column:
    """One column of a data sheet.

    ``kind`` says how a cell is read: ``id`` (a slug), ``text`` (one line), ``longtext`` (may hold
    line breaks), ``choice`` (one value of the list ``choices``), ``ids`` (slugs separated by
    commas), ``years`` (years separated by commas), ``year``, ``amount`` (whole rupiah) or
    ``number``.
    """

    key: str
    header: str
    kind: str
    width: float
    choices: str | None = None
    required: bool = False

    @property
    def is_code(self) -> bool:
        """Ids and codes are stored as text so that Excel never turns them into dates or numbers."""
        return self.kind in ("id", "ids", "years") or (self.kind == "choice" and self.choices != "year")


PROGRAM_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID program", "id", 28, required=True),
    Column("pillar", "Pilar", "choice", 14, "pillar", True),
    Column("title", "Judul", "text", 34, required=True),
    Column("summary", "Ringkasan (satu kalimat)", "longtext", 50, required=True),
    Column("description", "Uraian", "longtext", 64),
    Column("element", "Elemen", "choice", 24, "element", True),
    Column("lead", "OPD pengampu", "choice", 18, "opd", True),
    Column("partners", "OPD mitra", "ids", 26, "opd"),
    Column("kind", "Jenis", "choice", 15, "kind", True),
    Column("status", "Status", "choice", 12, "status", True),
    Column("priority", "Prioritas", "choice", 11, "priority"),
    Column("quick_win", "Quick win", "choice", 10, "yesno"),
    Column("years", "Tahun pelaksanaan", "years", 20, required=True),
    Column("locations", "Lokasi (kecamatan)", "ids", 24, "kecamatan"),
    Column("related", "Program terkait", "ids", 28),
)

BUDGET_COLUMNS: tuple[Column, ...] = (
    Column("programme", "ID program", "id", 28, "programme", True),
    Column("year", "Tahun", "choice", 9, "year", True),
    Column("amount", "Pagu indikatif (Rp)", "amount", 20, required=True),
    Column("source", "Sumber dana", "choice", 13, "source", True),
    Column("realised", "Realisasi (Rp)", "amount", 20),
    Column("note", "Keterangan", "text", 34),
)

KPI_FIXED: tuple[Column, ...] = (
    Column("programme", "ID program", "id", 28, "programme", True),
    Column("indicator", "Indikator", "longtext", 46, required=True),
    Column("unit", "Satuan", "text", 12, required=True),
    Column("direction", "Arah", "choice", 11, "direction"),
    Column("baseline_year", "Tahun baseline", "year", 10),
    Column("baseline_value", "Nilai baseline", "number", 10),
)


def period_years(project: Project) -> list[int]:
    edition = project.edition
    if edition is None:
        return []
    return list(range(edition.period.start, edition.period.end + 1))


def kpi_columns(years: list[int]) -> tuple[Column, ...]:
    """The fixed KPI columns, then a target and an actual (realisasi) column per year of the period."""
    per_year: list[Column] = []
    for y in years:
        per_year.append(Column(f"target_{y}", f"Target {y}", "number", 11))
        per_year.append(Column(f"actual_{y}", f"Realisasi {y}", "number", 11))
    return KPI_FIXED + tuple(per_year)


def columns(sheet: str, years: list[int]) -> tuple[Column, ...]:
    return {PROGRAM: PROGRAM_COLUMNS, BUDGET: BUDGET_COLUMNS}.get(sheet) or kpi_columns(years)


@dataclass(frozen=True)
class ListSpec:
    """One list of the hidden lists sheet: its values (the dropdown) and a label for each."""

    name: str
    header: str
    values: tuple[str, ...]
    labels: tuple[str, ...]


def lists(project: Project) -> dict[str, ListSpec]:
    """Every dropdown list, from the project (pillars, elements, OPD, kecamatan) and the model."""
    elements = [(p.id, e.id, e.name) for p in project.pillars for e in p.elements]
    kecamatan = [o for o in project.opds if o.kind == "kecamatan"]
    years = [str(y) for y in period_years(project)]
    specs = [
        ListSpec("pillar", "Pilar", tuple(p.id for p in project.pillars), tuple(p.name for p in project.pillars)),
        ListSpec("element", "Elemen", tuple(dict.fromkeys(e for _, e, _ in elements)),
                 tuple(dict.fromkeys(n for _, _, n in elements))),
        ListSpec("opd", "OPD", tuple(o.id for o in project.opds), tuple(o.name for o in project.opds)),
        ListSpec("kecamatan", "Kecamatan", tuple(o.id for o in kecamatan), tuple(o.name for o in kecamatan)),
        ListSpec("kind", "Jenis", KINDS, tuple(fmt.KIND[k] for k in KINDS)),
        ListSpec("status", "Status", STATUSES, tuple(fmt.STATUS[s] for s in STATUSES)),
        ListSpec("priority", "Prioritas", PRIORITIES, tuple(fmt.PRIORITY[p] for p in PRIORITIES)),
        ListSpec("yesno", "Quick win", (YES, NO), ("Ya", "Tidak")),
        ListSpec("source", "Sumber dana", SOURCES, tuple(fmt.SOURCE[s] for s in SOURCES)),
        ListSpec("direction", "Arah", DIRECTIONS, tuple(DIRECTION_LABELS[d] for d in DIRECTIONS)),
        ListSpec("year", "Tahun", tuple(years), tuple(years)),
    ]
    return {s.name: s for s in specs}


META_KEYS = ("format", "mode", "opd", "year", "period")  # the export's settings, kept in the lists sheet
