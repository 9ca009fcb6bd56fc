"""The date a build is of: the same sources give the same dates, so that outputs are reproducible."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def source_date(root: Path | None = None) -> str:
    """ISO date-time (UTC) of SOURCE_DATE_EPOCH, else of the last commit of the git repository at ``root``
    (default: the current folder), else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], check=False, capture_output=True, text=True,
                                   timeout=10, cwd=root).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    seconds = int(epoch) if epoch.isdigit() else 946684800  # 2000-01-01
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
