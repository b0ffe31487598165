"""The image's lock files (deploy/docker/requirements/<service>.txt, `make lock`) carry every
pin of shared/pyproject.toml and the service's pyproject.toml with the same version and
its hashes, and the Dockerfile installs from them in hash-checking mode. Offline: when this
fails after a dependency change, run `make lock`."""

from __future__ import annotations

import importlib.util
import re

import pytest
from deploykit import DEPLOY, DOCKERFILE  # type: ignore[import-not-found]
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from wijkwerk_platform.cli.services import SERVICES

LOCKS = DEPLOY / "docker" / "requirements"


def _lock_module():
    spec = importlib.util.spec_from_file_location("wijkwerk_lock", DEPLOY / "docker" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parse(text: str) -> dict[str, tuple[str, list[str]]]:
    """{name: (version, hashes)} of a pip requirements file with hashes."""
    entries: dict[str, tuple[str, list[str]]] = {}
    name = None
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("--hash") else line.strip()
        if not line:
            continue
        requirement, *options = line.split(" --")
        req = Requirement(requirement.strip())
        (specifier,) = req.specifier
        assert specifier.operator == "==", f"{req}: not pinned exactly"
        name = canonicalize_name(req.name)
        hashes = [o.strip().removeprefix("hash=") for o in options if o.startswith("hash=")]
        entries[name] = (specifier.version, hashes)
    return entries


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_every_pyproject_pin_is_in_the_lock_with_its_version_and_hashes(service):
    lock = _parse((LOCKS / f"{service}.txt").read_text(encoding="utf-8"))
    inputs = _lock_module().inputs(service)
    assert len(inputs) > 20
    for line in inputs:
        req = Requirement(line)
        (specifier,) = req.specifier
        assert specifier.operator == "==", f"{service}: {line} is not pinned in its pyproject"
        name = canonicalize_name(req.name)
        assert name in lock, f"{service}: {req.name} is not in the lock: run `make lock`"
        assert lock[name][0] == specifier.version, (
            f"{service}: {req.name} is {specifier.version} in the pyproject, {lock[name][0]} in the lock: run `make lock`")
    for name, (_version, hashes) in lock.items():
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{service}: {name}"


def test_the_parser_reads_pins_and_hashes():
    text = "# header\nfoo-bar==1.2 \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64 + "\nbaz==3\n"
    assert _parse(text) == {"foo-bar": ("1.2", ["sha256:" + "a" * 64, "sha256:" + "b" * 64]), "baz": ("3", [])}


def test_the_image_installs_the_services_lock_in_hash_checking_mode():
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    assert "COPY deploy/docker/requirements/${SERVICE}.txt /build/requirements.txt" in text
    install = re.search(r"pip install ([^&]*)-r /build/requirements\.txt", text)
    assert install and {"--require-hashes", "--no-deps", "--only-binary=:all:"} <= set(install.group(1).split())
    # the local packages: no index, no resolution, nothing fetched past the lock
    assert re.search(r"pip install --no-index --no-deps --no-build-isolation /build/shared", text)
    assert "pip check" in text
    assert {p.stem for p in LOCKS.glob("*.txt")} == {s.name for s in SERVICES}
