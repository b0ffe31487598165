"""A commit the group refuses because it rebalanced is benign: the consumer goes on."""

from __future__ import annotations

import pytest
from aiokafka.errors import CommitFailedError, KafkaConnectionError
from aiokafka.structs import ConsumerRecord, TopicPartition

from wijkwerk.events import registry
from wijkwerk.messaging.consumer import InboxConsumer
from wijkwerk.messaging.kafka import BrokerUnavailable
from wijkwerk.settings import KafkaSettings

pytestmark = pytest.mark.asyncio


class _WeigertCommit:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc
        self.commits = 0

    async def commit(self, offsets) -> None:
        self.commits += 1
        raise self.exc


def _consumer(kafka_consumer) -> InboxConsumer:
    consumer = InboxConsumer(name="c", service="s", topics=["t"], event_types=[], handle=None,  # type: ignore[arg-type]
                             sessions=None, kafka=KafkaSettings(request_timeout_s=1), registry=registry)  # type: ignore[arg-type]
    consumer._consumer = kafka_consumer
    return consumer


def _fetched() -> dict:
    tp = TopicPartition("t", 0)
    return {tp: [ConsumerRecord("t", 0, 7, 0, 0, b"k", b"{}", None, 1, 2, ())]}


async def test_a_commit_refused_after_a_rebalance_is_counted_and_the_consumer_goes_on():
    fake = _WeigertCommit(CommitFailedError("the group has already rebalanced"))
    consumer = _consumer(fake)
    await consumer._commit(_fetched())  # no exception: no teardown, no rejoin
    assert fake.commits == 1
    assert consumer.state.commits_na_herverdeling == 1
    assert consumer._committed == {}  # nothing recorded as committed


async def test_a_broker_outage_on_commit_still_ends_the_session():
    consumer = _consumer(_WeigertCommit(KafkaConnectionError("no broker")))
    with pytest.raises(BrokerUnavailable):
        await consumer._commit(_fetched())
    assert consumer.state.commits_na_herverdeling == 0
