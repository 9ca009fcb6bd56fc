"""``masterplan sheet import``: a filled workbook turned into source changes that validate.

The rows are read and checked cell by cell (``read``), compared with the sources programme by
programme, checked against what the workbook allowed to be edited (an OPD's partners' rows,
everything but one year's realisation), written into a staging copy of the project and
validated there. Only when every cell and the whole result are clean are the files replaced —
all of them or none.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Report
from ..load.project import PILLARS_DIR
from ..model import Programme, Project
from ..pipeline import load_and_check
from ..render import fmt
from . import yamledit
from .export import Scope, programmes_in
from .read import Book, Catalog, Problems, Row, read_book
from .records import BUDGET_KEYS, SHEET_FIELDS, Record, align, programme_record, same, settle

Cell = tuple[str, int, int]


class SourcesBroken(Exception):
    """The sources do not validate; a workbook is imported only into a clean project."""

    def __init__(self, report: Report) -> None:
        super().__init__("the sources have errors")
        self.report = report


@dataclass
class Diff:
    """One difference between a programme's sources and its rows, and the cell that holds it."""

    path: tuple[Any, ...]  # ("status",), ("budget", 0, "realised"), ("kpis", 1, "actuals", 2025), ("budget", 3)
    label: str
    old: Any
    new: Any
    cell: Cell


@dataclass
class Change:
    programme: str
    file: str  # relative to the project
    added: bool
    diffs: list[Diff] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{d.label}: {_show(d.old)} → {_show(d.new)}" for d in self.diffs]


@dataclass
class Outcome:
    problems: Problems
    changes: list[Change] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (id, file) exported but without a row
    written: list[Path] = field(default_factory=list)


@dataclass
class _Entry:
    row: Row
    record: Record
    budget_rows: list[Row]
    kpi_rows: list[Row]
    old: Programme | None = None


def import_workbook(root: Path, workbook: Path, dry_run: bool = False) -> Outcome:
    """Read ``workbook``, check it and (unless ``dry_run``) write its changes into the project."""
    project, report = load_and_check(root)
    if report.errors():
        raise SourcesBroken(report)
    problems = Problems()
    outcome = Outcome(problems)
    book = read_book(workbook, Catalog.of(project), problems)
    if book is None:
        return outcome
    scope = _scope(book, project, problems)
    entries = _entries(book, project, problems)
    if scope is None or problems:
        return outcome
    _check_scope(entries, project, scope, problems)
    if problems:
        return outcome
    seen = {e.record["id"] for e in entries}
    outcome.missing = [(p.id, _rel(p)) for p in programmes_in(project, scope) if p.id not in seen]
    texts: dict[str, str] = {}
    for e in entries:
        old = programme_record(e.old) if e.old is not None else None
        if old is not None and e.old is not None:
            diffs = _diffs(old, e.record, e)
            if not diffs:
                continue
            origin = e.old.origin
            assert origin is not None
            try:
                texts[origin.path] = yamledit.edit(origin.text, old, e.record)
            except yamledit.EditError as exc:
                problems.add("E610", f"{origin.path} cannot be edited in place, keeping its comments: {exc}; "
                                     "change that line by hand (e.g. a space instead of a tab), then import again",
                             *e.row.at("id"))
                continue
            outcome.changes.append(Change(e.record["id"], origin.path, False, diffs))
        else:
            rel = f"{PILLARS_DIR}/{e.record['pillar']}/programmes/{e.record['id']}.yml"
            texts[rel] = yamledit.create(e.record)
            outcome.changes.append(Change(e.record["id"], rel, True))
    if problems or not texts:
        return outcome
    _validate_staged(project, texts, entries, problems)
    if problems or dry_run:
        return outcome
    outcome.written = _replace_all(project.root, texts)
    return outcome


def _rel(p: Programme) -> str:
    return p.origin.path if p.origin is not None else f"{PILLARS_DIR}/{p.pillar}/programmes/{p.id}.yml"


def _scope(book: Book, project: Project, problems: Problems) -> Scope | None:
    from .layout import LISTS

    if book.opd and project.opd(book.opd) is None:
        problems.add("E604", f"the workbook was exported for OPD '{book.opd}', which is no longer in "
                             "masterplan/opd.yml", LISTS)
        return None
    period = project.loaded_edition.period if project.loaded_edition else None
    if book.year is not None and (period is None or not period.start <= book.year <= period.end):
        problems.add("E602", f"the workbook is for the year {book.year}, outside the masterplan's period", LISTS)
        return None
    return Scope(opd=book.opd, year=book.year)


def _entries(book: Book, project: Project, problems: Problems) -> list[_Entry]:
    """Programme rows with their budget and KPI rows, each settled against its sources."""
    by_id: dict[str, _Entry] = {}
    for row in book.programmes:
        pid = row.values.get("id")
        if pid is None:
            continue
        if pid in by_id:
            problems.add("E608", f"programme '{pid}' appears twice; its first row is {by_id[pid].row.row}",
                         *row.at("id"))
            continue
        old = project.programme(pid)
        pillar = row.values.get("pillar")
        if old is not None and pillar and old.pillar != pillar:
            problems.add("E608", f"programme id '{pid}' is already used in pillar '{old.pillar}' ({_rel(old)}); "
                                 "ids are unique across pillars, and a programme moves to another pillar by moving "
                                 "its file", *row.at("id"))
        by_id[pid] = _Entry(row, {}, [], [], old)
    for rows, attr in ((book.budget, "budget_rows"), (book.kpis, "kpi_rows")):
        for row in rows:
            pid = row.values.get("programme")
            if pid is None:
                continue
            if pid not in by_id:
                problems.add("E604", f"programme '{pid}' is not on sheet Program; add its row there first",
                             *row.at("programme"))
                continue
            getattr(by_id[pid], attr).append(row)
    for e in by_id.values():
        record = dict(e.row.values)
        record["budget"] = [{k: r.values.get(k) for k in BUDGET_KEYS} for r in e.budget_rows]
        record["kpis"] = [{k: v for k, v in r.values.items() if k != "programme"} for r in e.kpi_rows]
        if e.old is not None:  # rows in the sources' order (a sorted sheet changes nothing), then settled
            source = programme_record(e.old)
            for kind, attr in (("budget", "budget_rows"), ("kpis", "kpi_rows")):
                order = [j for _, j in align(kind, source[kind], record[kind]) if j is not None]
                record[kind] = [record[kind][j] for j in order]
                setattr(e, attr, [getattr(e, attr)[j] for j in order])
            record = settle(source, record)
        e.record = record
    return list(by_id.values())


def _check_scope(entries: list[_Entry], project: Project, scope: Scope, problems: Problems) -> None:
    """Refuse edits to what the workbook showed read-only, comparing with the sources."""
    shown = {p.id for p in programmes_in(project, scope)}
    for e in entries:
        pid = e.record["id"]
        if e.old is None:
            if scope.year is not None:
                problems.add("E609", f"a realisation workbook for {scope.year} takes no new programmes; "
                                     "add them in a programme workbook", *e.row.at("id"))
            elif scope.opd and e.record.get("lead") != scope.opd:
                problems.add("E609", f"a new programme in the workbook of '{scope.opd}' must be led by '{scope.opd}'",
                             *e.row.at("lead"))
            continue
        if pid not in shown:
            problems.add("E609", f"programme '{pid}' is not part of this workbook (it is led by '{e.old.lead}')",
                         *e.row.at("id"))
            continue
        if scope.editable(e.old):
            continue
        for d in _diffs(programme_record(e.old), e.record, e):
            if not _allowed(d, scope, e):
                what = (f"only the realisation of {scope.year} can be changed in this workbook"
                        if scope.year is not None else
                        f"'{pid}' is led by '{e.old.lead}' and is read-only in the workbook of '{scope.opd}'")
                problems.add("E609", f"{d.label} was changed ({_show(d.old)} → {_show(d.new)}); {what}", *d.cell)


def _allowed(d: Diff, scope: Scope, e: _Entry) -> bool:
    if scope.year is None or e.old is None:
        return False
    path = d.path
    if len(path) == 4 and path[0] == "kpis" and path[2] == "actuals" and path[3] == scope.year:
        return True
    if len(path) == 3 and path[0] == "budget" and path[2] == "realised":
        return e.old.budget[path[1]].year == scope.year
    return False


# --- differences ----------------------------------------------------------------------------


def _diffs(old: Record, new: Record, e: _Entry) -> list[Diff]:
    out: list[Diff] = []
    for key in SHEET_FIELDS:
        if old[key] != new.get(key):
            out.append(Diff((key,), key, old[key], new.get(key), e.row.at(key)))
    for i, j in align("budget", old["budget"], new["budget"]):
        if i is None or j is None:
            a = old["budget"][i] if i is not None else None
            b = new["budget"][j] if j is not None else None
            cell = e.budget_rows[j].at("programme") if j is not None else e.row.at("id")
            out.append(Diff(("budget", i if i is not None else j), "budget row",
                            _budget_label(a) if a else None, _budget_label(b) if b else None, cell))
            continue
        a, b = old["budget"][i], new["budget"][j]
        for k in BUDGET_KEYS:
            if a[k] != b[k]:
                out.append(Diff(("budget", i, k), f"budget {a['year']} {a['source']}: {k}", a[k], b[k],
                                e.budget_rows[j].at(k)))
    for i, j in align("kpis", old["kpis"], new["kpis"]):
        if i is None or j is None:
            cell = e.kpi_rows[j].at("programme") if j is not None else e.row.at("id")
            out.append(Diff(("kpis", i if i is not None else j), "kpi",
                            old["kpis"][i]["indicator"] if i is not None else None,
                            new["kpis"][j]["indicator"] if j is not None else None, cell))
            continue
        a, b = old["kpis"][i], new["kpis"][j]
        name = f"kpi '{_short(a['indicator'], 40)}'"
        row = e.kpi_rows[j]
        for k in ("indicator", "unit", "direction"):
            if a[k] != b[k]:
                out.append(Diff(("kpis", i, k), f"{name}: {k}", a[k], b[k], row.at(k)))
        if a["baseline"] != b["baseline"]:
            out.append(Diff(("kpis", i, "baseline"), f"{name}: baseline", _baseline(a["baseline"]),
                            _baseline(b["baseline"]), row.at("baseline_value")))
        for part, prefix in (("targets", "target"), ("actuals", "actual")):
            for y in sorted(set(a[part]) | set(b[part])):
                if a[part].get(y) != b[part].get(y):
                    out.append(Diff(("kpis", i, part, y), f"{name}: {prefix} {y}", a[part].get(y), b[part].get(y),
                                    row.at(f"{prefix}_{y}")))
    return out


def _budget_label(b: Record) -> str:
    return f"{b['year']} {b['source']} {fmt.thousands(b['amount'])}"


def _baseline(b: Record | None) -> str | None:
    return None if b is None else f"{_show(b['value'])} ({b['year']})"


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return fmt.thousands(value) if value >= 10_000 else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return f"'{_short(value, 60)}'" if " " in str(value) or not value else str(value)


# --- staging and writing --------------------------------------------------------------------


def _validate_staged(project: Project, texts: dict[str, str], entries: list[_Entry], problems: Problems) -> None:
    """Write the new texts into a copy of the project and validate it; its errors refuse the import."""
    rows = {}
    for e in entries:
        rel = _rel(e.old) if e.old is not None else \
            f"{PILLARS_DIR}/{e.record['pillar']}/programmes/{e.record['id']}.yml"
        rows[rel] = e
    with tempfile.TemporaryDirectory(prefix="masterplan-sheet-") as tmp:
        stage = Path(tmp)
        for name in ("masterplan", PILLARS_DIR):
            _copy_sources(project.root / name, stage / name)
        for rel, text in texts.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_text(text, encoding="utf-8")
        staged, report = load_and_check(stage)
    for d in report.errors():
        entry = rows.get(d.path)
        where = entry.row.at("id") if entry is not None else ("", 0, 0)
        problems.add("E610", f"the change would not validate: {d.path}:{d.line}:{d.col}: error[{d.code}]: {d.message}",
                     *where)
    if report.errors():
        return
    for rel in texts:
        e = rows[rel]
        written = staged.programme(e.record["id"])
        if written is None or not same(programme_record(written), e.record):
            problems.add("E610", f"{rel} would not read back as the workbook's row; nothing was written",
                         *e.row.at("id"))


MAX_STAGED_FILES = 100_000  # a project's sources are a few thousand files; links could make a copy endless


def _copy_sources(src: Path, dst: Path) -> None:
    """Copy a source folder for the check of the result: files, never links.

    The sources validated, so every link leads inside the project; a link copied as a link would
    be written through, into the project, by the staging itself. A link to a folder that holds it
    (``assets/here -> ..``, ``pillars/x/up -> ../..``) is left out, since following it would never
    end, and so is a link that leads nowhere; the validator reads neither.
    """
    copied = 0

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        chain = {os.path.realpath(p) for p in (here, *here.parents)}  # the real folders this one is in
        return {n for n in names if os.path.islink(os.path.join(folder, n))
                and os.path.realpath(os.path.join(folder, n)) in chain}

    def copy(a: str, b: str) -> object:
        nonlocal copied
        copied += 1
        if copied > MAX_STAGED_FILES:
            raise OSError(f"more than {MAX_STAGED_FILES:,} files to copy from '{src.name}' (through links to "
                          "folders?); nothing was written")
        return shutil.copy2(a, b)

    shutil.copytree(src, dst, symlinks=False, ignore=ignore, copy_function=copy, ignore_dangling_symlinks=True)


def _replace_all(root: Path, texts: dict[str, str]) -> list[Path]:
    """Write every file or none: all new texts are staged beside their targets, then renamed in.

    A programme file that is a link (to another file of the project: the sources validated) is
    written where the link leads, and the link stays.
    """
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    try:
        for rel, text in texts.items():
            target = _real(root, rel)
            for folder in reversed([target.parent, *target.parent.parents]):
                if not folder.exists():
                    folder.mkdir()
                    created.append(folder)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.chmod(name, target.stat().st_mode & 0o7777 if target.exists() else 0o644)  # an edit keeps the mode
            staged.append((Path(name), target))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            folder.rmdir()
        raise
    originals = {target: target.read_bytes() if target.exists() else None for _, target in staged}
    done: list[Path] = []
    try:
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
    except BaseException:
        for target in done:  # put back what was already replaced
            before = originals[target]
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        for folder in reversed(created):
            folder.rmdir()
        raise
    return done


def _real(root: Path, rel: str) -> Path:
    """Where ``root/rel`` leads, links followed; it must stay inside the project."""
    target = (root / rel).resolve()
    real_root = root.resolve()
    if not target.is_relative_to(real_root):
        raise OSError(f"{rel} leads outside the project; nothing was written")
    return target
