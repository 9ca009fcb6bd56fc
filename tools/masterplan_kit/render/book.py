"""A volume assembled as HTML chapters: what the PDF and the DOCX renderers both print.

Chapters of the volume's ``contents`` (and one chapter per pillar for ``pillars``), numbered
"BAB I" …; sections, tables and figures numbered per chapter; ids made unique in the volume;
id links resolved to anchors inside the volume (or left as plain text when the target is not in it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..errors import BuildError
from ..model import Project, Volume, evaluation
from ..model.assets import resolve_image
from ..model.dataviews import programmes_in_volume
from ..model.edition import Section
from ..model.sections import SECTIONS, SectionSpec
from ..templating import environment
from . import fmt
from .barchart import BarItem, bar_chart
from .pandoc import Fragment, ViewCall
from .viewrender import render_view


def roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


@dataclass
class Entry:
    """A line of the Daftar Isi, Daftar Tabel or Daftar Gambar."""

    level: int
    anchor: str
    label: str
    title: str
    page: str = ""


@dataclass
class BookChapter:
    key: str
    title: str
    html: str
    label: str = ""  # "BAB I"
    number: str = ""  # "1": prefix of section, table and figure numbers
    annex: bool = False
    front: bool = False
    headings: list[Entry] = field(default_factory=list)
    tables: list[Entry] = field(default_factory=list)
    figures: list[Entry] = field(default_factory=list)

    @property
    def bookmark(self) -> str:
        return f"{self.label} {self.title}".strip()



# --- HTML rewriting -------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_HREF = re.compile(r'href="#([^"]+)"')
_NOTE_REF = re.compile(r'<a href="#([^"]+)" class="footnote-ref"[^>]*><sup>\d+</sup></a>')
_NOTES = re.compile(r'<aside[^>]*class="footnotes[^"]*"[^>]*>.*?</aside>', re.S)
_NOTE_ITEM = re.compile(r'<li id="([^"]+)">(.*?)</li>', re.S)
_BACKLINK = re.compile(r'<a href="#[^"]*" class="footnote-back"[^>]*>.*?</a>')
_EMPTY_LINK = re.compile(r'<a href="#">(.*?)</a>', re.S)
_HEADING = re.compile(r'<h([23])((?:\s[^>]*)?)>(.*?)</h\1>', re.S)
_TABLE_CAPTION = re.compile(r'<table([^>]*)>(\s*)<caption>(.*?)</caption>', re.S)
_FIGURE = re.compile(r'<figure([^>]*)>(.*?)</figure>', re.S)
_FIGCAPTION = re.compile(r'<figcaption([^>]*)>(.*?)</figcaption>', re.S)


def _local(fragment_html: str, key: str) -> str:
    """Make the ids of a fragment unique in the volume, and turn its footnotes into page footnotes."""
    out = _ID.sub(lambda m: m.group(0) if m.group(1).startswith("mpview-") else f'id="{key}--{m.group(1)}"',
                  fragment_html)
    out = _LOCAL_HREF.sub(lambda m: f'href="#{key}--{m.group(1)}"', out)
    notes: dict[str, str] = {}
    for aside in _NOTES.findall(out):
        for m in _NOTE_ITEM.finditer(aside):
            body = _BACKLINK.sub("", m.group(2)).strip()
            body = re.sub(r"^<p>(.*)</p>$", r"\1", body, flags=re.S)
            notes[m.group(1)] = body
    out = _NOTES.sub("", out)
    return _NOTE_REF.sub(lambda m: f'<span class="footnote">{notes.get(m.group(1), "")}</span>', out)


# tables other than programme sheets (.fields) are not hyphenated at all: their names need no guard
_SKIP = re.compile(r"<(svg|style|script|h[1-6]|caption|figcaption|th)\b.*?</\1>"
                   r"|<table(?![^>]*\bclass=\"[^\"]*\bfields\b)[^>]*>.*?</table>|<[^>]+>", re.S)
_NAMES = re.compile(r"(?<![\w&#;-])((?:[a-z]{1,2}-)?[A-Z][\w'’.-]*[\w])")
NAME_NOWRAP = 24  # a hyphenated name up to this length is never broken at its hyphen


def keep_names_whole(page: str) -> str:
    """Words that begin with a capital (proper names, acronyms, words in capitals), of a length
    the hyphenation would touch, wrapped in ``<span class="nh">`` (``hyphens: manual`` in book.css):
    Indonesian patterns must not split "Samarinda" or "SP4N-LAPOR", and a short hyphenated name
    ("e-Warga", "APBD-Prov") is not broken at its hyphen either (``.nb``). Headings, captions, tables
    (but the programme sheets) and pictures are left alone: they are not hyphenated anyway, and in
    a long table every extra span costs layout time."""
    out, last = [], 0
    for m in _SKIP.finditer(page):
        out.append(_wrap_names(page[last:m.start()]))
        out.append(_keep_hyphenated(m.group(0)) if m.group(0).startswith("<table") else m.group(0))
        last = m.end()
    out.append(_wrap_names(page[last:]))
    return "".join(out)


_TEXT = re.compile(r"(?<=>)[^<]+")  # the text between two tags


def _short_hyphenated(name: str) -> bool:
    """"e-Kelurahan", "SP4N-LAPOR": a name kept in one piece on one line."""
    return "-" in name and len(name) <= NAME_NOWRAP


def _keep_hyphenated(table: str) -> str:
    """A table's short hyphenated names on one line (its text is not hyphenated, but a line may
    still break after a hyphen: "APBD-|Prov")."""
    def wrap(m: re.Match) -> str:
        return f'<span class="nb">{m.group(1)}</span>' if _short_hyphenated(m.group(1)) else m.group(1)

    return _TEXT.sub(lambda t: _NAMES.sub(wrap, t.group(0)), table)


def _wrap_names(text: str) -> str:
    def wrap(m: re.Match) -> str:
        name = m.group(1)
        if _short_hyphenated(name):
            return f'<span class="nh nb">{name}</span>'
        return f'<span class="nh">{name}</span>' if len(name) >= 7 else name

    return _NAMES.sub(wrap, text)


_TBODY = re.compile(r"(<tbody\b[^>]*>)(.*?)(</tbody>)", re.S)
_ROW_START = re.compile(r"<tr\b([^>]*)>")


def mark_row_ends(page: str) -> str:
    """The first and last row of each table body marked ``mp-row-first`` / ``mp-row-last``, which
    book.css keeps with their neighbour (no table begins with one row at a page foot or ends with
    one carried over). Classes, not ``:first-child``: a chapter rendered in pieces cuts a table
    in two, and each piece's table would have rows of its own at its ends."""
    def body(m: re.Match) -> str:
        rows = list(_ROW_START.finditer(m.group(2)))
        if len(rows) < 3:
            return m.group(0)
        text, out, last = m.group(2), [], 0
        for row, name in ((rows[0], "mp-row-first"), (rows[-1], "mp-row-last")):
            attrs = row.group(1)
            attrs = (attrs.replace('class="', f'class="{name} ', 1) if 'class="' in attrs
                     else f' class="{name}"{attrs}')
            out += [text[last:row.start()], f"<tr{attrs}>"]
            last = row.end()
        return m.group(1) + "".join(out) + text[last:] + m.group(3)

    return _TBODY.sub(body, page)


_LABELLED = re.compile(r'\baria-(labelledby|describedby)="([^"]+)"')


def _unique_ids(page: str, seen: set[str]) -> str:
    """Ids already used by an earlier chapter renamed (a chart shown twice in a volume carries the
    same ids twice), with the ``aria-labelledby`` that name them; links keep the first."""
    renamed: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        ident = m.group(1)
        if ident in seen:
            n = 2
            while f"{ident}-{n}" in seen:
                n += 1
            renamed[ident] = f"{ident}-{n}"
            ident = renamed[ident]
        seen.add(ident)
        return f'id="{ident}"'

    page = _ID.sub(rename, page)
    if renamed:
        page = _LABELLED.sub(lambda m: f'aria-{m.group(1)}="{" ".join(renamed.get(i, i) for i in m.group(2).split())}"',
                             page)
    return page


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _number(ch: BookChapter) -> None:
    """Number sections (1.1, 1.1.1), tables and figures (Tabel 1.2) and collect them for the lists."""
    counters = [0, 0]
    used: set[str] = set()

    def heading(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        ident = _ID.search(attrs)
        anchor = ident.group(1) if ident else f"{ch.key}--h-{len(used)}"
        if anchor in used:
            anchor = f"{anchor}-{len(used)}"
        used.add(anchor)
        attrs = _ID.sub("", attrs)
        label = ""
        if ch.number and not ch.front:
            if level == 2:
                counters[0] += 1
                counters[1] = 0
                label = f"{ch.number}.{counters[0]}"
            else:
                counters[1] += 1
                label = f"{ch.number}.{counters[0]}.{counters[1]}"
        if level == 2:
            ch.headings.append(Entry(2, anchor, label, _text(inner)))
        prefix = f'<span class="secno">{label}</span> ' if label else ""  # the space also parts them in bookmarks
        return f'<h{level} id="{anchor}"{attrs}>{prefix}{inner}</h{level}>'

    ch.html = _HEADING.sub(heading, ch.html)
    prefix = ch.number or "L"

    def table(m: re.Match) -> str:
        n = len(ch.tables) + 1
        anchor = f"{ch.key}--tabel-{n}"
        attrs = _ID.sub("", m.group(1))
        ch.tables.append(Entry(2, anchor, f"Tabel {prefix}.{n}", _text(m.group(3))))
        return f'<table{attrs}>{m.group(2)}<caption id="{anchor}">Tabel {prefix}.{n} {m.group(3)}</caption>'

    ch.html = _TABLE_CAPTION.sub(table, ch.html)

    def figure(m: re.Match) -> str:
        cap = _FIGCAPTION.search(m.group(2))
        if not cap:
            return m.group(0)
        n = len(ch.figures) + 1
        anchor = f"{ch.key}--gambar-{n}"
        ch.figures.append(Entry(2, anchor, f"Gambar {prefix}.{n}", _text(cap.group(2))))
        inner = m.group(2).replace(cap.group(0), f"<figcaption>Gambar {prefix}.{n} {cap.group(2)}</figcaption>", 1)
        return f'<figure id="{anchor}"{_ID.sub("", m.group(1))}>{inner}</figure>'

    ch.html = _FIGURE.sub(figure, ch.html)


# --- assembling a volume -------------------------------------------------------------------

class VolumeBook:
    def __init__(self, project: Project, volume: Volume, env: jinja2.Environment, fragments: dict,
                 view_templates: dict[str, str] | None = None) -> None:
        """``view_templates`` replaces the template of some data views (e.g. a table for a chart)."""
        self.project, self.volume, self.env = project, volume, env
        self.view_templates = view_templates or {}
        self.chapters_frag, self.narratives, self.descriptions = fragments["chapter"], fragments["pillar"], fragments["programme"]
        contents = volume.items
        self.in_volume = programmes_in_volume(project, contents)
        if "pillars" in contents:
            self.anchored = {p.id for p in project.programmes}
        elif "programme-matrix" in contents:
            self.anchored = {p.id for p in project.programmes if p.id in self.in_volume}
        else:
            self.anchored = set()
        self.chapter_ids = {c for c in contents if c in project.chapters}

    def url(self, scheme: str, target: str, fragment: str = "") -> str:
        if scheme == "programme" and target in self.anchored:
            return f"#prog-{target}"
        if scheme == "pillar" and "pillars" in self.volume.items and self.project.pillar(target):
            return f"#pilar-{target}"
        if scheme == "chapter" and target in self.chapter_ids:
            return f"#{target}--{fragment}" if fragment else f"#{target}"
        return "#"  # not in this volume: the link text stays, unlinked

    def view(self, call: ViewCall) -> str:
        return render_view(self.env, self.project, call, self.url, self.view_templates.get(call.kind))

    def fragment(self, frag: Fragment | None, key: str, source: str) -> str:
        """A converted document in the volume: ids made unique, links and views resolved, images
        as file URLs resolved from ``source``, the file (relative to the project) it came from."""
        if frag is None:
            return ""
        base = (self.project.root / source).parent
        root = self.project.root

        def image(src: str) -> str:
            path = resolve_image(root, base, src).path
            if path is None:
                raise BuildError(f"{source}: image '{src}' is not a file of the project")  # E208 reports it first
            return path.as_uri()

        local = Fragment(_local(frag.html, key), frag.views)
        return local.resolve(self.url, self.view, image)

    def chapters(self) -> tuple[list[BookChapter], list[BookChapter]]:
        """The front matter's chapters and the body's, numbered (BAB I …, LAMPIRAN)."""
        project = self.project
        front: list[BookChapter] = []
        body: list[BookChapter] = []
        for item in self.volume.items:
            if item in project.chapters:
                ch = project.chapters[item]
                book = BookChapter(item, ch.title, self.fragment(self.chapters_frag.get(item), item, ch.path),
                                   front=ch.front)
                (front if ch.front else body).append(book)
            elif (spec := SECTIONS.get(item)) is not None:
                body.extend(self._section(spec))
        n = 0
        for bc in body:
            if bc.annex:
                bc.label = "LAMPIRAN"
            else:
                n += 1
                bc.label, bc.number = f"BAB {roman(n)}", str(n)
        seen: set[str] = set()
        for bc in front + body:
            bc.html = _unique_ids(mark_row_ends(keep_names_whole(_EMPTY_LINK.sub(r"\1", bc.html))), seen)
            _number(bc)
        return front, body

    def _common(self) -> dict:
        def view(kind: str, **attrs: str) -> str:
            return self.view(ViewCall(kind, attrs))

        return {"project": self.project, "edition": self.project.edition, "url": self.url, "view": view}

    def _section(self, spec: SectionSpec) -> list[BookChapter]:
        """A generated section as book chapters (one per pillar for ``pillars``)."""
        project = self.project
        if spec.per_pillar:
            return [self._pillar(pl) for pl in project.pillars]
        options = self.volume.section(spec.id)
        programmes = [p for p in project.programmes if p.id in self.in_volume]
        assert spec.book_template is not None
        extra = SECTION_CONTEXT[spec.id](project, programmes, options) if spec.id in SECTION_CONTEXT else {}
        html_ = self.env.get_template(spec.book_template).render(
            self._common(), programmes=programmes, options=options,
            matrix_anchors="pillars" not in self.volume.items, **extra)
        title = options.title if options is not None and options.title else spec.title
        return [BookChapter(spec.key, title, html_, annex=spec.annex)]

    def _pillar(self, pl) -> BookChapter:
        project = self.project
        key = f"pilar-{pl.id}"
        descriptions = {p.id: self.fragment(self.descriptions.get(p.id), f"prog-{p.id}",
                                            p.origin.path if p.origin else f"pillars/{pl.id}/programmes/{p.id}.yml")
                        for p in project.programmes_of(pl.id)}
        html_ = self.env.get_template("pdf/sections/pillar.html.j2").render(
            self._common(), pillar=pl, programmes=project.programmes_of(pl.id), descriptions=descriptions,
            narrative=self.fragment(self.narratives.get(pl.id), key, pl.narrative.path if pl.narrative else ""))
        html_ = html_.replace('id="program"', f'id="{key}--program"').replace(
            'id="peta-jalan"', f'id="{key}--peta-jalan"')
        return BookChapter(key, f"Pilar {pl.name}", html_)


# --- rendering -----------------------------------------------------------------------------


def book_environment(root: Path, cache: Path | None = None) -> jinja2.Environment:
    """Templates for the printed outputs (HTML, autoescaped), compiled ones kept in ``cache``."""
    return environment(root, cache=cache)


# --- what generated sections need beyond the programmes ----------------------------------------

def _achievement(project: Project, programmes: list, options: Section | None) -> dict:
    """The year's evaluation: the city and every pillar rolled up, the KPIs below target, and each
    KPI's achievement and progress (model/evaluation.py computes; the template prints)."""
    year = options.year if options is not None and options.year else evaluation.latest_actual_year(project)
    if year is None:
        year = project.edition.period.start
    end = project.edition.period.end
    rows = []
    for ref in evaluation.kpi_refs(programmes):
        rows.append({"ref": ref, "achievement": evaluation.achievement(ref.kpi, year),
                     "progress": evaluation.progress(ref.kpi, end, as_of=year)})
    pillar_rollups = evaluation.rollups(project, year, "pillar")
    items = [BarItem(r.name, r.mean_achievement or 0.0, fmt.percent(r.mean_achievement)
                     + (f" · {evaluation.BANDS[r.band]}" if r.band else ""), BAND_COLOURS.get(r.band or "", "#9e9e9e"))
             for r in pillar_rollups]
    return {
        "year": year,
        "city": evaluation.city_rollup(project, year),
        "pillar_rollups": pillar_rollups,
        "chart": bar_chart("capaian-pilar", f"Rata-rata capaian indikator per pilar, {year}", items,
                           value_w=190),
        "band_colours": BAND_COLOURS,
        "band_floors": evaluation.BAND_FLOORS,
        "shortfalls": evaluation.below_target(project, year),
        "kpi_rows": rows,
        "bands": evaluation.BANDS,
        "statuses": evaluation.STATUSES,
    }


# achievement bands, darkest for the best (each paired with its name wherever it is shown)
BAND_COLOURS = {"sangat-tinggi": "#1b5e20", "tinggi": "#43a047", "sedang": "#f9a825", "rendah": "#ef6c00",
                "sangat-rendah": "#c62828"}

SectionContext = Callable[[Project, list, "Section | None"], dict]
# section id -> what its book template needs beyond the programmes in the volume
SECTION_CONTEXT: dict[str, SectionContext] = {
    "achievement": _achievement,
    "changes": lambda project, programmes, options: {"changes": project.previous},
}
