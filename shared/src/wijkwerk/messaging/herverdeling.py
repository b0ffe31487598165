"""Consumer-group rebalances (``KAFKA_CONSUMER_MODE=subscribe``): hand partitions over
cleanly, and treat a commit refused because the group moved on as what it is.

On **revoke** the listener waits until the batch in flight is applied and its offsets are
committed (the consumer holds :attr:`InboxConsumer.verwerking` from applying to
committing), so the next owner starts after it; the revoked partitions leave the
consumer's record of what it committed. On **assign** each new partition is positioned
at the group's committed offset (or the start, if none), never at a position left over
from an earlier assignment.

A commit that fails because the group rebalanced (``CommitFailedError``: unknown member,
illegal generation, rebalance in progress; or the partition no longer assigned) is
**benign**: the database transaction that applied the batch has committed with its inbox
rows, so the partition's next owner re-reads those events and its inbox skips them.
Tearing the consumer down and rejoining would only cause another rebalance.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError, IllegalStateError
from aiokafka.structs import TopicPartition

from wijkwerk.messaging.kafka import bounded

if TYPE_CHECKING:
    from wijkwerk.messaging.consumer import InboxConsumer

log = logging.getLogger("wijkwerk.consumer")

# What a commit raises when the group has moved on: benign after the inbox's commit.
COMMIT_NA_HERVERDELING = (CommitFailedError, IllegalStateError)


class Herverdeling(ConsumerRebalanceListener):
    def __init__(self, owner: InboxConsumer) -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        # The batch in flight finishes (database commit, then offset commit) first.
        async with self.owner.verwerking:
            for tp in revoked:
                self.owner.forget_committed(tp)
        if revoked:
            log.info("consumer %s: %d partitions revoked", self.owner.group_id, len(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        consumer = self.owner.kafka_consumer
        if consumer is None:
            return
        timeout = self.owner.kafka.request_timeout_s
        for tp in sorted(assigned):
            committed = await bounded(consumer.committed(tp), timeout, "committed")
            if committed is None:
                await bounded(consumer.seek_to_beginning(tp), timeout, "seek")
            else:
                consumer.seek(tp, committed)
        self.owner.state.herverdelingen += 1
        log.info("consumer %s: %d partitions assigned", self.owner.group_id, len(assigned))
