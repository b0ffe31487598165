"""The direction of the house (ADR 0019): the contracts package
(``wijkwerk``) imports neither the platform package nor a service; the platform package
(``wijkwerk_platform``) imports no service; no service imports the platform package.
Every module is parsed, imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CONTRACTS = REPO / "shared" / "src" / "wijkwerk"
PLATFORM = REPO / "tools" / "src" / "wijkwerk_platform"
SERVICE_SOURCES = sorted(p for p in (REPO / "services").glob("*/src/*") if (p / "__init__.py").is_file())
SERVICES = {p.name for p in SERVICE_SOURCES}


def imported(path: Path) -> set[str]:
    """The top-level package of every absolute import in ``path``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def arrows(root: Path, forbidden: set[str]) -> list[str]:
    modules = sorted(root.rglob("*.py"))
    assert modules, f"no modules under {root}"
    return [f"{path.relative_to(REPO)} imports {name}"
            for path in modules for name in sorted(imported(path) & forbidden)]


def test_the_services_are_found():
    assert {"toeleiding", "prestaties", "cheques", "evaluatie"} <= SERVICES


def test_the_contracts_package_imports_neither_the_platform_nor_a_service():
    assert arrows(CONTRACTS, SERVICES | {"wijkwerk_platform"}) == []


def test_the_platform_package_imports_no_service():
    assert arrows(PLATFORM, SERVICES) == []


@pytest.mark.parametrize("source", SERVICE_SOURCES, ids=lambda p: p.name)
def test_no_service_imports_the_platform_package(source: Path):
    assert arrows(source, {"wijkwerk_platform"}) == []


def test_an_import_inside_a_function_counts(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from cheques.config import Settings\n    import toeleiding.api\n")
    assert imported(module) == {"cheques", "toeleiding"}
