"""Where each thing of the model lives on the published site.

Routes are paths of the built HTML files relative to the site root. The site is built without
directory URLs (``program/e-kelurahan.html``), so that it also works opened from the file system.
Shared by the site (pages), the open data (``url`` fields) and the Markdown link resolver.

A section with pages under it has an ``index.html`` (``pilar/index.html``, ``pilar/<id>/index.html``):
the navigation shows such a page as the section itself, and breadcrumbs link to it.
"""

from __future__ import annotations

import posixpath

HOME = "index.html"
PILLARS = "pilar/index.html"
CATALOGUE = "katalog.html"
ROADMAP = "peta-jalan.html"
QUICK_WINS = "quick-wins.html"
KPIS = "indikator.html"
ACHIEVEMENT = "capaian/index.html"
PLACES = "wilayah/index.html"
DOWNLOADS = "unduhan.html"
BOOKS = "buku/index.html"
CHANGES = "buku/perubahan.html"  # what changed since the previous edition, when masterplan.yml names one
OPD_INDEX = "opd/index.html"

LINK_SCHEMES = ("programme", "pillar", "opd", "chapter")  # of id links in Markdown: [e-Kelurahan](programme:e-kelurahan)


def programme(pid: str) -> str:
    return f"program/{pid}.html"


def pillar(pid: str) -> str:
    return f"pilar/{pid}/index.html"


def opd(oid: str, kind: str = "") -> str:
    """An OPD's page; a kecamatan's page is in the Wilayah section (pass the OPD's ``kind``)."""
    return place(oid) if kind == "kecamatan" else f"opd/{oid}.html"


def place(oid: str) -> str:
    """A kecamatan's page."""
    return f"wilayah/{oid}.html"


def chapter(cid: str) -> str:
    return f"bab/{cid}.html"


def achievement(year: int) -> str:
    """The achievement (capaian) of one year."""
    return f"capaian/{year}.html"


def for_link(scheme: str, target: str, kind: str = "") -> str:
    """The page a Markdown link ``scheme:target`` leads to (``kind``: the OPD's, for ``opd:``)."""
    if scheme == "opd":
        return opd(target, kind)
    return {"programme": programme, "pillar": pillar, "chapter": chapter}[scheme](target)


def source_file(route: str) -> str:
    """The Markdown file MkDocs turns into ``route``."""
    return route[: -len(".html")] + ".md"


def relative(from_route: str, to_route: str) -> str:
    """A link from the page at ``from_route`` to ``to_route`` (or a file), as a relative URL.

    Routes are plain relative paths, so the common folders are counted directly (a site links
    tens of thousands of times; ``posixpath.relpath`` asks the file system for the current folder
    each time)."""
    start = posixpath.dirname(from_route).split("/") if "/" in from_route else []
    target = to_route.split("/")
    if any(part in ("", ".", "..") for part in start + target[:-1]):
        return posixpath.relpath(to_route, posixpath.dirname(from_route) or ".")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])
