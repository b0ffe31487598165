"""Topic configs declared once, set at creation and verified against the broker (issue #22):
measured on the embedded Tansu broker, which keeps and describes topic configs as Kafka does."""

import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from wijkwerk.messaging.admin import TopicConfigMismatch, ensure_topics, topic_configs, verify_topics
from wijkwerk.settings import KafkaSettings

pytestmark = pytest.mark.integration


async def _beschreven(bootstrap: str, topic: str) -> dict[str, str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [antwoord] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        return {e[0]: e[1] for e in antwoord.resources[0][4]}
    finally:
        await admin.close()


async def _met_de_hand(bootstrap: str, topic: str, configs: dict[str, str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 2, 1, topic_configs=configs)])
    finally:
        await admin.close()


async def test_a_topic_is_created_with_its_declared_configs(kafka_bootstrap):
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap, retention_ms=3 * 86_400_000)
    topic = f"t.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka, [topic, f"{topic}.dlq"], 2)
    assert await _beschreven(kafka_bootstrap, topic) == {
        "cleanup.policy": "delete", "retention.ms": str(3 * 86_400_000), "min.insync.replicas": "1"}
    assert (await _beschreven(kafka_bootstrap, f"{topic}.dlq"))["retention.ms"] == str(90 * 86_400_000)
    await verify_topics(kafka, [topic, f"{topic}.dlq"])  # what was declared is what is there
    await ensure_topics(kafka, [topic], 2)  # and an existing topic that matches is left as is


async def test_a_topic_that_differs_is_refused_with_every_difference(kafka_bootstrap):
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    anders, kaal = f"t.{uuid.uuid4().hex[:8]}", f"t.{uuid.uuid4().hex[:8]}"
    await _met_de_hand(kafka_bootstrap, anders, {"retention.ms": "3600000", "cleanup.policy": "compact",
                                                 "min.insync.replicas": "1"})
    await _met_de_hand(kafka_bootstrap, kaal, {})
    with pytest.raises(TopicConfigMismatch) as exc:
        await ensure_topics(kafka, [anders, kaal], 2)
    declared = topic_configs(kafka, anders)
    assert sorted(exc.value.verschillen) == sorted([
        f"{anders} cleanup.policy: declared delete, the broker has compact",
        f"{anders} retention.ms: declared {declared['retention.ms']}, the broker has 3600000",
        *(f"{kaal} {k}: declared {v}, the broker has (unset)" for k, v in declared.items()),
    ])
    with pytest.raises(TopicConfigMismatch, match=f"{anders} retention.ms"):
        await verify_topics(kafka, [anders])
    # Nothing was changed on the broker: a person decides.
    assert (await _beschreven(kafka_bootstrap, anders))["retention.ms"] == "3600000"


async def test_other_settings_than_the_topics_were_made_with_are_a_mismatch(kafka_bootstrap):
    topic = f"t.{uuid.uuid4().hex[:8]}"
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap), [topic], 2)
    with pytest.raises(TopicConfigMismatch, match=r"retention.ms: declared 86400000, the broker has 1382400000"):
        await verify_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap, retention_ms=86_400_000), [topic])
