"""The edge on Kubernetes (issue #22 item 6): NetworkPolicies that allow exactly the calls
the code makes, TLS between the services, /metrics on its own port, and the Gateway with
TLS and per-client rate limits (deploy/k8s/edge).

The NetworkPolicies are evaluated here as Kubernetes evaluates them (a connection needs an
egress rule of the source's policies and an ingress rule of the destination's, once any
policy of that direction selects the pod); the service-to-service calls are read from the
code (``urls.<service>_url``, ``urls.metrics_url(``) and their ports from the ConfigMap.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest
from deploykit import (  # type: ignore[import-not-found]
    DEPLOY,
    K8S_OVERLAYS,
    REPO,
    load_yaml_documents,
    pod_spec,
    render_kustomization,
)

from wijkwerk_platform.cli.services import SERVICES

EDGE = DEPLOY / "k8s" / "edge"
APP = {spec.name: spec for spec in SERVICES}
NAMESPACE = "wijkwerk"
METRICS_PORT = 9100
# Where the other parties run (deploy/k8s/base/networkpolicies.yaml states the assumption).
GATEWAY = ("envoy-gateway-system", {"gateway.envoyproxy.io/owning-gateway-name": "wijkwerk"})
PROMETHEUS = ("monitoring", {"app.kubernetes.io/name": "prometheus"})
DNS = ("kube-system", {"k8s-app": "kube-dns"})
POSTGRES = ("postgres", {"cnpg.io/cluster": "wijkwerk"})
KAFKA = ("kafka", {"strimzi.io/kind": "Kafka"})


@dataclass(frozen=True)
class Pod:
    namespace: str
    labels: dict = field(hash=False)
    ip: str = "10.1.2.3"


def _selects(selector: dict | None, labels: dict) -> bool:
    if selector is None:
        return True
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        value, op = labels.get(expr["key"]), expr["operator"]
        ok = {"In": value in expr.get("values", []), "NotIn": value not in expr.get("values", []),
              "Exists": expr["key"] in labels, "DoesNotExist": expr["key"] not in labels}[op]
        if not ok:
            return False
    return True


def _peer(peer: dict, policy_ns: str, pod: Pod) -> bool:
    if "ipBlock" in peer:  # by address (pods here have cluster-private ones)
        address, block = ipaddress.ip_address(pod.ip), peer["ipBlock"]
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", []))
    if "namespaceSelector" in peer:
        if not _selects(peer["namespaceSelector"], {"kubernetes.io/metadata.name": pod.namespace}):
            return False
    elif pod.namespace != policy_ns:
        return False
    return _selects(peer.get("podSelector"), pod.labels)


def _ports(rule: dict, port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    return not ports or any(p.get("protocol", "TCP") == protocol and p["port"] == port for p in ports)


def _allowed(policies: list[dict], src: Pod, dst: Pod, port: int, protocol: str = "TCP") -> bool:
    def side(pod: Pod, kind: str, other: Pod) -> bool:
        if pod.namespace != NAMESPACE:  # outside: not governed by these policies
            return True
        selecting = [p for p in policies if kind in p["spec"]["policyTypes"]
                     and _selects(p["spec"]["podSelector"], pod.labels)]
        key, peers = ("egress", "to") if kind == "Egress" else ("ingress", "from")
        return any(_ports(rule, port, protocol) and (not rule.get(peers) or any(
            _peer(peer, NAMESPACE, other) for peer in rule[peers]))
            for policy in selecting for rule in policy["spec"].get(key, []))

    return side(src, "Egress", dst) and side(dst, "Ingress", src)


@pytest.fixture(scope="module")
def overlay() -> list[dict]:
    (production,) = [o for o in K8S_OVERLAYS if o.name == "production"]
    return render_kustomization(production)


@pytest.fixture(scope="module")
def policies(overlay) -> list[dict]:
    return [d for d in overlay if d["kind"] == "NetworkPolicy"]


@pytest.fixture(scope="module")
def config(overlay) -> dict[str, str]:
    return next(d for d in overlay if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "wijkwerk-config")["data"]


def _pods(overlay: list[dict]) -> dict[str, Pod]:
    """Every workload's pod, by workload name."""
    pods = {}
    for doc in overlay:
        if pod_spec(doc) is None:
            continue
        template = doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
        pods[doc["metadata"]["name"]] = Pod(NAMESPACE, template["metadata"]["labels"])
    return pods


def _calls_in_code() -> set[tuple[str, str, str]]:
    """(caller, callee, "api" | "metrics") for every internal URL a service's code uses."""
    calls = set()
    for caller in APP:
        for path in (REPO / "services" / caller / "src").rglob("*.py"):
            text = path.read_text()
            # a service's own URL is where it is reached (the links it prints, e.g. a
            # certificate's verification page), never a call it makes over the network
            calls |= {(caller, callee, "api") for callee in re.findall(r"urls\.(\w+)_url\b", text)
                      if callee in APP and callee != caller}
            if "urls.metrics_url(" in text:
                calls |= {(caller, callee, "metrics") for callee in APP}
    return calls


def _port(config: dict[str, str], callee: str, kind: str) -> int:
    spec = APP[callee]
    url = config[f"{spec.env_prefix}_METRICS_URL" if kind == "metrics" else spec.url_env]
    return urlsplit(url).port


def test_everything_is_denied_unless_allowed(policies):
    deny = [p for p in policies if p["spec"]["podSelector"] == {}
            and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            and not p["spec"].get("ingress") and not p["spec"].get("egress")]
    assert deny, "no default-deny policy for ingress and egress"


def test_exactly_the_service_to_service_calls_of_the_code_are_allowed(overlay, policies, config):
    calls = _calls_in_code()
    assert ("cheques", "toeleiding", "api") in calls  # the bank details of a payout run
    assert ("cheques", "prestaties", "api") in calls  # the recompute reads prestaties' archive
    pods = _pods(overlay)
    for src_name, src in pods.items():
        caller = src.labels["app.kubernetes.io/name"]
        for dst_name, dst in pods.items():
            callee = dst.labels["app.kubernetes.io/name"]
            for kind in ("api", "metrics"):
                if callee not in APP:
                    continue
                port = _port(config, callee, kind)
                # A Service forwards API calls to the API pods only; metrics go to both.
                reachable = dst.labels["app.kubernetes.io/component"] in (("api",) if kind == "api" else ("api", "workers"))
                # API calls come from the service's processes (not its migration Job); the
                # metrics from evaluatie's dashboard, which its API serves.
                callers = ("api", "workers", "recompute") if kind == "api" else ("api",)
                expected = ((caller, callee, kind) in calls and reachable
                            and src.labels["app.kubernetes.io/component"] in callers)
                assert _allowed(policies, src, dst, port) == expected, f"{src_name} -> {dst_name}:{port}"


def test_the_gateway_reaches_the_apis_and_prometheus_the_metrics_and_nothing_else(overlay, policies, config):
    gateway, prometheus = Pod(GATEWAY[0], GATEWAY[1]), Pod(PROMETHEUS[0], PROMETHEUS[1])
    for name, pod in _pods(overlay).items():
        service, component = pod.labels["app.kubernetes.io/name"], pod.labels["app.kubernetes.io/component"]
        api_port = APP[service].port if service in APP else 8000
        assert _allowed(policies, gateway, pod, api_port) == (component == "api"), name
        assert not _allowed(policies, gateway, pod, METRICS_PORT), name
        assert _allowed(policies, prometheus, pod, METRICS_PORT) == (component in ("api", "workers")), name
        assert not _allowed(policies, prometheus, pod, api_port), name
        assert not _allowed(policies, Pod("default", {"app": "anything"}), pod, api_port), name


def test_dns_the_database_and_the_broker_are_reachable_by_who_needs_them(overlay, policies, config):
    kafka_ports = {urlsplit(f"//{b}").port for b in config["KAFKA_BOOTSTRAP_SERVERS"].split(",")}
    secrets = {d["metadata"]["name"]: d for d in load_yaml_documents(DEPLOY / "k8s" / "base" / "secrets.example.yaml")}
    db_ports = {urlsplit(v.replace("REPLACE-ME", "x")).port or 5432 for s in secrets.values()
                for k, v in s.get("stringData", {}).items() if k.endswith("DATABASE_URL")}
    assert len(kafka_ports) == 1 and len(db_ports) == 1
    (kafka_port,), (db_port,) = kafka_ports, db_ports
    dns, postgres, kafka = Pod(*DNS), Pod(*POSTGRES), Pod(*KAFKA)
    for name, pod in _pods(overlay).items():
        component = pod.labels["app.kubernetes.io/component"]
        assert _allowed(policies, pod, dns, 53, "UDP") and _allowed(policies, pod, dns, 53, "TCP"), name
        assert _allowed(policies, pod, postgres, db_port) == (component != "topics"), name
        assert _allowed(policies, pod, kafka, kafka_port) == (component != "migration"), name
        assert not _allowed(policies, pod, Pod("default", {"app": "anything"}), 80), name
        # The identity provider (HTTPS outside the cluster): the services only; nothing else outside.
        outside = Pod("internet", {}, ip="203.0.113.7")
        assert _allowed(policies, pod, outside, 443) == (component in ("api", "workers", "recompute")), name
        assert not _allowed(policies, pod, outside, 80), name
        # The partners' webhook endpoints (ADR 0018): evaluatie's workers, by a rule of their own.
        webhooks = [p for p in policies if p["metadata"]["name"] == "partner-webhooks-egress"]
        assert _allowed(webhooks, pod, outside, 443) == (name == "evaluatie-workers"), name


# --- TLS between the services, metrics port ---------------------------------------------------


def _edge_docs() -> list[dict]:
    return render_kustomization(EDGE)


def test_every_service_serves_https_with_a_certificate_for_its_name_and_clients_trust_the_internal_ca(overlay, config):
    certificates = {d["spec"]["secretName"]: d for d in _edge_docs() if d["kind"] == "Certificate"}
    assert config["WIJKWERK_CA_FILE"].startswith("/etc/wijkwerk/tls/")
    for doc in overlay:
        spec = pod_spec(doc)
        if doc["kind"] != "Deployment":
            continue
        service = doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]
        prefix = APP[service].env_prefix
        (container,) = spec["containers"]
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in spec["volumes"]}
        for setting in (f"{prefix}_TLS_CERTFILE", f"{prefix}_TLS_KEYFILE", "WIJKWERK_CA_FILE"):
            directory = str(PurePosixPath(config[setting]).parent)
            assert volumes[mounts[directory]]["secret"]["secretName"] == f"{service}-tls", (doc["metadata"]["name"], setting)
        certificate = certificates[f"{service}-tls"]["spec"]
        url = urlsplit(config[APP[service].url_env])
        assert url.scheme == "https" and url.hostname in certificate["dnsNames"], service
        assert certificate["issuerRef"]["name"] == "wijkwerk-internal"
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports["metrics"] == int(config[f"{prefix}_METRICS_PORT"]) == METRICS_PORT
        assert config[f"{prefix}_DOCS"] == "false"
        assert float(config[f"{prefix}_RATE_LIMIT_PER_S"]) > 0


def test_the_services_settings_accept_the_configuration(config, monkeypatch):
    import importlib

    for name in list(__import__("os").environ):
        if name.startswith(tuple(f"{s.env_prefix}_" for s in SERVICES)) or name.startswith("WIJKWERK_"):
            monkeypatch.delenv(name)
    for key, value in config.items():
        if key.endswith(("_TLS_CERTFILE", "_TLS_KEYFILE", "_METRICS_PORT", "_DOCS", "_RATE_LIMIT_PER_S",
                         "_METRICS_URL", "_URL")) or key == "WIJKWERK_CA_FILE":
            monkeypatch.setenv(key, value)
    for spec in SERVICES:
        settings = importlib.import_module(f"{spec.name}.config").Settings(environment="embedded")
        assert settings.tls_certfile and settings.tls_keyfile and settings.metrics_port == METRICS_PORT
        assert settings.docs is False and settings.urls.ca_file == config["WIJKWERK_CA_FILE"]
        assert settings.urls.metrics_url(spec.name) == config[f"{spec.env_prefix}_METRICS_URL"]


# --- the Gateway ---------------------------------------------------------------------------------


def test_the_gateway_terminates_tls_redirects_http_and_routes_each_service_under_its_prefix():
    docs = _edge_docs()
    assert all(d["metadata"]["namespace"] == NAMESPACE for d in docs)
    by_kind: dict[str, dict[str, dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    (gateway,) = by_kind["Gateway"].values()
    listeners = {listener["name"]: listener for listener in gateway["spec"]["listeners"]}
    https, _http = listeners["https"], listeners["http"]
    assert (https["protocol"], https["port"], https["tls"]["mode"]) == ("HTTPS", 443, "Terminate")
    (secret,) = [ref["name"] for ref in https["tls"]["certificateRefs"]]
    certificate = next(c for c in by_kind["Certificate"].values() if c["spec"]["secretName"] == secret)
    assert https["hostname"] in certificate["spec"]["dnsNames"]
    assert certificate["spec"]["issuerRef"]["kind"] == "ClusterIssuer"  # a public CA (ACME)
    routes = by_kind["HTTPRoute"].values()
    on_http = [r for r in routes if any(p.get("sectionName") == "http" for p in r["spec"]["parentRefs"])]
    assert [r["metadata"]["name"] for r in on_http] == ["https-redirect"]
    (rule,) = on_http[0]["spec"]["rules"]
    assert rule["filters"] == [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]
    assert "backendRefs" not in rule
    for route in routes:
        assert all(p.get("sectionName") in ("http", "https") and p["name"] == gateway["metadata"]["name"]
                   for p in route["spec"]["parentRefs"])
    for name, spec in APP.items():
        route = by_kind["HTTPRoute"][name]
        (rule,) = route["spec"]["rules"]
        assert rule["matches"] == [{"path": {"type": "PathPrefix", "value": f"/{name}"}}]
        assert rule["backendRefs"] == [{"name": name, "port": spec.port}]
        assert {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch",
                                                              "replacePrefixMatch": "/"}}} in rule["filters"]
        tls = by_kind["BackendTLSPolicy"][name]["spec"]
        assert tls["targetRefs"] == [{"group": "", "kind": "Service", "name": name}]
        assert tls["validation"]["hostname"] in by_kind["Certificate"][f"{name}-tls"]["spec"]["dnsNames"]
    # The internal bank-details operation answers 404 at the edge.
    (intern,) = by_kind["HTTPRoute"]["toeleiding-intern"]["spec"]["rules"]
    assert "bankgegevens" in intern["matches"][0]["path"]["value"] and "backendRefs" not in intern
    filter_name = intern["filters"][0]["extensionRef"]["name"]
    assert by_kind["HTTPRouteFilter"][filter_name]["spec"]["directResponse"]["statusCode"] == 404


def test_the_gateway_limits_per_verified_client_and_per_ip():
    docs = {(d["kind"], d["metadata"]["name"]): d for d in _edge_docs()}
    jwt = docs[("SecurityPolicy", "wijkwerk")]["spec"]["jwt"]
    (provider,) = jwt["providers"]
    (claim,) = provider["claimToHeaders"]
    assert claim["claim"] == "sub"
    header = claim["header"]
    # A client cannot set the header itself: it is removed before the token is verified.
    assert header in docs[("ClientTrafficPolicy", "wijkwerk")]["spec"]["headers"]["earlyRequestHeaders"]["remove"]
    rate = docs[("BackendTrafficPolicy", "wijkwerk")]["spec"]["rateLimit"]
    assert rate["type"] == "Global"  # shared by every proxy replica
    selectors = [s for rule in rate["global"]["rules"] for s in rule["clientSelectors"]]
    assert {"name": header, "type": "Distinct"} in [h for s in selectors for h in s.get("headers", [])]
    assert {"type": "Distinct", "value": "0.0.0.0/0"} in [s["sourceCIDR"] for s in selectors if "sourceCIDR" in s]
    for policy in ("SecurityPolicy", "BackendTrafficPolicy", "ClientTrafficPolicy"):
        assert docs[(policy, "wijkwerk")]["spec"]["targetRefs"] == [
            {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "wijkwerk"}]
