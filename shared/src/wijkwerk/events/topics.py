"""One topic per producing service, plus a dead-letter topic for each."""

from __future__ import annotations

TOELEIDING = "wijkwerk.toeleiding.v1"
PRESTATIES = "wijkwerk.prestaties.v1"
CHEQUES = "wijkwerk.cheques.v1"
EVALUATIE = "wijkwerk.evaluatie.v1"

ALL_TOPICS: tuple[str, ...] = (TOELEIDING, PRESTATIES, CHEQUES, EVALUATIE)

PRODUCER_TOPIC = {
    "toeleiding": TOELEIDING,
    "prestaties": PRESTATIES,
    "cheques": CHEQUES,
    "evaluatie": EVALUATIE,
}


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics_with_dlq() -> tuple[str, ...]:
    return ALL_TOPICS + tuple(dlq_topic(t) for t in ALL_TOPICS)
