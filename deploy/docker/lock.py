"""Writes the image's lock files: ``deploy/docker/requirements/<service>.txt``, every
distribution the service's image installs, pinned with its hashes (``make lock``).

The inputs are the pins of ``shared/pyproject.toml``, ``tools/pyproject.toml`` (the platform
package: the image's ``wijkwerk`` command for the migration, topics and replay jobs) and
``services/<service>/pyproject.toml`` (their ``dependencies``, not the extras: the image has
no embedded engines and no test tools), plus the build back-end that installs the local
packages without an index.
``uv pip compile --generate-hashes`` resolves them for the image's Python (3.11, Linux) and
writes every file's hash of each pinned version, so the Dockerfile installs with
``pip install --require-hashes --no-deps`` and a changed file on the index fails the build.
tests/deploy/test_lock.py checks, offline, that the locks still carry the pyproject pins.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "deploy" / "docker" / "requirements"
SERVICES = ("toeleiding", "prestaties", "cheques", "evaluatie")
PYTHON = "3.11"
# The image's base (Debian bookworm, glibc 2.36); only binary wheels, as the builder installs.
PLATFORM = "x86_64-manylinux_2_36"
# Installs shared and the service (editable) in the builder with --no-build-isolation.
BUILD_BACKEND = ("setuptools==84.2.1",)


def pins(pyproject: Path) -> list[str]:
    """The third-party requirements of a pyproject (the shared package itself excluded)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [r for r in project.get("dependencies", []) if not r.startswith("wijkwerk-")]


def inputs(service: str) -> list[str]:
    return [*pins(REPO / "shared" / "pyproject.toml"), *pins(REPO / "tools" / "pyproject.toml"),
            *pins(REPO / "services" / service / "pyproject.toml"), *BUILD_BACKEND]


def compile_lock(service: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".in", delete=False) as f:
        f.write("\n".join(inputs(service)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "uv", "pip", "compile", f.name, "--generate-hashes", "--no-header", "--quiet",
         "--python-version", PYTHON, "--python-platform", PLATFORM, "--only-binary", ":all:", "--no-annotate",
         "--index-url", "https://pypi.org/simple", "--output-file", str(OUT / f"{service}.txt")],
        check=True,
    )
    Path(f.name).unlink()
    body = (OUT / f"{service}.txt").read_text(encoding="utf-8")
    (OUT / f"{service}.txt").write_text(
        f"# The {service} image's dependencies, pinned with hashes: written by `make lock`\n"
        "# (deploy/docker/lock.py) from shared/pyproject.toml, tools/pyproject.toml and "
        f"services/{service}/pyproject.toml; do not edit.\n" + body, encoding="utf-8")


def main() -> None:
    for service in sys.argv[1:] or SERVICES:
        compile_lock(service)


if __name__ == "__main__":
    main()
