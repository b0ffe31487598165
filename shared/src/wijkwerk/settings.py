"""Settings every service shares. Each service subclasses :class:`ServiceSettings`
with its own env prefix (``TOELEIDING_DATABASE_URL`` …); the few values that are the
same for the whole platform (Kafka, auth, service URLs) are read without a prefix.

This is the only place the environment is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore", hide_input_in_errors=True,
                                      env_ignore_empty=True)

    jwks_url: str | None = None
    public_key_file: str | None = None
    private_key_file: str | None = None  # embedded default: lets services mint internal tokens
    issuer: str = "wijkwerk-local"
    audience: str = "wijkwerk"
    leeway_seconds: int = 30
    # Service-to-service calls in production: OAuth2 client credentials at the identity
    # provider's token endpoint (wijkwerk.dienstentoken); unset, the local key signs them.
    token_url: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _client_credentials(self) -> AuthSettings:
        if self.token_url and not (self.client_id and self.client_secret and self.client_secret.get_secret_value()):
            raise ValueError("AUTH_TOKEN_URL is set: AUTH_CLIENT_ID and AUTH_CLIENT_SECRET must be set too")
        return self


_DAG_MS = 24 * 3600 * 1000


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore", hide_input_in_errors=True,
                                      env_ignore_empty=True)

    bootstrap_servers: str = "127.0.0.1:19092"
    topic_partitions: int = 8
    replication_factor: int = 1
    # Per-topic configs, declared once (wijkwerk.messaging.admin.topic_configs), set when a
    # topic is created and verified at start-up: a mismatch refuses the start. Kafka is the
    # transport; the history lives in each producer's event archive (ADR 0004).
    min_insync_replicas: int = Field(1, ge=1)
    retention_ms: int = Field(16 * _DAG_MS, ge=3_600_000)
    dlq_retention_ms: int = Field(90 * _DAG_MS, ge=3_600_000)  # parked events wait for a person
    # The idempotent producer (no duplicate on a retried produce). Off by default: Tansu
    # answers InitProducerId with an unknown error; on in the production setups.
    enable_idempotence: bool = False
    # Connection security (a secured cluster in production): TLS and/or SASL.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    # OAUTHBEARER: OAuth2 client credentials at the identity provider's token endpoint.
    sasl_oauth_token_url: str | None = None
    sasl_oauth_client_id: str | None = None
    sasl_oauth_client_secret: SecretStr | None = None
    sasl_oauth_scope: str | None = None
    ssl_cafile: str | None = None  # unset: the system's trusted CAs
    ssl_certfile: str | None = None  # client certificate (mutual TLS)
    ssl_keyfile: str | None = None
    ssl_password: SecretStr | None = None
    # A waiting fetch is not woken early, so this sets end-to-end latency (EMBEDDED-STACK.md).
    fetch_max_wait_ms: int = 50
    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 1000
    # "assign": one process owns every partition (fast start, embedded default);
    # "subscribe": consumer-group rebalancing for horizontally scaled consumers.
    consumer_mode: str = "assign"
    request_timeout_s: float = 10.0

    @model_validator(mode="after")
    def _beveiliging(self) -> KafkaSettings:
        """A secured connection with a setting missing refuses at start-up, naming it."""
        sasl = self.security_protocol.startswith("SASL_")
        if sasl and self.sasl_mechanism is None:
            raise ValueError(f"KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs KAFKA_SASL_MECHANISM")
        if not sasl and self.sasl_mechanism is not None:
            raise ValueError("KAFKA_SASL_MECHANISM is set: KAFKA_SECURITY_PROTOCOL must be SASL_SSL or SASL_PLAINTEXT")
        if sasl and self.sasl_mechanism == "OAUTHBEARER":
            ontbreekt = [n for n, v in (("KAFKA_SASL_OAUTH_TOKEN_URL", self.sasl_oauth_token_url),
                                        ("KAFKA_SASL_OAUTH_CLIENT_ID", self.sasl_oauth_client_id),
                                        ("KAFKA_SASL_OAUTH_CLIENT_SECRET", self.sasl_oauth_client_secret)) if not v]
        elif sasl:
            ontbreekt = [n for n, v in (("KAFKA_SASL_USERNAME", self.sasl_username),
                                        ("KAFKA_SASL_PASSWORD", self.sasl_password)) if not v]
        else:
            ontbreekt = []
        if ontbreekt:
            raise ValueError(f"KAFKA_SASL_MECHANISM={self.sasl_mechanism} needs {', '.join(ontbreekt)}")
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise ValueError("KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE go together (mutual TLS)")
        if self.min_insync_replicas > self.replication_factor:
            raise ValueError(f"KAFKA_MIN_INSYNC_REPLICAS={self.min_insync_replicas} is above "
                             f"KAFKA_REPLICATION_FACTOR={self.replication_factor}: no produce could succeed")
        return self


class ServiceUrls(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    toeleiding_url: str = Field("http://127.0.0.1:8001", validation_alias=_env("TOELEIDING_URL"))
    prestaties_url: str = Field("http://127.0.0.1:8002", validation_alias=_env("PRESTATIES_URL"))
    cheques_url: str = Field("http://127.0.0.1:8003", validation_alias=_env("CHEQUES_URL"))
    evaluatie_url: str = Field("http://127.0.0.1:8004", validation_alias=_env("EVALUATIE_URL"))
    # HTTPS between the services: the CA that issued their certificates (wijkwerk.http.tls);
    # unset, the system's CAs.
    ca_file: str | None = Field(None, validation_alias=_env("WIJKWERK_CA_FILE"))
    # Where a service's metrics are when they have a port of their own (<SERVICE>_METRICS_PORT);
    # unset, <url>/metrics. Read by evaluatie's dashboard.
    toeleiding_metrics_url: str | None = Field(None, validation_alias=_env("TOELEIDING_METRICS_URL"))
    prestaties_metrics_url: str | None = Field(None, validation_alias=_env("PRESTATIES_METRICS_URL"))
    cheques_metrics_url: str | None = Field(None, validation_alias=_env("CHEQUES_METRICS_URL"))
    evaluatie_metrics_url: str | None = Field(None, validation_alias=_env("EVALUATIE_METRICS_URL"))

    def metrics_url(self, service: str) -> str:
        return getattr(self, f"{service}_metrics_url") or getattr(self, f"{service}_url").rstrip("/") + "/metrics"


class TracingSettings(BaseSettings):
    """OpenTelemetry, by the standard variables. Off unless OTEL_TRACES_EXPORTER names an
    exporter: ``otlp`` (OTLP over HTTP; endpoint, headers and protocol from the standard
    OTEL_EXPORTER_OTLP_* variables, read by the exporter) or ``console``."""

    model_config = SettingsConfigDict(env_prefix="OTEL_", extra="ignore", env_ignore_empty=True)

    traces_exporter: Literal["none", "otlp", "console"] = "none"
    service_name: str | None = None  # default: the service's own name
    # The collector's base URL (the exporter appends /v1/traces); the other OTEL_EXPORTER_OTLP_*
    # variables (headers, timeout, a traces-only endpoint) are read by the exporter itself.
    exporter_otlp_endpoint: str | None = None


class ServiceSettings(BaseSettings):
    """Base for a service's settings; subclasses set ``env_prefix``."""

    # hide_input_in_errors: a refused start must not print the secrets it was given;
    # env_ignore_empty: `X: ${X:-}` in compose leaves X unset, not set to ""
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True, env_ignore_empty=True)

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/postgres"
    db_pool_size: int = 10
    environment: str = Field("embedded", validation_alias=_env("WIJKWERK_ENV"))
    run_workers: bool = True  # relay + consumers + housekeeping inside this process
    # False: a workers-only process (its own Deployment on Kubernetes) serves only /health,
    # /ready, /ready/workers, /health/workers and /metrics, no API (deploy/README.md).
    serve_api: bool = True
    relay_batch_size: int = 1000
    relay_idle_poll_s: float = 1.0  # the relay wakes on the outbox's NOTIFY; this is the fallback poll
    relay_linger_s: float = 0.02  # after a batch that was not full: wait for more rows
    # A leader that stops (node, network, frozen process) loses its lock after this: the
    # server ends its silent session (wijkwerk.messaging.leiderschap); a follower takes over.
    relay_lease_s: float = Field(10.0, ge=1.0)
    outbox_retention_days: int = 14
    # Embedded memory broker only (it honours no retention): rotate a topic once it holds
    # this many messages and every consumer group has read them (0: never; ADR 0004).
    broker_rotatie_berichten: int = 0
    consumer_batch_size: int = 5000
    max_page_size: int = 500
    max_body_bytes: int = 1_000_000
    # Overload: requests served at once per process, a limit that adapts between db_pool_size and
    # max_in_flight to keep an accepted request's time near overload_target_s; past it a
    # request waits at most overload_wait_s for a slot, else 503 + Retry-After
    # (wijkwerk.http.overbelasting, wijkwerk.http.begrenzer).
    max_in_flight: int = Field(64, ge=1)
    overload_wait_s: float = Field(0.1, ge=0)
    overload_target_s: float = Field(0.1, gt=0)
    # Rate limit per client (verified issuer + subject; internal services exempt): a token
    # bucket of rate_limit_per_s up to rate_limit_burst (default 2 x rate), 429 past it
    # (wijkwerk.http.verzoeklimiet). 0 = off: the embedded default, the tests and the bench
    # (one token drives all load there); compose and k8s set it.
    rate_limit_per_s: float = Field(0.0, ge=0)
    rate_limit_burst: int | None = Field(None, ge=1)
    rate_limit_clients: int = Field(10_000, ge=1)  # buckets kept (least recently seen evicted)
    # /metrics on a port of its own (not on the API port; deploy/README "Edge"); unset: on
    # the API port (the embedded default).
    metrics_port: int | None = Field(None, ge=1, le=65535)
    metrics_host: str = "0.0.0.0"  # noqa: S104 - the scraper reaches the pod from outside
    # /docs, /redoc and /openapi.json on the API port (off in production: compose, k8s).
    docs: bool = True
    # HTTPS on the API port (wijkwerk_platform.serve): the server's certificate chain and key (PEM).
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    # How long an Idempotency-Key's answer is kept for retries (README: retry contract).
    idempotency_ttl_hours: int = 24
    log_json: bool = True
    # Whether the service fingerprints personal data (its production start needs the key).
    vingerafdrukken: ClassVar[bool] = False
    # The key of the personal-data fingerprints (wijkwerk.vingerafdruk; toeleiding and
    # prestaties, required there in production); or a file holding it (the embedded default's,
    # created once in the data dir by ``wijkwerk up``).
    vingerafdruk_sleutel: SecretStr | None = Field(None, validation_alias=_env("WIJKWERK_VINGERAFDRUK_SLEUTEL"))
    vingerafdruk_sleutel_file: str | None = Field(None, validation_alias=_env("WIJKWERK_VINGERAFDRUK_SLEUTEL_FILE"))

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    urls: ServiceUrls = Field(default_factory=ServiceUrls)
    tracing: TracingSettings = Field(default_factory=TracingSettings)

    def vingerafdruk_sleutel_bytes(self) -> bytes | None:
        """The fingerprint key, or None (no fingerprints: tests, a service that needs none)."""
        if self.vingerafdruk_sleutel is not None and self.vingerafdruk_sleutel.get_secret_value():
            return self.vingerafdruk_sleutel.get_secret_value().encode()
        if self.vingerafdruk_sleutel_file:
            return Path(self.vingerafdruk_sleutel_file).read_text(encoding="utf-8").strip().encode() or None
        return None

    def ontbrekend_in_productie(self) -> list[str]:
        """The settings without a safe default that production leaves unset, by their
        environment names; a service adds its own."""
        ontbrekend = [] if self.auth.jwks_url or self.auth.public_key_file else ["AUTH_JWKS_URL (or AUTH_PUBLIC_KEY_FILE)"]
        if self.vingerafdrukken and self.vingerafdruk_sleutel_bytes() is None:
            ontbrekend.append("WIJKWERK_VINGERAFDRUK_SLEUTEL (or WIJKWERK_VINGERAFDRUK_SLEUTEL_FILE)")
        return ontbrekend

    @model_validator(mode="after")
    def _tls_paar(self) -> ServiceSettings:
        if bool(self.tls_certfile) != bool(self.tls_keyfile):
            raise ValueError("<SERVICE>_TLS_CERTFILE and <SERVICE>_TLS_KEYFILE go together")
        return self

    @model_validator(mode="after")
    def _productie(self) -> ServiceSettings:
        # No placeholders in production: a missing setting stops the start, named, instead
        # of surfacing as a refused token or a payout from a made-up account months later.
        if self.environment == "production" and (ontbrekend := self.ontbrekend_in_productie()):
            raise ValueError(f"WIJKWERK_ENV=production needs these settings: {', '.join(ontbrekend)}")
        return self
