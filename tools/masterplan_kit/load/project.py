"""Load every source of a project into one typed model, reporting what cannot be loaded."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

from ..errors import Location, Report
from ..model import Chapter, ChapterMeta, Document, Edition, Opd, Pillar, Programme, Project
from ..model.base import is_slug
from . import markdown_syntax as markdown
from . import yamlsafe
from .schema_errors import validate
from .sources import Source, SourceError, inside, new_run, read_text

EDITION_FILE = "masterplan/masterplan.yml"
OPD_FILE = "masterplan/opd.yml"
CHAPTERS_DIR = "masterplan/chapters"
PILLARS_DIR = "pillars"

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` that holds masterplan/masterplan.yml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / EDITION_FILE).is_file():
            return candidate
    return None


def load_project(root: Path, report: Report) -> Project:
    root = root.resolve()
    new_run()
    project = Project(root=root)
    project.loaded_edition = _load_model(root, root / EDITION_FILE, Edition, report, required=True)
    project.opds = _load_opds(root, project, report)
    _load_pillars(root, project, report)
    _load_chapters(root, project, report)
    return project


def _parse_file(root: Path, file: Path) -> tuple[Source | None, Any, SourceError | None]:
    try:
        rel, text = read_text(root, file)
        src = Source(rel, text)
        return src, yamlsafe.parse(src), None
    except SourceError as exc:
        return None, None, exc


def _parse_job(job: tuple[Path, list[Path]]) -> list[tuple[Source | None, Any, SourceError | None]]:
    root, files = job
    return [_parse_file(root, f) for f in files]


def _parse_all(root: Path, files: list[Path]) -> list[tuple[Source | None, Any, SourceError | None]]:
    """Parse many YAML files, on every core when there are enough of them (parsing dominates)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _parse_job((root, files))
    chunks = [(root, files[i::workers * 4]) for i in range(workers * 4)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_parse_job, chunks)
    results: list = [None] * len(files)
    for i, part in enumerate(parts):
        results[i::workers * 4] = part
    return results


def _parse_yaml(root: Path, file: Path, report: Report, required: bool) -> tuple[Source, Any] | None:
    rel = file.relative_to(root).as_posix()
    if not file.is_file():
        if required:
            report.add("E008", Location(rel), f"required file '{rel}' is missing")
        return None
    return _parsed(rel, _parse_file(root, file), report)


def _parsed(rel: str, result: tuple, report: Report) -> tuple[Source, Any] | None:
    src, data, exc = result
    if exc is not None:
        report.add(exc.code, Location(rel, exc.line, exc.col), exc.message)
        return None
    return src, data


def _to_model(parsed: tuple[Source, Any] | None, model: type, report: Report):
    if parsed is None:
        return None
    src, data = parsed
    obj = validate(model, data, src, (), report)
    if obj is not None:
        obj.attach(src)
    return obj


def _load_model(root: Path, file: Path, model: type, report: Report, required: bool = False):
    return _to_model(_parse_yaml(root, file, report, required), model, report)


def _load_opds(root: Path, project: Project, report: Report) -> list[Opd]:
    parsed = _parse_yaml(root, root / OPD_FILE, report, required=True)
    if parsed is None:
        return []
    src, data = parsed
    if not isinstance(data, list):
        report.add("E103", src.where(()), "opd.yml must be a list of OPD entries (each starting with '- id:')")
        return []
    opds = []
    for i, item in enumerate(data):
        opd = validate(Opd, item, src, (i,), report)
        if opd is not None:
            opd.attach(src, (i,))
            opds.append(opd)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            project.unloaded["opd"].add(item["id"])
    return opds


def _linked_out(root: Path, folder: Path, report: Report) -> bool:
    """A folder that leads outside the project (a link, or inside a linked folder): E011, not read."""
    if inside(root, folder):
        return False
    report.add("E011", Location(folder.relative_to(root).as_posix()),
               "folder leads outside the project (a link to another place); only the project's own files are read")
    return True


def _load_pillars(root: Path, project: Project, report: Report) -> None:
    pillars_dir = root / PILLARS_DIR
    if not pillars_dir.is_dir():
        report.add("E008", Location(PILLARS_DIR), "the 'pillars' folder is missing")
        return
    if _linked_out(root, pillars_dir, report):
        return
    pillars: list[Pillar] = []
    programme_files: list[tuple[str, Path]] = []
    for entry in sorted(pillars_dir.iterdir()):
        rel = entry.relative_to(root).as_posix()
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            report.add("E009", Location(rel), "only pillar folders belong in 'pillars/'")
            continue
        if not is_slug(entry.name):
            report.add("E106", Location(rel), f"pillar folder '{entry.name}' is not a valid id (lowercase slug)")
            continue
        if _linked_out(root, entry, report):
            project.unloaded["pillar"].add(entry.name)
            continue
        pillar = _load_model(root, entry / "pillar.yml", Pillar, report, required=True)
        if pillar is None:
            project.unloaded["pillar"].add(entry.name)
        else:
            pillar._id = entry.name
            pillars.append(pillar)
            index = entry / "index.md"
            if index.is_file():
                pillar._narrative = _load_markdown(root, index, entry.name, report, required=False)
        programme_files.extend((entry.name, f) for f in _programme_files(root, entry, report))
    programmes: list[Programme] = []
    parsed = _parse_all(root, [f for _, f in programme_files])
    for (pillar_id, file), result in zip(programme_files, parsed, strict=True):
        programme = _to_model(_parsed(file.relative_to(root).as_posix(), result, report), Programme, report)
        if programme is None:
            project.unloaded["programme"].add(file.stem)
        else:
            programme._id = file.stem
            programme._pillar = pillar_id
            _description(programme, report)
            programmes.append(programme)
    pillars.sort(key=lambda p: (p.order, p.id))
    order = {p.id: i for i, p in enumerate(pillars)}
    programmes.sort(key=lambda p: (order.get(p.pillar, len(order)), p.pillar, p.id))
    project.pillars, project.programmes = pillars, programmes


def _programme_files(root: Path, pillar_dir: Path, report: Report) -> list[Path]:
    folder = pillar_dir / "programmes"
    if not folder.is_dir() or _linked_out(root, folder, report):
        return []
    out = []
    for file in sorted(folder.iterdir()):
        rel = file.relative_to(root).as_posix()
        if file.name.startswith("."):
            continue
        if file.suffix != ".yml" or file.is_dir():
            hint = " (rename it to .yml)" if file.suffix == ".yaml" else ""
            report.add("E009", Location(rel), f"'{file.name}' is not a programme file: programmes are '<id>.yml'{hint}")
            continue
        if not is_slug(file.stem):
            report.add("E106", Location(rel),
                       f"file name '{file.stem}' is not a valid programme id (lowercase slug, e.g. 'e-kelurahan')")
            continue
        out.append(file)
    return out


def _load_chapters(root: Path, project: Project, report: Report) -> None:
    folder = root / CHAPTERS_DIR
    if not folder.is_dir() or _linked_out(root, folder, report):
        return
    for file in sorted(folder.iterdir()):
        rel = file.relative_to(root).as_posix()
        if file.name.startswith("."):
            continue
        if file.suffix != ".md" or file.is_dir():
            report.add("E009", Location(rel), f"'{file.name}' is not a chapter: chapters are '<id>.md'")
            continue
        if not is_slug(file.stem):
            report.add("E106", Location(rel), f"file name '{file.stem}' is not a valid chapter id (lowercase slug)")
            continue
        chapter = _load_markdown(root, file, file.stem, report, required=True)
        if chapter is not None:
            project.chapters[chapter.id] = chapter


def _load_markdown(root: Path, file: Path, chapter_id: str, report: Report, required: bool) -> Chapter | None:
    rel = file.relative_to(root).as_posix()
    try:
        rel, text = read_text(root, file)
        front, body, body_line = markdown.split_front_matter(text, required)
    except SourceError as exc:
        report.add(exc.code, Location(rel, exc.line, exc.col), exc.message)
        return None
    except markdown.FrontMatterError as exc:
        report.add("E010", Location(rel, exc.line, 1), exc.message)
        return None
    meta = None
    if front is not None:
        src = Source(rel, front, line_offset=1)
        try:
            data = yamlsafe.parse(src)
        except SourceError as exc:
            report.add(exc.code, Location(rel, exc.line + 1, exc.col), exc.message)
        else:
            meta = validate(ChapterMeta, data if data is not None else {}, src, (), report)
            if meta is not None:
                meta.attach(src)
    doc = markdown.parse(body, markdown.chapter_locator(rel, body_line))
    _report_syntax(doc, report)
    bad = markdown.forbidden_char(body)
    if bad is not None:
        line = body.count("\n", 0, bad.start())
        col = bad.start() - (body.rfind("\n", 0, bad.start()) + 1)
        report.add("E107", doc.locate(line, col),
                   f"control character {markdown.describe_char(bad.group())} is not allowed in text; remove it")
    return Chapter(chapter_id, rel, meta, doc)


def _report_syntax(doc: Document, report: Report) -> None:
    for problem in doc.problems:
        report.add(problem.code, doc.locate(problem.line, problem.col), problem.message)


def _description(programme: Programme, report: Report) -> None:
    """Read the extensions of a programme's Markdown description, located inside its YAML file."""
    text = programme.description
    if not text:
        return
    src, path = programme.origin, (*programme.base, "description")
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def locate(line: int, col: int) -> Location:
        if src is None:
            return Location("<memory>", line + 1, col + 1)
        return src.text_position(path, text, starts[line] + col)

    programme._doc = markdown.parse(text, locate)
    _report_syntax(programme._doc, report)
