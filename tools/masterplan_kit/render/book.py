"""A volume assembled as HTML chapters: what the PDF and the DOCX renderers both print.

Chapters of the volume's ``contents`` (and one chapter per pillar for ``pillars``), numbered
"BAB I" …; sections, tables and figures numbered per chapter; ids made unique in the volume;
id links resolved to anchors inside the volume (or left as plain text when the target is not in it).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..model import Project, Volume
from ..model.dataviews import programmes_in_volume
from ..templating import environment
from . import fmt
from .pandoc import Fragment, ViewCall
from .viewrender import render_view

GENERATED_TITLES = {"roadmap": "Peta Jalan", "quick-wins": "Quick Wins", "kpis": "Indikator Kinerja",
                    "programme-matrix": "Matriks Program"}
GENERATED_KEYS = {"roadmap": "peta-jalan", "quick-wins": "quick-wins", "kpis": "indikator",
                  "programme-matrix": "matriks-program"}




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
    continued: bool = False  # a later render unit of the chapter (no heading of its own)
    headings: list[Entry] = field(default_factory=list)
    tables: list[Entry] = field(default_factory=list)
    figures: list[Entry] = field(default_factory=list)

    @property
    def bookmark(self) -> str:
        return f"{self.label} {self.title}".strip()

    def units(self) -> list["BookChapter"]:
        """The chapter cut where its content forces a new page (``<div class="unit-break">``):
        parts the PDF renderer renders, and caches, one by one."""
        from dataclasses import replace

        parts = self.html.split(UNIT_BREAK)
        return [replace(self, html=part, continued=i > 0) for i, part in enumerate(parts)]


# --- HTML rewriting -------------------------------------------------------------------------

UNIT_BREAK = '<div class="unit-break"></div>'
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

    def fragment(self, frag: Fragment | None, key: str) -> str:
        if frag is None:
            return ""
        local = Fragment(_local(frag.html, key), frag.views)
        return local.resolve(self.url, self.view, None)

    def chapters(self) -> tuple[list[BookChapter], list[BookChapter]]:
        project, front, body = self.project, [], []
        env = self.env
        view = lambda kind, **attrs: self.view(ViewCall(kind, attrs))  # noqa: E731
        common = dict(project=project, edition=project.edition, url=self.url, view=view)
        for item in self.volume.items:
            if item in project.chapters:
                ch = project.chapters[item]
                book = BookChapter(item, ch.title, self.fragment(self.chapters_frag.get(item), item), front=ch.front)
                (front if ch.front else body).append(book)
            elif item == "pillars":
                for pl in project.pillars:
                    key = f"pilar-{pl.id}"
                    descriptions = {p.id: self.fragment(self.descriptions.get(p.id), f"prog-{p.id}")
                                    for p in project.programmes_of(pl.id)}
                    html_ = env.get_template("pdf/sections/pillar.html.j2").render(
                        common, pillar=pl, programmes=project.programmes_of(pl.id), descriptions=descriptions,
                        narrative=self.fragment(self.narratives.get(pl.id), key))
                    html_ = html_.replace('id="program"', f'id="{key}--program"').replace(
                        'id="peta-jalan"', f'id="{key}--peta-jalan"')
                    body.append(BookChapter(key, f"Pilar {pl.name}", html_))
            elif item in GENERATED_TITLES:
                programmes = [p for p in project.programmes if p.id in self.in_volume]
                html_ = env.get_template(f"pdf/sections/{item}.html.j2").render(
                    common, programmes=programmes, matrix_anchors="pillars" not in self.volume.contents)
                body.append(BookChapter(GENERATED_KEYS[item], GENERATED_TITLES[item], html_,
                                        annex=item == "programme-matrix"))
        n = 0
        for ch in body:
            if ch.annex:
                ch.label = "LAMPIRAN"
            else:
                n += 1
                ch.label, ch.number = f"BAB {roman(n)}", str(n)
        for ch in front + body:
            ch.html = _EMPTY_LINK.sub(r"\1", ch.html)
            _number(ch)
        return front, body


# --- rendering -----------------------------------------------------------------------------


def book_environment(root: Path, cache: Path | None = None) -> jinja2.Environment:
    """Templates for the printed outputs (HTML, autoescaped), compiled ones kept in ``cache``."""
    return environment(root, cache=cache)
