"""A broker that refuses the topic set-up is reported as a TopicSetupError naming the broker."""

import pytest
from aiokafka.errors import TopicAuthorizationFailedError

from wijkwerk.messaging import admin
from wijkwerk.messaging.admin import TopicSetupError, ensure_topics, topic_partition_counts


class _Admin:
    async def list_topics(self):
        raise TopicAuthorizationFailedError()


@pytest.fixture
def weigerende_broker(monkeypatch):
    async def connect(kafka, deadline):
        return _Admin()

    async def weiger(*args, **kwargs):
        raise TopicAuthorizationFailedError()

    async def close(a):
        return None

    monkeypatch.setattr(admin, "_connect", connect)
    monkeypatch.setattr(admin, "_ensure_once", weiger)
    monkeypatch.setattr(admin, "_close", close)


async def test_a_refused_topic_set_up_names_the_broker(weigerende_broker):
    with pytest.raises(TopicSetupError, match="broker-a:9092"):
        await ensure_topics("broker-a:9092", ["wijkwerk.x.v1"], partitions=1, timeout_s=1)


async def test_a_refused_topic_description_names_the_broker(weigerende_broker):
    with pytest.raises(TopicSetupError, match="broker-a:9092"):
        await topic_partition_counts("broker-a:9092", ["wijkwerk.x.v1"], timeout_s=1)
