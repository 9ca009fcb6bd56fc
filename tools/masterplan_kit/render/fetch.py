"""The only way WeasyPrint reads anything: ``data:`` URLs and files inside allowed folders.

No network, no redirects, nothing outside the project (and the toolkit's own templates, for the
stylesheet and fonts).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedResource(FatalURLFetchingError):
    """A resource outside what a build may read; stops the rendering."""


class ProjectFetcher(URLFetcher):
    def __init__(self, *roots: Path) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedResource(f"refused to fetch '{url[:100]}': builds read only files of the project")
        path = Path(url2pathname(unquote(urlsplit(url).path)))
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            raise RefusedResource(f"cannot read '{path}'") from None
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"refused to read '{path}': it lies outside the project")
        if not resolved.is_file():
            raise RefusedResource(f"file not found: '{path}'")
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(resolved.as_uri(), resolved.read_bytes(), {"Content-Type": mime})
