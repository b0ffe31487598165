"""What the CLI reads from the environment (and only here).

``wijkwerk migrate`` and ``wijkwerk topics`` are the production jobs: they get the
same variables as the services (``<SERVICE>_DATABASE_URL``, ``KAFKA_*``).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.cli.services import ServiceSpec


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    # KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR, with
    # the same defaults the services use.
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)

    toeleiding_database_url: str | None = None
    prestaties_database_url: str | None = None
    cheques_database_url: str | None = None
    evaluatie_database_url: str | None = None
    # The databases' owners, for migrations (issue #18); the services never get these.
    toeleiding_migration_database_url: str | None = None
    prestaties_migration_database_url: str | None = None
    cheques_migration_database_url: str | None = None
    evaluatie_migration_database_url: str | None = None

    def database_url(self, spec: ServiceSpec) -> str | None:
        """``<PREFIX>_DATABASE_URL`` of ``spec``, or None when unset."""
        value: str | None = getattr(self, f"{spec.env_prefix.lower()}_database_url")
        return value

    def migration_database_url(self, spec: ServiceSpec) -> str | None:
        """``<PREFIX>_MIGRATION_DATABASE_URL`` of ``spec`` (the owner's), or None when unset."""
        value: str | None = getattr(self, f"{spec.env_prefix.lower()}_migration_database_url")
        return value
