"""Fixtures for the deployment tests; the helpers live in deploykit.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from deploykit import COMPOSE_FILE, K8S_OVERLAYS, render_kustomization  # noqa: E402

# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    """docker-compose.yml as YAML (anchors and merge keys resolved, variables not)."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def k8s_overlays() -> dict[str, list[dict[str, Any]]]:
    """Every overlay, rendered: {overlay name: documents}."""
    assert K8S_OVERLAYS, "no overlay under deploy/k8s/overlays"
    return {overlay.name: render_kustomization(overlay) for overlay in K8S_OVERLAYS}
