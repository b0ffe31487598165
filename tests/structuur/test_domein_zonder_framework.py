"""The house rule that keeps the domains pure: importing any service's ``domain`` package
loads no web framework, database driver, broker client or HTTP client (STYLE habit 1).

Each service is checked in a fresh interpreter, so what other tests imported earlier
cannot hide (or fake) a violation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

VERBODEN = ("fastapi", "starlette", "sqlalchemy", "asyncpg", "aiokafka", "httpx")

_PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1] + ".domain")
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


@pytest.mark.parametrize("service", ["toeleiding", "prestaties", "cheques", "evaluatie"])
def test_importing_a_domain_loads_no_framework_or_driver(service):
    run = subprocess.run([sys.executable, "-c", _PROBE, service], capture_output=True, text=True, check=True)
    result = json.loads(run.stdout)
    assert result["modules"], f"{service}.domain has no modules to check"
    assert sorted(set(VERBODEN) & set(result["loaded"])) == []


def _loaded_after(statement: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", f"import json, sys; {statement};"
                          "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


def test_the_probe_sees_a_framework_when_one_is_imported():
    assert {"fastapi", "starlette"} <= _loaded_after("import wijkwerk.problems")


def test_the_error_base_is_standard_library_only():
    added = _loaded_after("import wijkwerk.fouten") - _loaded_after("pass")
    assert added - set(sys.stdlib_module_names) == {"wijkwerk"}
