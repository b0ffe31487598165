"""Prometheus scrapes every service; the Grafana dashboard and the alert rules are valid
PromQL (parsed with promql-parser) over metrics that shared/src/wijkwerk/observability.py
really exports (or the kafka-exporter and kube-state-metrics export), and the dashboard
shows each of them. The alert rules are one set for compose and Kubernetes (the
PrometheusRule is generated from alerts.yml and must equal it), match on the `service`
label rather than job names, are routed by Alertmanager and each has a runbook section."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import promql_parser
import pytest
import yaml
from deploykit import DEPLOY  # type: ignore[import-not-found]
from prometheus_client.metrics import MetricWrapperBase

import wijkwerk.observability as observability
from wijkwerk_platform.cli.services import SERVICES

PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDERS = DEPLOY / "grafana" / "provisioning" / "dashboards" / "wijkwerk.yml"

# Series Prometheus itself adds for every target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
# Series of the exporters that run next to the services: danielqsj/kafka-exporter (compose
# and deploy/k8s/monitoring) and kube-state-metrics (Kubernetes only).
EXPORTER_SERIES = {"kafka_consumergroup_lag_sum", "kafka_consumergroup_lag", "kafka_consumergroup_current_offset_sum",
                   "kafka_consumergroup_members", "kube_job_status_failed"}
README = DEPLOY / "README.md"
ALERTMANAGER = DEPLOY / "alertmanager" / "alertmanager.yml"
K8S_MONITORING = DEPLOY / "k8s" / "monitoring"
SAMPLE_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
}
# Grafana's template variables, replaced by something PromQL accepts.
GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1h",
    "${service}": ".*",
    "$service": ".*",
}


def exported_metrics() -> dict[str, set[str]]:
    """{metric family: the sample names it exposes} for every metric in observability.py."""
    families: dict[str, set[str]] = {}
    for value in vars(observability).values():
        if isinstance(value, MetricWrapperBase):
            for family in value.describe():
                families[family.name] = {family.name + suffix for suffix in SAMPLE_SUFFIXES[family.type]}
    assert families, "no metrics found in wijkwerk.observability"
    return families


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects; raises ValueError if it does not parse."""
    for variable, replacement in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, replacement)
    names: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            names.add(node.name)

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


def all_panels(panels: list[dict]) -> Iterator[dict]:
    for panel in panels:
        yield panel
        yield from all_panels(panel.get("panels", []))


@pytest.fixture(scope="module")
def prometheus_config() -> dict:
    return yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[p.name for p in DASHBOARDS])
def dashboard(request) -> dict:
    return json.loads((DEPLOY / "grafana" / "dashboards" / request.param).read_text(encoding="utf-8"))


def test_the_promql_check_rejects_bad_queries_and_sees_every_selector():
    assert metric_names('sum by (le) (rate(a_bucket{x=~"$service"}[$__rate_interval])) / on() group_left b') == {"a_bucket", "b"}
    with pytest.raises(ValueError):
        metric_names("sum(rate(a[5m])")


# --- Prometheus --------------------------------------------------------------------------------


def _targets(job: dict) -> set[str]:
    targets = {t for static in job.get("static_configs", []) for t in static["targets"]}
    for dns in job.get("dns_sd_configs", []):
        assert dns.get("type", "SRV") == "A", "A records need a port; SRV records carry their own"
        targets |= {f"{name}:{dns['port']}" for name in dns["names"]}
    return targets


def test_prometheus_scrapes_every_metrics_endpoint_in_compose(prometheus_config, compose):
    scraped = {
        target: job.get("metrics_path", "/metrics")
        for job in prometheus_config["scrape_configs"]
        for target in _targets(job)
    }
    # Every compose service that runs one of our images exposes /metrics on its metrics
    # port (<SERVICE>_METRICS_PORT), not on its API port.
    prefixes = {spec.name: spec.env_prefix for spec in SERVICES}
    exposing = {
        f"{name}:{service['environment'][prefixes[name] + '_METRICS_PORT']}"
        for name, service in compose["services"].items()
        if "build" in service and service.get("restart") != "no"
    }
    assert {t.split(":")[0] for t in exposing} == set(prefixes)
    missing = exposing - set(scraped)
    assert not missing, f"not scraped: {sorted(missing)}"
    assert all(scraped[target] == "/metrics" for target in exposing)
    job_names = [job["job_name"] for job in prometheus_config["scrape_configs"]]
    assert len(job_names) == len(set(job_names)), "duplicate job names"


def test_prometheus_loads_the_alert_rules(prometheus_config):
    assert prometheus_config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    assert ALERTS.parent == PROMETHEUS_CONFIG.parent  # mounted together at /etc/prometheus


def _alert_rules() -> list[dict]:
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [rule for group in rules["groups"] for rule in group["rules"]]


def test_alert_rules_are_valid_promql_over_exported_metrics():
    known = set().union(*exported_metrics().values()) | PROMETHEUS_SERIES | EXPORTER_SERIES
    names = set()
    for rule in _alert_rules():
        assert rule["alert"] not in names, f"duplicate alert {rule['alert']}"
        names.add(rule["alert"])
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]
        unknown = metric_names(rule["expr"]) - known
        assert not unknown, f"{rule['alert']}: unknown metrics {sorted(unknown)}"
    assert {"WijkwerkServiceDown", "WijkwerkDeadLetters", "WijkwerkOutboxBacklog", "WijkwerkConsumerLag",
            "WijkwerkRelayNoLeader", "WijkwerkBrokerLostData", "WijkwerkRecomputeDifference",
            "WijkwerkRecomputeJobFailed", "WijkwerkWebhookSignatureRejects", "WijkwerkDbPoolExhausted"} <= names


def test_every_new_metric_is_alerted_on_or_shown():
    """The signals operations asked for (issue #22 item 5) each drive at least one alert."""
    used = set().union(*(metric_names(rule["expr"]) for rule in _alert_rules()))
    for metric in ("wijkwerk_relay_leader", "wijkwerk_relay_refills_total", "wijkwerk_recompute_difference_cents",
                   "wijkwerk_webhook_rejected_total", "wijkwerk_payout_run_transitions_total",
                   "wijkwerk_db_pool_connections", "kafka_consumergroup_lag_sum"):
        assert metric in used, metric


def test_alert_rules_match_on_the_service_label_not_on_job_names():
    """Job names differ between compose (one job per service) and Kubernetes (PodMonitor):
    a rule that matches a job never fires on the other platform."""
    for rule in _alert_rules():
        assert "job=" not in rule["expr"] and "job!" not in rule["expr"], rule["alert"]
        assert "by (job)" not in rule["expr"], rule["alert"]
        assert "service" in rule["expr"] or "service" in rule["labels"], f"{rule['alert']}: which service?"


def _github_anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", heading.strip().lower()).replace(" ", "-")


def test_every_alert_links_to_its_runbook_section_in_deploy_readme():
    readme = README.read_text(encoding="utf-8")
    sections = {_github_anchor(h): body for h, body in
                zip(re.findall(r"^#+ (Runbook: .+)$", readme, re.M),
                    re.split(r"^#+ Runbook: .+$", readme, flags=re.M)[1:], strict=True)}
    for rule in _alert_rules():
        url = rule["annotations"]["runbook_url"]
        path, _, anchor = url.partition("#")
        assert path.endswith("/deploy/README.md"), url
        assert anchor == _github_anchor(f"Runbook: {rule['alert']}"), url
        assert anchor in sections, f"deploy/README.md has no section 'Runbook: {rule['alert']}'"
        body = sections[anchor].lower()
        for part in ("means", "check", "fix"):
            assert part in body, f"Runbook: {rule['alert']} does not say what it {part}"


def test_the_prometheus_rule_for_kubernetes_is_generated_from_the_compose_rules():
    import importlib.util

    spec = importlib.util.spec_from_file_location("prometheusrule", DEPLOY / "prometheus" / "prometheusrule.py")
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    committed = (K8S_MONITORING / "prometheusrule.yaml").read_text(encoding="utf-8")
    assert committed == generator.render(), "run .venv/bin/python deploy/prometheus/prometheusrule.py"
    rule = yaml.safe_load(committed)
    assert (rule["apiVersion"], rule["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    assert rule["spec"]["groups"] == yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]


def test_alertmanager_routes_every_severity_to_a_receiver(prometheus_config, compose):
    config = yaml.safe_load(ALERTMANAGER.read_text(encoding="utf-8"))
    receivers = {r["name"] for r in config["receivers"]}
    route = config["route"]
    assert route["receiver"] in receivers
    routed = {}
    for sub in route["routes"]:
        assert sub["receiver"] in receivers
        for matcher in sub["matchers"]:
            label, _, value = matcher.partition("=")
            routed[label] = routed.get(label, set()) | {value.strip('"')}
    severities = {rule["labels"]["severity"] for rule in _alert_rules()}
    assert severities <= routed["severity"]
    assert "service" in route["group_by"]
    assert prometheus_config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]
    alertmanager = compose["services"]["alertmanager"]
    assert "./deploy/alertmanager:/etc/alertmanager:ro" in alertmanager["volumes"]
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in alertmanager["command"]


def test_compose_labels_every_service_target_with_its_service(prometheus_config):
    """`up{service=...}` on compose, as the PodMonitor does on Kubernetes."""
    by_job = {job["job_name"]: job for job in prometheus_config["scrape_configs"]}
    for spec in SERVICES:
        job = by_job[spec.name]
        assert job["honor_labels"] is True
        assert {"target_label": "service", "replacement": spec.name} in job["relabel_configs"]
    podmonitor = yaml.safe_load((K8S_MONITORING / "podmonitor.yaml").read_text(encoding="utf-8"))
    endpoint = podmonitor["spec"]["podMetricsEndpoints"][0]
    assert endpoint["honorLabels"] is True
    assert {"sourceLabels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], "targetLabel": "service"} in \
        endpoint["relabelings"]
    assert set(podmonitor["spec"]["selector"]["matchExpressions"][0]["values"]) == {s.name for s in SERVICES}


def test_broker_side_lag_is_exported_in_compose_and_kubernetes(prometheus_config, compose):
    exporter = compose["services"]["kafka-exporter"]
    assert exporter["image"].startswith("danielqsj/kafka-exporter:")
    assert [a for a in exporter["command"] if a.startswith("--kafka.server=")]
    targets = {t for job in prometheus_config["scrape_configs"] for t in _targets(job)}
    assert "kafka-exporter:9308" in targets
    from deploykit import load_yaml_documents, validate_k8s  # type: ignore[import-not-found]

    docs = {(d["kind"], d["metadata"]["name"]): d for d in load_yaml_documents(K8S_MONITORING / "kafka-exporter.yaml")}
    deployment = docs[("Deployment", "kafka-exporter")]
    for kind in ("Deployment", "Service"):
        validate_k8s(docs[(kind, "kafka-exporter")], "1.29.0")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"].split("/", 1)[1].split(":")[0] == "danielqsj/kafka-exporter"
    assert ("PodMonitor", "kafka-exporter") in docs
    kustomization = yaml.safe_load((K8S_MONITORING / "kustomization.yaml").read_text(encoding="utf-8"))
    assert set(kustomization["resources"]) == {"podmonitor.yaml", "prometheusrule.yaml", "kafka-exporter.yaml"}


# --- Grafana -----------------------------------------------------------------------------------


def test_grafana_provisions_the_datasource_and_the_dashboard_folder(compose):
    datasources = yaml.safe_load(DATASOURCES.read_text(encoding="utf-8"))["datasources"]
    assert [(d["type"], d["uid"], d["url"]) for d in datasources] == [("prometheus", "prometheus", "http://prometheus:9090")]
    providers = yaml.safe_load(DASHBOARD_PROVIDERS.read_text(encoding="utf-8"))["providers"]
    mounted = {
        volume.split(":")[1]
        for volume in compose["services"]["grafana"]["volumes"]
        if volume.startswith("./deploy/grafana/dashboards:")
    }
    assert {p["options"]["path"] for p in providers} == mounted


def test_the_dashboard_parses_and_every_query_uses_exported_metrics(dashboard):
    families = exported_metrics()
    known = set().union(*families.values()) | PROMETHEUS_SERIES | EXPORTER_SERIES
    ids = []
    used: set[str] = set()
    for panel in all_panels(dashboard["panels"]):
        ids.append(panel["id"])
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}, panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "prometheus"}, panel["title"]
        assert panel["targets"], f"{panel['title']}: no query"
        for target in panel["targets"]:
            names = metric_names(target["expr"])
            unknown = names - known
            assert not unknown, f"{panel['title']}: {target['expr']} uses unknown {sorted(unknown)}"
            used |= names
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    unshown = {family for family, samples in families.items() if not samples & used}
    assert not unshown, f"metrics without a panel: {sorted(unshown)}"
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert metric_names(re.sub(r"label_values\((\w+),\s*\w+\)", r"\1", variable["query"]["query"])) <= known


def test_the_dashboard_shows_the_panels_operations_asked_for(dashboard):
    exprs = [t["expr"] for p in all_panels(dashboard["panels"]) for t in p.get("targets", [])]

    def has(*fragments: str) -> bool:
        return any(all(f in e for f in fragments) for e in exprs)

    assert has("rate(wijkwerk_http_request_duration_seconds_count"), "request rate"
    assert has("histogram_quantile(0.5,", "wijkwerk_http_request_duration_seconds_bucket"), "latency p50"
    assert has("histogram_quantile(0.99,", "wijkwerk_http_request_duration_seconds_bucket"), "latency p99"
    assert has("wijkwerk_outbox_backlog"), "outbox backlog"
    assert has("histogram_quantile(0.99,", "wijkwerk_outbox_publish_lag_seconds_bucket"), "publish lag"
    assert has("wijkwerk_consumer_lag"), "consumer lag"
    assert has("wijkwerk_dlq_total"), "DLQ count"
    assert has("wijkwerk_events_duplicate_total"), "duplicates"
    assert has("wijkwerk_money_cents_total"), "money totals"
    assert has("wijkwerk_relay_leader"), "relay leadership"
    assert has("kafka_consumergroup_lag_sum"), "broker-side consumer lag"
    assert has("wijkwerk_recompute_difference_cents"), "recompute difference"
    assert has("wijkwerk_db_pool_connections", "checked_out"), "pool usage"
