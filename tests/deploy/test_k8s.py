"""Kubernetes manifests: every document of the base, the rendered overlays and the secrets
example validates against the Kubernetes JSON schemas shipped by kubernetes-validate
(offline, strict: unknown fields fail), and the workloads are wired as the services need.

The overlays are rendered by deploykit.render_kustomization; where kubectl is installed,
its built-in kustomize must produce the same documents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from deploykit import (  # type: ignore[import-not-found]
    K8S_BASE,
    K8S_OVERLAYS,
    SECRETS_EXAMPLE,
    known_env_names,
    load_yaml_documents,
    pod_spec,
    render_kustomization,
    required_service_env,
    split_image,
    validate_k8s,
)

from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.cli.services import SERVICES

# The oldest Kubernetes the manifests promise to work on (deploy/README.md) and the newest
# schema kubernetes-validate ships.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
# The production PostgreSQL's max_connections the overlays are sized for (deploy/README.md).
POSTGRES_MAX_CONNECTIONS = 350
APP = {spec.name: spec for spec in SERVICES}
PLACEHOLDER = "REPLACE-ME"


def _key(doc: dict) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


def _by_key(docs: list[dict]) -> dict[tuple[str, str], dict]:
    keyed = {_key(doc): doc for doc in docs}
    assert len(keyed) == len(docs), "two resources with the same kind and name"
    return keyed


def _base_docs() -> list[dict]:
    return [doc for path in sorted(K8S_BASE.glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in load_yaml_documents(path)]


def _validate(doc: dict[str, Any]) -> None:
    for version in K8S_VERSIONS:
        try:
            validate_k8s(doc, version)
        except jsonschema.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} against {version}: {path}: {exc.message}")


def _container_env(doc: dict, container: dict, configmaps: dict, secrets: dict) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(configmaps[source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            env.update(secrets[source["secretRef"]["name"]]["stringData"])
    env.update({e["name"]: e.get("value", "") for e in container.get("env", [])})
    return env


@pytest.fixture(scope="module")
def secrets() -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in load_yaml_documents(SECRETS_EXAMPLE) if doc["kind"] == "Secret"}


@pytest.fixture(scope="module", params=[o.name for o in K8S_OVERLAYS])
def overlay(request, k8s_overlays) -> dict[tuple[str, str], dict]:
    return _by_key(k8s_overlays[request.param])


# --- schemas -----------------------------------------------------------------------------------


def test_base_documents_and_the_secrets_example_validate_against_the_kubernetes_schemas():
    docs = _base_docs()
    assert len(docs) >= 4 * 5 + 3
    for doc in docs:
        _validate(doc)


def test_rendered_overlays_validate_against_the_kubernetes_schemas(k8s_overlays):
    for docs in k8s_overlays.values():
        for doc in docs:
            _validate(doc)


def test_the_schema_check_agrees_with_kubernetes_validate_and_catches_a_misplaced_field():
    good = load_yaml_documents(K8S_BASE / "toeleiding.yaml")[0]
    for version in K8S_VERSIONS:
        kubernetes_validate.validate(good, version, strict=True)
        validate_k8s(good, version)
    bad = load_yaml_documents(K8S_BASE / "toeleiding.yaml")[0]
    bad["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {"httpGet": {"path": "/ready", "port": 1}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSIONS[0], strict=True)
    with pytest.raises(jsonschema.ValidationError):
        validate_k8s(bad, K8S_VERSIONS[0])


def test_kubectl_kustomize_renders_what_the_test_renderer_renders():
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; the Python renderer alone is checked")
    for overlay in K8S_OVERLAYS:
        result = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=60,
                                check=False)
        assert result.returncode == 0, result.stderr
        rendered = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
        assert _by_key(rendered) == _by_key(render_kustomization(overlay)), overlay.name


# --- the services ------------------------------------------------------------------------------


def test_each_service_has_a_deployment_service_hpa_pdb_and_migration_job(overlay):
    for name, spec in APP.items():
        for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
            assert (kind, name) in overlay, f"no {kind} {name}"
        assert ("Job", f"{name}-migrate") in overlay
        service = overlay[("Service", name)]
        assert service["spec"]["ports"][0]["port"] == spec.port
        deployment = overlay[("Deployment", name)]
        assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
        assert overlay[("PodDisruptionBudget", name)]["spec"]["selector"] == deployment["spec"]["selector"]


def _workers(name: str) -> str:
    return f"{name}-workers"


def test_the_workers_run_in_their_own_deployment_with_their_own_autoscaler_and_budget(overlay):
    """Relay and consumers leave the API's Deployment: the same image, no API, not behind
    the Service, their own HPA (bounded by the partitions) and PodDisruptionBudget."""
    for name in APP:
        api = overlay[("Deployment", name)]
        workers = overlay[("Deployment", _workers(name))]
        selector = workers["spec"]["selector"]["matchLabels"]
        assert selector == {"app.kubernetes.io/name": name, "app.kubernetes.io/component": "workers"}
        assert workers["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "workers"
        service_selector = overlay[("Service", name)]["spec"]["selector"]
        assert not service_selector.items() <= workers["spec"]["template"]["metadata"]["labels"].items(), \
            f"{name}: the Service would route API traffic to the workers"
        (api_container,) = api["spec"]["template"]["spec"]["containers"]
        (container,) = workers["spec"]["template"]["spec"]["containers"]
        assert container["image"] == api_container["image"] and container.get("args") == api_container.get("args")
        assert container["envFrom"] == api_container["envFrom"]
        assert overlay[("PodDisruptionBudget", _workers(name))]["spec"]["selector"] == workers["spec"]["selector"]
        hpa = overlay[("HorizontalPodAutoscaler", _workers(name))]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": _workers(name)}


# The API is ready when its database answers (a broker outage keeps it in service); the
# workers when relay and consumers are connected, and alive while no worker task ended.
PROBES = {"": ("/ready", "/health"), "-workers": ("/ready/workers", "/health/workers")}
# /metrics on a port of its own (<SERVICE>_METRICS_PORT), not on the API port.
METRICS_PORT = 9100


def test_probes_resources_and_ports(overlay):
    for name, spec in APP.items():
        for suffix, (readiness, liveness) in PROBES.items():
            deployment = overlay[("Deployment", name + suffix)]
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            assert container["ports"] == [{"name": "http", "containerPort": spec.port, "protocol": "TCP"},
                                          {"name": "metrics", "containerPort": METRICS_PORT, "protocol": "TCP"}]
            # The API port serves HTTPS (the service's certificate); the kubelet probes it so.
            https = {"port": "http", "scheme": "HTTPS"}
            assert container["readinessProbe"]["httpGet"] == {"path": readiness, **https}, name + suffix
            assert container["livenessProbe"]["httpGet"] == {"path": liveness, **https}, name + suffix
            assert container["startupProbe"]["httpGet"] == {"path": "/health", **https}
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"], name
            annotations = deployment["spec"]["template"]["metadata"]["annotations"]
            assert annotations["prometheus.io/port"] == str(METRICS_PORT)
            assert annotations["prometheus.io/path"] == "/metrics"


def test_every_pod_runs_as_non_root_without_privileges(overlay):
    """The 'restricted' Pod Security Standard, which the production namespace enforces."""
    workloads = [doc for doc in overlay.values() if pod_spec(doc) is not None]
    assert len(workloads) == 3 * len(APP) + 2  # API + workers + migration per service, topics Job, recompute CronJob
    for doc in workloads:
        spec = pod_spec(doc)
        who = f"{doc['kind']}/{doc['metadata']['name']}"
        assert spec["securityContext"]["runAsNonRoot"] is True, who
        assert spec["securityContext"]["runAsUser"] != 0, who
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, who
        assert spec["automountServiceAccountToken"] is False, who
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, who
            assert context["readOnlyRootFilesystem"] is True, who
            assert context["capabilities"] == {"drop": ["ALL"]}, who
            assert "resources" in container, who
            _, tag = split_image(container["image"])
            assert tag and tag != "latest", f"{who}: {container['image']}"


def test_the_service_environment_is_complete_and_read_by_the_code(overlay, secrets):
    configmaps = {name: doc for (kind, name), doc in overlay.items() if kind == "ConfigMap"}
    known = known_env_names()
    # The API Deployment runs no workers; the workers Deployment serves no API.
    roles = {"": {"RUN_WORKERS": "false", "SERVE_API": "true"}, "-workers": {"RUN_WORKERS": "true", "SERVE_API": "false"}}
    for name, spec in APP.items():
        for suffix, role in roles.items():
            deployment = overlay[("Deployment", name + suffix)]
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            env = _container_env(deployment, container, configmaps, secrets)
            missing = (required_service_env(spec) | {"AUTH_JWKS_URL"}) - set(env)
            assert not missing, f"{name + suffix}: missing {sorted(missing)}"
            assert env["KAFKA_CONSUMER_MODE"] == "subscribe"
            assert env["WIJKWERK_ENV"] == "production"
            for setting, value in role.items():
                assert env.get(f"{spec.env_prefix}_{setting}", "true") == value, f"{name + suffix}: {setting}"
            unknown = set(env) - known
            assert not unknown, f"{name + suffix}: {sorted(unknown)} are read by no Settings class (typo?)"
            # Least privilege: no other service's database credentials.
            others = {other.database_url_env for other in SERVICES if other is not spec}
            assert not others & set(env), f"{name + suffix} sees {sorted(others & set(env))}"


def test_hpa_bounds_fit_the_partitions_and_the_pdb(overlay):
    configmap = overlay[("ConfigMap", "wijkwerk-config")]
    partitions = int(configmap["data"]["KAFKA_TOPIC_PARTITIONS"])
    for name in [*APP, *map(_workers, APP)]:
        hpa = overlay[("HorizontalPodAutoscaler", name)]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 2 <= hpa["minReplicas"] <= hpa["maxReplicas"], name
        if name.endswith("-workers"):  # consumers: a replica beyond the partitions gets none
            assert hpa["maxReplicas"] <= partitions, name
        assert "replicas" not in overlay[("Deployment", name)]["spec"], f"{name}: the HPA owns the replica count"
        pdb = overlay[("PodDisruptionBudget", name)]["spec"]
        assert pdb["minAvailable"] < hpa["minReplicas"], f"{name}: the PDB would block every eviction"


def test_migration_jobs_and_the_topics_job_run_the_cli(overlay, secrets):
    for name, spec in APP.items():
        job = overlay[("Job", f"{name}-migrate")]
        pod = job["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert pod["restartPolicy"] == "Never"
        assert container["args"] == ["wijkwerk", "migrate", "--only", name]
        assert container["image"] == overlay[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]["image"]
        env = _container_env(job, container, {}, secrets)
        assert spec.database_url_env in env
    topics = overlay[("Job", "wijkwerk-topics")]
    (container,) = topics["spec"]["template"]["spec"]["containers"]
    assert container["args"][:2] == ["wijkwerk", "topics"]
    assert container["envFrom"] == [{"configMapRef": {"name": "wijkwerk-config"}},
                                    {"secretRef": {"name": "wijkwerk-topics"}}]


def test_every_kafka_client_gets_complete_connection_settings(overlay, secrets, monkeypatch):
    """The topics Job and each service reach the secured cluster: the KAFKA_ settings they
    get from the config and their Secret validate (a secured protocol without its
    credentials would stop the pod), and the CA file is mounted where the config says."""
    configmaps = {name: doc for (kind, name), doc in overlay.items() if kind == "ConfigMap"}
    workloads = [("Job", "wijkwerk-topics"), *(("Deployment", name) for name in APP),
                 *(("Deployment", _workers(name)) for name in APP)]
    for key in workloads:
        doc = overlay[key]
        pod = doc["spec"]["template"]["spec"]
        container = pod["containers"][0]
        env = _container_env(doc, container, configmaps, secrets)
        for name in [n for n in list(os.environ) if n.startswith("KAFKA_")]:
            monkeypatch.delenv(name)
        for name, value in env.items():
            if name.startswith("KAFKA_"):
                monkeypatch.setenv(name, value)
        kafka = KafkaSettings()
        assert kafka.security_protocol == "SASL_SSL" and kafka.sasl_username, key
        assert kafka.min_insync_replicas == 2 <= kafka.replication_factor, key
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in pod["volumes"]}
        ca_dir = os.path.dirname(kafka.ssl_cafile)
        assert ca_dir in mounts, f"{key}: {kafka.ssl_cafile} is not mounted"
        assert volumes[mounts[ca_dir]]["configMap"]["name"] == "wijkwerk-kafka-ca", key


def test_the_overlay_sets_namespace_registry_and_kafka_sizing(overlay):
    namespaces = [doc for (kind, _), doc in overlay.items() if kind == "Namespace"]
    assert len(namespaces) == 1
    namespace = namespaces[0]["metadata"]["name"]
    assert namespaces[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for (kind, name), doc in overlay.items():
        if kind != "Namespace":
            assert doc["metadata"]["namespace"] == namespace, f"{kind}/{name}"
    for doc in overlay.values():
        spec = pod_spec(doc)
        for container in spec["containers"] if spec else []:
            registry = split_image(container["image"])[0].split("/")[0]
            assert "." in registry or ":" in registry, f"{container['image']}: no registry host"
    data = overlay[("ConfigMap", "wijkwerk-config")]["data"]
    assert int(data["KAFKA_REPLICATION_FACTOR"]) >= 3


# --- configuration and secrets ---------------------------------------------------------------


def test_secrets_are_placeholders_outside_the_kustomization_and_cover_every_reference(k8s_overlays, secrets):
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text(encoding="utf-8"))
    assert SECRETS_EXAMPLE.name not in kustomization["resources"], "applying must never overwrite real secrets"
    for docs in k8s_overlays.values():
        assert not [doc for doc in docs if doc["kind"] == "Secret"]
        referenced = {
            source["secretRef"]["name"]
            for doc in docs if pod_spec(doc) is not None
            for container in pod_spec(doc)["containers"]
            for source in container.get("envFrom", []) if "secretRef" in source
        }
        assert referenced == set(secrets)
    for name, secret in secrets.items():
        assert "data" not in secret, f"{name}: write placeholders as stringData"
        for key, value in secret["stringData"].items():
            assert PLACEHOLDER in value, f"{name}.{key} is not a placeholder - never commit a real secret"
    assert "CHEQUES_ISSUER_SECRETS" in secrets["wijkwerk-cheques"]["stringData"]
    for spec in SERVICES:
        assert spec.database_url_env in secrets[f"wijkwerk-{spec.name}"]["stringData"]


def test_base_placeholders_are_marked(k8s_overlays):
    base_config = next(doc for doc in _base_docs() if doc["kind"] == "ConfigMap")
    for key in ("KAFKA_BOOTSTRAP_SERVERS", "AUTH_JWKS_URL", "AUTH_ISSUER"):
        assert PLACEHOLDER in base_config["data"][key], key


def test_the_overlay_fits_the_documented_postgres_connection_budget(overlay):
    """Each replica holds up to pool + overflow = 2 x <SVC>_DB_POOL_SIZE connections (the
    workers' Deployment may set its own)."""
    from wijkwerk.settings import ServiceSettings

    data = overlay[("ConfigMap", "wijkwerk-config")]["data"]
    default_pool = ServiceSettings.model_fields["db_pool_size"].default
    needed = 0
    for name, spec in APP.items():
        for deployment in (name, _workers(name)):
            (container,) = overlay[("Deployment", deployment)]["spec"]["template"]["spec"]["containers"]
            own = {e["name"]: e.get("value") for e in container.get("env", [])}
            pool = int(own.get(f"{spec.env_prefix}_DB_POOL_SIZE") or data.get(f"{spec.env_prefix}_DB_POOL_SIZE",
                                                                               default_pool))
            needed += overlay[("HorizontalPodAutoscaler", deployment)]["spec"]["maxReplicas"] * 2 * pool
    assert needed <= POSTGRES_MAX_CONNECTIONS - 50, f"{needed} connections at full scale"
