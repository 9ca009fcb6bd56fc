"""Referential integrity: every id a source names must exist."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from ..errors import Location, Report, did_you_mean
from ..model import Chapter, Document, Edition, Image, Link, Project, View, Volume
from ..model.assets import resolve_image
from ..model.dataviews import FILTERS, VIEWS
from ..model.edition import Section
from ..model.licences import LICENCES
from ..model.programme import Kind, Priority, Status
from ..model.sections import SECTIONS


def check(project: Project, report: Report) -> None:
    opd_ids = [o.id for o in project.opds]
    known_opds = set(opd_ids) | project.unloaded["opd"]
    kecamatan = [o.id for o in project.opds if o.kind == "kecamatan"]
    programme_ids = [p.id for p in project.programmes]
    for p in project.programmes:
        pillar = project.pillar(p.pillar)
        if pillar is not None and pillar.element(p.element) is None:
            names = [e.id for e in pillar.elements]
            report.add("E201", p.where("element"),
                       f"element '{p.element}' is not an element of pillar '{p.pillar}'{did_you_mean(p.element, names)}"
                       f"; its elements are: {', '.join(names)}")
        if p.lead not in known_opds:
            _opd(report, p.lead, p.where("lead"), opd_ids)
        for i, partner in enumerate(p.partners):
            if partner not in known_opds:
                _opd(report, partner, p.where("partners", i), opd_ids)
        for i, rel in enumerate(p.related):
            if rel == p.id:
                report.add("E204", p.where("related", i), f"programme '{p.id}' lists itself as related")
            elif not project.exists("programme", rel):
                report.add("E203", p.where("related", i), f"unknown programme '{rel}'{did_you_mean(rel, programme_ids)}")
        for i, loc in enumerate(p.locations):
            if loc not in kecamatan:
                report.add("E210", p.where("locations", i),
                           f"unknown kecamatan '{loc}'{did_you_mean(loc, kecamatan)}; locations name OPD entries of kind 'kecamatan'")
        if p.doc is not None and p.origin is not None:
            _document(project, report, p.doc, Path(project.root, p.origin.path).parent)

    edition = project.loaded_edition
    if edition is not None:
        for n, v in enumerate(edition.volumes):
            for i, entry in enumerate(v.contents):
                _content(project, report, edition, v, entry, ("volumes", n, "contents", i))
        for field in ("content", "data"):
            spdx = getattr(edition.licence, field)
            if spdx is not None and spdx not in LICENCES:
                report.add("E104", edition.where("licence", field),
                           f"licence.{field}: '{spdx}' is not a licence this toolkit knows{did_you_mean(spdx, list(LICENCES))}"
                           f"; use an SPDX id: {', '.join(LICENCES)}")
        if edition.logo:
            logo = edition.logo
            where = edition.where("logo")
            _images(project, report, [Image(logo, where.line - 1, where.col - 1, lambda _l, _c: where)],
                    project.root / "masterplan")

    for chapter in _chapters(project):
        _document(project, report, chapter.doc, Path(project.root, chapter.path).parent)


def _document(project: Project, report: Report, doc: Document, base: Path) -> None:
    _links(project, report, doc.links)
    _images(project, report, doc.images, base)
    for view in doc.views:
        _view(project, report, view)


def _content(project: Project, report: Report, edition: Edition, volume: Volume, entry: str | Section,
             at: tuple) -> None:
    """One entry of a volume's contents: a chapter id, a generated section, or one with options."""
    if isinstance(entry, str):
        if entry not in project.chapters and entry not in SECTIONS:
            options = list(project.chapters) + list(SECTIONS)
            report.add("E205", edition.where(*at), f"volume '{volume.id}': '{entry}' is neither a chapter nor a "
                                                   f"generated section{did_you_mean(entry, options)}")
        return
    spec = SECTIONS.get(entry.id)
    if spec is None:
        report.add("E205", edition.where(*at, "id"),
                   f"volume '{volume.id}': '{entry.id}' is not a generated section{did_you_mean(entry.id, list(SECTIONS))}"
                   "; options are given to generated sections only")
    elif entry.year is not None:
        period = edition.period
        if not spec.takes_year:
            takers = ", ".join(s.id for s in SECTIONS.values() if s.takes_year)
            report.add("E209", edition.where(*at, "year"), f"section '{entry.id}' takes no year; only {takers} do")
        elif not period.start <= entry.year <= period.end:
            report.add("E302", edition.where(*at, "year"),
                       f"year {entry.year} is outside the period {period.start}–{period.end}")


def _chapters(project: Project) -> list[Chapter]:
    out = list(project.chapters.values())
    out += [p.narrative for p in project.pillars if p.narrative is not None]
    return out


def _opd(report: Report, opd_id: str, where: Location, opd_ids: list[str]) -> None:
    report.add("E202", where, f"unknown OPD '{opd_id}'{did_you_mean(opd_id, opd_ids)}; OPD are listed in masterplan/opd.yml")


def _links(project: Project, report: Report, links: list[Link]) -> None:
    for link in links:
        t = link.target
        if link.scheme == "programme" and not project.exists("programme", t):
            report.add("E203", link.where, f"unknown programme '{t}'{did_you_mean(t, [p.id for p in project.programmes])}")
        elif link.scheme == "pillar" and not project.exists("pillar", t):
            report.add("E206", link.where, f"unknown pillar '{t}'{did_you_mean(t, [p.id for p in project.pillars])}")
        elif link.scheme == "chapter" and t not in project.chapters:
            report.add("E207", link.where, f"unknown chapter '{t}'{did_you_mean(t, list(project.chapters))}")
        elif link.scheme == "opd" and not project.exists("opd", t):
            _opd(report, t, link.where, [o.id for o in project.opds])


def _images(project: Project, report: Report, images: list[Image], base: Path) -> None:
    for image in images:
        target = resolve_image(project.root, base, image.url)
        if target.path is None:
            report.add("E208", image.where, target.problem)


_ENUMS = {"kind": get_args(Kind), "status": get_args(Status), "priority": get_args(Priority)}


def _view(project: Project, report: Report, view: View) -> None:
    spec = VIEWS[view.kind]
    allowed = spec.attributes
    period = project.loaded_edition.period if project.loaded_edition else None
    for name, value in view.attrs.items():
        where = view.attr_where(name)
        if name not in allowed:
            report.add("E209", where, f"data view '.{view.kind}' has no attribute '{name}'{did_you_mean(name, allowed)}"
                       + (f"; it accepts: {', '.join(allowed)}" if allowed else "; it takes no attributes"))
            continue
        option = spec.option(name)
        if option is not None:
            if value not in option.values:
                report.add("E209", where, f"{name}={value}: expected one of {', '.join(option.values)}"
                           f"{did_you_mean(value, option.values)}")
            continue
        ref = FILTERS[name].refers_to
        if ref == "pillar" and not project.exists("pillar", value):
            report.add("E206", where, f"unknown pillar '{value}'{did_you_mean(value, [p.id for p in project.pillars])}")
        elif ref == "element" and not any(p.element(value) for p in project.pillars):
            names = [e.id for p in project.pillars for e in p.elements]
            report.add("E201", where, f"unknown element '{value}'{did_you_mean(value, names)}")
        elif ref == "opd" and not project.exists("opd", value):
            _opd(report, value, where, [o.id for o in project.opds])
        elif ref == "programme" and not project.exists("programme", value):
            report.add("E203", where, f"unknown programme '{value}'{did_you_mean(value, [p.id for p in project.programmes])}")
        elif ref in _ENUMS and value not in _ENUMS[ref]:
            report.add("E209", where, f"{name}={value}: expected one of {', '.join(_ENUMS[ref])}{did_you_mean(value, _ENUMS[ref])}")
        elif ref == "year":
            if not value.isdigit():
                report.add("E209", where, f"year={value}: expected a year such as 2024")
            elif period and not (period.start <= int(value) <= period.end):
                report.add("E302", where, f"year {value} is outside the period {period.start}–{period.end}")
        elif ref == "bool" and value.lower() not in ("true", "false"):
            report.add("E209", where, f"{name}={value}: expected true or false")
