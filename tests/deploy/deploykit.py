"""Helpers for the deployment tests: where the deployment files are, the environment
names the code reads, and a small kustomize renderer (resources, namespace, images,
strategic-merge patches), so the Kubernetes overlays are validated without kubectl.

Imported by the tests as ``deploykit`` (conftest.py puts this directory on sys.path).
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pydantic_settings import BaseSettings
from referencing import Registry, Resource

from wijkwerk_platform.cli.services import SERVICES, ServiceSpec

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
K8S_BASE = DEPLOY / "k8s" / "base"
K8S_OVERLAYS = sorted(p.parent for p in (DEPLOY / "k8s" / "overlays").glob("*/kustomization.yaml"))
SECRETS_EXAMPLE = K8S_BASE / "secrets.example.yaml"

# Announced but not yet read by any Settings class (the cheques issuer webhooks).
FUTURE_ENV = {"CHEQUES_ISSUER_SECRETS"}
# What a service needs in production on top of the common settings (cheques: the webhook
# secrets, the payout's debtor account, its client at the identity provider).
EXTRA_SECRET_ENV = {"cheques": {"CHEQUES_ISSUER_SECRETS", "CHEQUES_SEPA_NAAM", "CHEQUES_SEPA_IBAN", "AUTH_TOKEN_URL",
                                "AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET"}}


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


# --- what the code reads ------------------------------------------------------------------


def settings_env_names(cls: type[BaseSettings], prefix: str | None = None) -> set[str]:
    """Every environment variable a pydantic-settings class reads, nested settings included."""
    prefix = cls.model_config.get("env_prefix", "") if prefix is None else prefix
    names: set[str] = set()
    for field_name, field in cls.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
            names |= settings_env_names(annotation)
            continue
        alias = field.validation_alias
        if alias is None:
            names.add(f"{prefix}{field_name}".upper())
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names |= {str(choice).upper() for choice in alias.choices}
    return names


def service_settings_class(spec: ServiceSpec) -> type[BaseSettings]:
    return importlib.import_module(f"{spec.name}.config").Settings


def known_env_names() -> set[str]:
    """The variables any service or the CLI reads, plus the announced ones."""
    from wijkwerk_platform.cli.settings import CliSettings

    names = set(FUTURE_ENV) | settings_env_names(CliSettings)
    for spec in SERVICES:
        names |= settings_env_names(service_settings_class(spec))
    return names


def required_service_env(spec: ServiceSpec) -> set[str]:
    """What a service needs in production besides a token verification key."""
    return {
        spec.database_url_env,
        "KAFKA_BOOTSTRAP_SERVERS",
        "KAFKA_TOPIC_PARTITIONS",
        "KAFKA_REPLICATION_FACTOR",
        "KAFKA_CONSUMER_MODE",
        "AUTH_ISSUER",
        "AUTH_AUDIENCE",
        "WIJKWERK_ENV",
        *(other.url_env for other in SERVICES),
        *EXTRA_SECRET_ENV.get(spec.name, set()),
    }


# --- a small kustomize ------------------------------------------------------------------

SUPPORTED_KUSTOMIZE_FIELDS = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
CLUSTER_SCOPED_KINDS = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                        "PersistentVolume", "StorageClass", "PriorityClass"}


def render_kustomization(directory: Path) -> list[dict[str, Any]]:
    """The documents ``kustomize build directory`` produces, for the fields used here."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unsupported = set(kustomization) - SUPPORTED_KUSTOMIZE_FIELDS
    assert not unsupported, f"{directory}: the test renderer does not know {sorted(unsupported)}; extend it"
    docs: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        docs += render_kustomization(path) if path.is_dir() else load_yaml_documents(path)
    for patch in kustomization.get("patches", []):
        target = patch.get("target")
        bodies = load_yaml_documents(directory / patch["path"]) if "path" in patch else [yaml.safe_load(patch["patch"])]
        for body in bodies:
            if target:  # the patch's own name is irrelevant when a target selects
                body = copy.deepcopy(body)
                body.get("metadata", {}).pop("name", None)
            indices = [i for i, doc in enumerate(docs) if _patch_applies(doc, body, target)]
            assert indices, f"{directory}: patch {patch} matches no resource"
            for i in indices:
                docs[i] = strategic_merge(docs[i], body)
    if "namespace" in kustomization:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED_KINDS:
                doc.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    for image in kustomization.get("images", []):
        for container in iter_containers(docs):
            name, tag = split_image(container["image"])
            if name == image["name"]:
                new_name = image.get("newName", name)
                if "digest" in image:
                    container["image"] = f"{new_name}@{image['digest']}"
                else:
                    new_tag = image.get("newTag", tag)
                    container["image"] = f"{new_name}:{new_tag}" if new_tag else new_name
    return docs


def _patch_applies(doc: dict, body: dict, target: dict | None) -> bool:
    if target is None:
        return doc["kind"] == body["kind"] and doc["metadata"]["name"] == body["metadata"]["name"]
    unsupported = set(target) - {"kind", "name", "group", "version"}
    assert not unsupported, f"the test renderer does not select by {sorted(unsupported)}; extend it"
    group, _, version = doc["apiVersion"].rpartition("/")
    return (
        ("kind" not in target or target["kind"] == doc["kind"])
        and ("name" not in target or re.fullmatch(target["name"], doc["metadata"]["name"]) is not None)
        and ("group" not in target or target["group"] == group)
        and ("version" not in target or target["version"] == version)
    )


def strategic_merge(base: Any, patch: Any) -> Any:
    """Kubernetes strategic merge for what manifests use: maps merge, null deletes, lists
    of named maps (containers, env, ports, volumes) merge by name, other lists replace."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = strategic_merge(merged[key], value)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(patch, list) and _named(base) and _named(patch):
        merged_list = copy.deepcopy(base)
        for item in patch:
            for i, existing in enumerate(merged_list):
                if existing["name"] == item["name"]:
                    merged_list[i] = strategic_merge(existing, item)
                    break
            else:
                merged_list.append(copy.deepcopy(item))
        return merged_list
    return copy.deepcopy(patch)


def _named(items: list) -> bool:
    return all(isinstance(item, dict) and "name" in item for item in items)


def pod_spec(doc: dict) -> dict | None:
    """The pod spec of a workload, or None."""
    if doc["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}:
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def iter_containers(docs: list[dict]) -> Iterator[dict]:
    for doc in docs:
        spec = pod_spec(doc)
        if spec is not None:
            yield from spec.get("initContainers", [])
            yield from spec["containers"]


def split_image(image: str) -> tuple[str, str | None]:
    """("registry:5000/a/b", "1.2") from "registry:5000/a/b:1.2"; the tag is None if absent."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = name.rsplit(":", 1)
        return repo, tag
    return name, None


# --- Kubernetes JSON schemas ------------------------------------------------------------------


def validate_k8s(doc: dict[str, Any], version: str) -> None:
    """``kubernetes_validate.validate(doc, version, strict=True)``, with the schemas loaded
    once per kind instead of once per call (the shared definitions file is ~2 MB).
    Raises jsonschema.ValidationError; a kind without a schema raises FileNotFoundError."""
    _k8s_validator(version, doc["kind"], doc["apiVersion"]).validate(doc)


@functools.cache
def _k8s_validator(version: str, kind: str, api_version: str) -> jsonschema.Validator:
    # The file naming of kubernetes-validate: rbac.authorization.k8s.io/v1 -> rbac-v1.
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = json.loads(_k8s_schema_dir(version).joinpath(f"{kind.lower()}-{group_version}.json").read_text())
    registry = _k8s_definitions(version) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


@functools.cache
def _k8s_definitions(version: str) -> Resource:
    return Resource.from_contents(json.loads(_k8s_schema_dir(version).joinpath("_definitions.json").read_text()))


def _k8s_schema_dir(version: str):
    from importlib import resources

    return resources.files("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}-local-strict"
