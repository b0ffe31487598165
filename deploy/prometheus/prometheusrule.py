"""Writes deploy/k8s/monitoring/prometheusrule.yaml from deploy/prometheus/alerts.yml, so
docker-compose and Kubernetes alert on the same rules (tests/deploy/test_observability.py
checks that the two agree):

    .venv/bin/python deploy/prometheus/prometheusrule.py
"""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ALERTS = HERE / "alerts.yml"
TARGET = HERE.parent / "k8s" / "monitoring" / "prometheusrule.yaml"
HEADER = (
    "# GENERATED from deploy/prometheus/alerts.yml by deploy/prometheus/prometheusrule.py; do not edit.\n"
    "# The Prometheus Operator loads it (its ruleSelector must match the labels below).\n"
)


def prometheus_rule(alerts: dict) -> dict:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "wijkwerk",
            "labels": {"app.kubernetes.io/part-of": "wijkwerk", "prometheus": "wijkwerk"},
        },
        "spec": {"groups": alerts["groups"]},
    }


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # multi-line PromQL stays readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render() -> str:
    alerts = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return HEADER + yaml.dump(prometheus_rule(alerts), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=200)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
