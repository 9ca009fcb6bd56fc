"""Skeletons for new sources (``masterplan new``): valid, commented, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from .errors import Location, Report, did_you_mean
from .load.project import CHAPTERS_DIR, PILLARS_DIR
from .model import Project
from .model.base import RESERVED_IDS, is_slug
from .templating import environment


def _env(root: Path) -> jinja2.Environment:
    return environment(root, "scaffold", autoescape=False)  # YAML and Markdown sources, not HTML


def new_programme(project: Project, pillar_id: str, programme_id: str, report: Report) -> Path | None:
    root = project.root
    pillar = project.pillar(pillar_id)
    where = Location(f"{PILLARS_DIR}/{pillar_id}/programmes/{programme_id}.yml")
    if pillar is None:
        report.add("E206", where, f"unknown pillar '{pillar_id}'{did_you_mean(pillar_id, [p.id for p in project.pillars])}")
        return None
    if not is_slug(programme_id):
        report.add("E106", where, f"'{programme_id}' is not a valid programme id (lowercase slug, e.g. 'e-kelurahan')")
        return None
    if programme_id in RESERVED_IDS:
        report.add("E108", where, f"'{programme_id}' cannot be a programme id: the site uses that name for a page of "
                                  "its own; choose another id")
        return None
    existing = project.programme(programme_id)
    if existing is not None and existing.pillar != pillar_id:
        other = existing.origin.path if existing.origin else f"pillar '{existing.pillar}'"
        report.add("E301", where, f"programme id '{programme_id}' is already used by {other}")
        return None
    edition = project.loaded_edition
    period = edition.period if edition else None
    years = list(range(period.start, period.end + 1)) if period else []
    lead = "diskominfo" if project.opd("diskominfo") else (project.opds[0].id if project.opds else "diskominfo")
    text = _env(root).get_template("programme.yml.j2").render(
        id=programme_id, pillar=pillar, element=pillar.elements[0].id, lead=lead, years=years,
        period=period, title=programme_id.replace("-", " ").capitalize(),
        summary="Ringkasan program dalam satu kalimat.", schema_path="../../../schemas/programme.schema.json",
    )
    return _create(root, where, text, report)


def new_chapter(project: Project, chapter_id: str, report: Report) -> Path | None:
    where = Location(f"{CHAPTERS_DIR}/{chapter_id}.md")
    if not is_slug(chapter_id):
        report.add("E106", where, f"'{chapter_id}' is not a valid chapter id (lowercase slug, e.g. 'pendahuluan')")
        return None
    if chapter_id in RESERVED_IDS:
        report.add("E108", where, f"'{chapter_id}' cannot be a chapter id: the site uses that name for a page of "
                                  "its own; choose another id")
        return None
    text = _env(project.root).get_template("chapter.md.j2").render(
        id=chapter_id, title=chapter_id.replace("-", " ").title(), schema_path="../../schemas/chapter.schema.json",
        pillar_id=project.pillars[0].id if project.pillars else None,
    )
    return _create(project.root, where, text, report)


def _create(root: Path, where: Location, text: str, report: Report) -> Path | None:
    """Create ``root/where.path`` exclusively: an existing file is never overwritten, and nothing is
    written through a linked folder to a place outside the project."""
    target = root / where.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(root.resolve()):
        report.add("E011", where, f"'{Path(where.path).parent.as_posix()}' leads outside the project (a link to "
                                  "another place); the file was not written")
        return None
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        report.add("E301", where, f"'{where.path}' already exists; it was left unchanged")
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return target
