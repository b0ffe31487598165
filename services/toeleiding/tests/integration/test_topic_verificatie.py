"""A service refuses to start when a topic it uses differs from its declared configs, and
says which (issue #22): on a broker of its own, so the session broker's topics stay as they are."""

import pytest

from toeleiding.config import Settings
from toeleiding.entrypoints.api import create_app
from wijkwerk.events.topics import ALL_TOPICS, dlq_topic
from wijkwerk.messaging.admin import TopicConfigMismatch, ensure_topics
from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.embedded.broker import EmbeddedBroker

pytestmark = pytest.mark.integration


@pytest.fixture
def broker(tmp_path):
    b = EmbeddedBroker(free_port(), log_file=tmp_path / "tansu.log")
    b.start()
    try:
        yield b.bootstrap_servers
    finally:
        b.stop()


async def test_the_service_refuses_to_start_on_a_topic_that_differs(broker):
    await ensure_topics(KafkaSettings(bootstrap_servers=broker), [*ALL_TOPICS, *map(dlq_topic, ALL_TOPICS)], 2)
    settings = Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none", run_workers=True,
                        kafka=KafkaSettings(bootstrap_servers=broker, topic_partitions=2, retention_ms=86_400_000))
    app = create_app(settings)
    with pytest.raises(TopicConfigMismatch) as exc:
        async with app.router.lifespan_context(app):
            pytest.fail("the service started on topics that differ from its settings")
    assert any("retention.ms: declared 86400000, the broker has 1382400000" in v for v in exc.value.verschillen)
