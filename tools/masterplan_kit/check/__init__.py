"""Checks on the loaded model: references, consistency, then advisories (warnings)."""

from __future__ import annotations

from ..errors import Report
from ..model import Project
from . import advisories, consistency, references


def check_project(project: Project, report: Report) -> None:
    consistency.check(project, report)
    references.check(project, report)
    advisories.check(project, report)
