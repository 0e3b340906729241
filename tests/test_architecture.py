"""The package's shape: stages import one way (no cycles between folders), Prefect only in
`orchestration/`, and nothing in the core imports the CLI."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "newsetl"


def _imports() -> dict[str, set[str]]:
    """Top-level names (stage folders or modules) each module imports, by module path."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            out[rel].update(names)
    return out


def _stage(name: str) -> str | None:
    """The stage folder (or top-level module) a `newsetl.…` name belongs to."""
    parts = name.split(".")
    if parts[0] != "newsetl" or len(parts) < 2 or parts[1] == "__version__":
        return None
    return parts[1]


def _exists(stage: str) -> bool:
    return (PACKAGE / stage).is_dir() or (PACKAGE / f"{stage}.py").is_file()


def test_stages_import_one_way() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for rel, names in _imports().items():
        here = rel.split("/")[0].removesuffix(".py")
        for name in names:
            there = _stage(name)
            if there and there != here and _exists(there):
                graph[here].add(there)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert [s for s in graph if reaches(s, s, {s})] == []
    assert not any("cli" in deps for stage, deps in graph.items() if stage != "cli")


def test_only_orchestration_imports_prefect() -> None:
    users = {
        rel.split("/")[0]
        for rel, names in _imports().items()
        if any(n == "prefect" or n.startswith(("prefect.", "prefect_")) for n in names)
    }
    assert users == {"orchestration"}
