"""The package metadata of build/data/: datapackage.json, a Frictionless Data Package (v2) with a Table
Schema for every CSV file, and ckan.json, the dataset as a CKAN portal (Satu Data) creates it.

Both describe the files by name, size and SHA-256, so they are made last, from the bytes of the
other files. datapackage.json lists the CSV and JSON data files (each JSON file names its JSON Schema, which
Frictionless would otherwise read as a Table Schema); ckan.json lists the files a portal offers
for download (CSV, JSON, masterplan.db and datapackage.json). Neither lists itself, nor
metadata.json (datasette's settings).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from ..model import Edition, Project
from ..model.licences import licence
from ..model.tables import Table

DATAPACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"

# the JSON files: what each holds, in Indonesian (the CSV files are described by their table)
JSON_FILES = {
    "programmes.json": "Semua program secara lengkap: pilar, elemen, OPD, tahun, anggaran, indikator, "
                       "keterkaitan dan lokasi.",
    "kpis.json": "Satu baris per indikator dan tahun: target, realisasi, capaian, predikat dan status kemajuan.",
    "pillars.json": "Pilar beserta elemen, daftar program dan total anggarannya.",
    "opd.json": "Perangkat daerah beserta program yang dipimpin dan didukung.",
}
FORMATS = {".csv": ("csv", "text/csv"), ".json": ("json", "application/json"),
           ".db": ("sqlite", "application/vnd.sqlite3")}


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dataset_name(ed: Edition) -> str:
    """e.g. masterplan-smart-city-kota-samarinda-2023-2025: the package's and the CKAN dataset's name."""
    name = slug(ed.title)
    period = f"{ed.period.start}-{ed.period.end}"
    if not name.endswith(period):
        name = f"{name}-{period}".strip("-")
    return name[:100].rstrip("-")


def version(ed: Edition) -> str:
    return ed.version or f"{ed.period.start}-{ed.period.end}"


def publisher(ed: Edition) -> str:
    return ed.publisher or ed.city


def keywords(project: Project) -> list[str]:
    ed = project.edition
    assert ed is not None
    found = ["smart city", "masterplan", ed.city, *([ed.province] if ed.province else []),
             *(pl.name for pl in project.pillars)]
    return list(dict.fromkeys(k for k in found if k))


def _description(ed: Edition) -> str:
    text = (f"Data terbuka {ed.title} {ed.period.start}–{ed.period.end}: program, anggaran, indikator kinerja, "
            "pilar, elemen, perangkat daerah dan lokasi program.")
    return f"{text}\n\n{ed.notice}" if ed.notice else text


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def data_package(project: Project, declared: list[Table], files: dict[str, bytes], created: str) -> dict[str, Any]:
    """datapackage.json: the package, its licence, publisher and source, and a resource per CSV and JSON file."""
    ed = project.edition
    assert ed is not None
    data_licence = licence(ed.licence.data or ed.licence.content)
    package: dict[str, Any] = {
        "$schema": DATAPACKAGE_V2,
        "name": dataset_name(ed),
        "title": f"{ed.title} {ed.period.start}–{ed.period.end}",
        "description": _description(ed),
        "version": version(ed),
        "created": created,
        "keywords": keywords(project),
        "licenses": [{"name": data_licence.spdx, "path": data_licence.url, "title": data_licence.title}],
        "contributors": [{"title": publisher(ed), "roles": ["publisher"], "organization": ed.city}],
        "sources": [{"title": f"{ed.title} (sumber YAML dan Markdown)",
                     **({"path": ed.site_url} if ed.site_url else {})}],
    }
    if ed.site_url:
        package["homepage"] = ed.site_url
    resources: list[dict[str, Any]] = []
    for table in declared:
        resources.append({
            "name": table.name, "type": "table", "path": table.file, "title": table.title,
            "description": table.description + " Sel teks bebas yang diawali =, +, -, @, tab atau CR diberi "
                                               "awalan ' agar tidak dibaca sebagai rumus oleh spreadsheet.",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(files[table.file]), "hash": _digest(files[table.file]),
            "schema": table.table_schema(),
        })
    for name, text in JSON_FILES.items():
        resources.append({
            "name": name.removesuffix(".json") + "-json", "path": name, "title": name,
            "description": f"{text} JSON Schema: {name.removesuffix('.json')}.schema.json.",
            "format": "json", "mediatype": "application/json", "encoding": "utf-8",
            "bytes": len(files[name]), "hash": _digest(files[name]),
        })
    package["resources"] = resources
    return package


def _tag(text: str) -> str:
    """A CKAN tag: letters, digits, spaces, '-', '_' and '.'; 2 to 100 characters."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w .-]", " ", text)).strip()[:100]


def ckan_dataset(project: Project, declared: list[Table], files: dict[str, bytes]) -> dict[str, Any]:
    """ckan.json: the dataset as CKAN's ``package_create`` takes it, its resources' urls relative to this
    file, or absolute under ``site_url`` (where the site publishes the data, in data/)."""
    ed = project.edition
    assert ed is not None
    data_licence = licence(ed.licence.data or ed.licence.content)
    org = {"name": slug(publisher(ed))[:100], "title": publisher(ed)}
    base = ed.site_url.rstrip("/") + "/data/" if ed.site_url else ""
    extras = [{"key": "period", "value": f"{ed.period.start}-{ed.period.end}"}]
    if ed.region_code:
        extras.insert(0, {"key": "region_code", "value": ed.region_code})
    if ed.province:
        extras.append({"key": "province", "value": ed.province})
    descriptions = {**JSON_FILES,
                    "masterplan.db": "Basis data SQLite berisi tabel yang sama, dengan indeks teks penuh; "
                                     "siap disajikan dengan datasette.",
                    "datapackage.json": "Metadata Frictionless Data Package: skema tabel, kunci dan lisensi."}
    tables = {t.file: t for t in declared}
    names = [*tables, *JSON_FILES, "masterplan.db", "datapackage.json"]
    resources = []
    for name in names:
        fmt, mediatype = FORMATS["." + name.rsplit(".", 1)[-1]]
        resources.append({
            "name": name, "url": base + name, "format": fmt.upper() if fmt != "sqlite" else "SQLite",
            "mimetype": mediatype,
            "description": tables[name].description if name in tables else descriptions[name],
            "size": len(files[name]), "hash": _digest(files[name]),
        })
    dataset: dict[str, Any] = {
        "name": dataset_name(ed),
        "title": f"{ed.title} {ed.period.start}–{ed.period.end}",
        "notes": _description(ed),
        "license_id": data_licence.ckan,
        "owner_org": org["name"],
        "organization": org,
        "author": publisher(ed),
        "version": version(ed),
        "tags": [{"name": t} for t in dict.fromkeys(_tag(k) for k in keywords(project)) if len(t) >= 2],
        "extras": extras,
        "resources": resources,
    }
    if ed.site_url:
        dataset["url"] = ed.site_url
    return dataset

