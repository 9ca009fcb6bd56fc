"""Where each thing of the model lives on the published site.

Routes are paths of the built HTML files relative to the site root. The site is built without
directory URLs (``program/e-kelurahan.html``), so that it also works opened from the file system.
Shared by the site (pages), the open data (``url`` fields) and the Markdown link resolver.
"""

from __future__ import annotations

import posixpath

HOME = "index.html"
CATALOGUE = "katalog.html"
ROADMAP = "peta-jalan.html"
QUICK_WINS = "quick-wins.html"
KPIS = "indikator.html"
DOWNLOADS = "unduhan.html"
OPD_INDEX = "opd/index.html"
TAGS = "tag.html"



def programme(pid: str) -> str:
    return f"program/{pid}.html"


def pillar(pid: str) -> str:
    return f"pilar/{pid}.html"


def opd(oid: str) -> str:
    return f"opd/{oid}.html"


def chapter(cid: str) -> str:
    return f"bab/{cid}.html"


def for_link(scheme: str, target: str) -> str:
    return {"programme": programme, "pillar": pillar, "opd": opd, "chapter": chapter}[scheme](target)


def source_file(route: str) -> str:
    """The Markdown file MkDocs turns into ``route``."""
    return route[: -len(".html")] + ".md"


def relative(from_route: str, to_route: str) -> str:
    """A link from the page at ``from_route`` to ``to_route`` (or a file), as a relative URL."""
    start = posixpath.dirname(from_route) or "."
    return posixpath.relpath(to_route, start)
