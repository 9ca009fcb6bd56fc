"""``masterplan serve --api``: the open data as a read-only web API, served by datasette.

datasette comes with the optional extra ``[api]`` (``pip install 'masterplan[api]'``). It serves
build/data/masterplan.db immutable (opened read-only, never written, no locks) with the titles,
descriptions, facets and sortable columns of build/data/metadata.json, and with CORS headers so that
the city's browser applications on other origins can read it. The same as
``datasette serve -i build/data/masterplan.db -m build/data/metadata.json --cors --port 8001``.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8001  # datasette's own default; the site preview keeps 8000
INSTALL_HINT = "pip install 'masterplan[api]'"


def datasette_installed() -> bool:
    try:
        import datasette  # noqa: F401
    except ImportError:
        return False
    return True


def api_app(data_dir: Path) -> Any:
    """The datasette instance of build/data/: masterplan.db immutable, with metadata.json."""
    from datasette.app import Datasette

    metadata = json.loads((data_dir / "metadata.json").read_text(encoding="utf-8"))
    return Datasette([], immutables=[str(data_dir / "masterplan.db")], metadata=metadata, cors=True)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is built: a port in use (or a host that is not
    this machine's) is an OSError here, reported in one line, and port 0 gives the free port chosen."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def serve_api(data_dir: Path, sock: socket.socket) -> None:
    """Serve on ``sock`` until interrupted."""
    import asyncio

    import uvicorn

    ds = api_app(data_dir)
    asyncio.run(ds.invoke_startup())
    config = uvicorn.Config(ds.app(), log_level="info", lifespan="on", workers=1)
    uvicorn.Server(config).run(sockets=[sock])
