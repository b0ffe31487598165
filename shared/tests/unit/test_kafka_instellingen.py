"""Connecting to a secured Kafka cluster: the KAFKA_ settings become the arguments of every
aiokafka client (TLS, SASL PLAIN/SCRAM/OAUTHBEARER), and a secured connection with a
setting missing refuses at start-up naming it (issue #22)."""

import ssl

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.abc import AbstractTokenProvider
from pydantic import ValidationError

from wijkwerk.messaging.admin import topic_configs
from wijkwerk.messaging.kafka import OAuthTokens, client_kwargs, make_producer
from wijkwerk.settings import KafkaSettings


def test_the_embedded_default_connects_in_plain_text():
    kwargs = client_kwargs(KafkaSettings(bootstrap_servers="127.0.0.1:19092"))
    assert kwargs == {"bootstrap_servers": "127.0.0.1:19092", "security_protocol": "PLAINTEXT"}


def test_scram_over_tls_from_the_environment(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093,kafka-1.kafka:9093")
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "cheques")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    kwargs = client_kwargs(KafkaSettings())
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert (kwargs["sasl_mechanism"], kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == (
        "SCRAM-SHA-512", "cheques", "s3cret")
    context = kwargs["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize(("env", "named"), [
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "KAFKA_SASL_MECHANISM"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
      "KAFKA_SASL_USERNAME": "cheques"}, "KAFKA_SASL_PASSWORD"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM": "OAUTHBEARER",
      "KAFKA_SASL_OAUTH_TOKEN_URL": "https://idp.example.test/token"}, "KAFKA_SASL_OAUTH_CLIENT_ID"),
    ({"KAFKA_SASL_MECHANISM": "PLAIN"}, "KAFKA_SECURITY_PROTOCOL"),
    ({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CERTFILE": "/etc/kafka/client.pem"}, "KAFKA_SSL_KEYFILE"),
    ({"KAFKA_REPLICATION_FACTOR": "3", "KAFKA_MIN_INSYNC_REPLICAS": "4"}, "KAFKA_MIN_INSYNC_REPLICAS"),
    ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "security_protocol"),
])
def test_a_secured_connection_with_a_setting_missing_is_refused_naming_it(monkeypatch, env, named):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValidationError) as exc:
        KafkaSettings()
    assert named in str(exc.value)
    assert "s3cret" not in str(exc.value)


async def test_oauthbearer_takes_its_token_from_the_identity_provider_by_client_credentials():
    gevraagd = []

    def idp(request: httpx.Request) -> httpx.Response:
        gevraagd.append(request)
        return httpx.Response(200, json={"access_token": f"kafka-{len(gevraagd)}", "token_type": "Bearer",
                                         "expires_in": 300})

    settings = KafkaSettings(security_protocol="SASL_SSL", sasl_mechanism="OAUTHBEARER",
                             sasl_oauth_token_url="https://idp.example.test/token", sasl_oauth_client_id="cheques",
                             sasl_oauth_client_secret="s3cret", sasl_oauth_scope="kafka")
    assert isinstance(client_kwargs(settings)["sasl_oauth_token_provider"], AbstractTokenProvider)
    tokens = OAuthTokens(settings, transport=httpx.MockTransport(idp))
    assert [await tokens.token(), await tokens.token()] == ["kafka-1", "kafka-1"]  # cached, one request
    assert b"grant_type=client_credentials" in gevraagd[0].content and b"scope=kafka" in gevraagd[0].content


async def test_the_producer_is_idempotent_when_asked():
    aan = make_producer(KafkaSettings(enable_idempotence=True), "test")
    uit = make_producer(KafkaSettings(), "test")
    assert isinstance(aan, AIOKafkaProducer)
    assert aan._txn_manager is not None and uit._txn_manager is None


def test_topic_configs_are_declared_once_from_the_settings():
    kafka = KafkaSettings(replication_factor=3, min_insync_replicas=2, retention_ms=7 * 86_400_000)
    assert topic_configs(kafka, "wijkwerk.cheques.v1") == {
        "cleanup.policy": "delete", "retention.ms": str(7 * 86_400_000), "min.insync.replicas": "2"}
    assert topic_configs(kafka, "wijkwerk.cheques.v1.dlq")["retention.ms"] == str(kafka.dlq_retention_ms)
