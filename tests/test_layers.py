"""The package's layers import downwards only: errors ← model ← load ← check ← render ← build ← commands.
The model never imports the loader; checks never import the loader; renderers never import another
renderer or the orchestrator."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "tools" / "masterplan_kit"
LAYERS = {"errors": 0, "model": 1, "load": 2, "check": 3, "pipeline": 3, "render": 4, "templating": 4,
          "build": 5, "previous": 5}
COMMANDS = 6  # cli, report, scaffold, init, serve, api, doctor, sheet, diff, bench, synth …
RENDERERS = {"site", "pdf", "docx", "data"}  # the outputs: none imports another
HELPERS_OF = {"pdfmerge": "pdf", "mkdocs_hooks": "site", "datapackage": "data", "database": "data"}  # parts of one renderer


def _module(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> set[tuple[str, ...]]:
    here = _module(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [a.name for a in node.names]
                if node.module is None:
                    found |= {(*target, n) for n in names}
                else:
                    found.add(tuple(target))
            elif node.module and node.module.startswith("masterplan_kit"):
                found.add(tuple(node.module.split(".")[1:]))
        elif isinstance(node, ast.Import):
            found |= {tuple(a.name.split(".")[1:]) for a in node.names if a.name.startswith("masterplan_kit")}
    return {t for t in found if t}


def _layer(parts: tuple[str, ...] | list[str]) -> int:
    return LAYERS.get(parts[0], COMMANDS) if parts else COMMANDS


def test_layers_import_downwards_only():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _module(path)
        if not here:
            continue
        for target in _imports(path):
            if _layer(target) > _layer(here):
                wrong.append(f"{'.'.join(here)} imports {'.'.join(target)}")
    assert not wrong, "\n".join(wrong)


def test_renderers_do_not_import_each_other():
    wrong = []
    for path in sorted((PACKAGE / "render").glob("*.py")):
        me = path.stem
        for target in _imports(path):
            if len(target) >= 2 and target[0] == "render":
                other = target[1]
                if other in RENDERERS and other != me:
                    wrong.append(f"render.{me} imports render.{other}")
                if other in HELPERS_OF and HELPERS_OF[other] != me:
                    wrong.append(f"render.{me} imports render.{other}, a part of render.{HELPERS_OF[other]}")
            if target[0] in ("build", "previous"):
                wrong.append(f"render.{me} imports the orchestrator ({'.'.join(target)})")
    assert not wrong, "\n".join(wrong)
