"""The only way WeasyPrint reads anything: ``data:`` URLs and files inside allowed folders.

No network, no redirects, nothing outside the project (and the toolkit's own templates, for the
stylesheets and fonts). A file under the toolkit's templates is read from the project's own
``templates/`` when it has one of the same name (templates override file by file, fonts and
stylesheets' imports too). Every file read is recorded with its digest, so that a cached rendering
can tell when what it was made from has changed.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .resources import read_digests, resolve_resource

__all__ = ["ProjectFetcher", "RefusedResource", "read_digests", "resolve_resource"]


class RefusedResource(FatalURLFetchingError):
    """A resource outside what a build may read; stops the rendering."""


class ProjectFetcher(URLFetcher):
    def __init__(self, project: Path, *more: Path) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.project = project.resolve()
        self.roots = [self.project, *(r.resolve() for r in more)]
        self.read: dict[str, str] = {}  # requested path -> SHA-256 of the bytes given

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedResource(f"refused to fetch '{url[:100]}': builds read only files of the project")
        path = Path(url2pathname(unquote(urlsplit(url).path)))
        try:
            requested = path.resolve()
        except (OSError, RuntimeError):
            raise RefusedResource(f"cannot read '{path}'") from None
        if not any(requested.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"refused to read '{path}': it lies outside the project")
        resolved = resolve_resource(requested, self.project)
        if not resolved.is_file():
            raise RefusedResource(f"file not found: '{path}'")
        data = resolved.read_bytes()
        self.read[str(requested)] = hashlib.sha256(data).hexdigest()
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(resolved.as_uri(), data, {"Content-Type": mime})
