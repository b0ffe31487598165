"""The event archive: every event a service ever published, kept in its own database
(``gebeurtenissen``, written by a trigger in the outbox's transaction: see
``wijkwerk.db.messaging_ddl`` and ADR 0004), and the history that replays read.

Kafka is the transport with a short retention; the archive is the history. A replay
(the ledger recompute, evaluatie's rebuild, a consumer that starts from the beginning)
reads :class:`Geschiedenis`: per topic, first the producer's archive at one snapshot,
then the topic from its earliest retained offset up to its end — the tail of events
committed after the snapshot. Events on the topic that the archive already gave come
again; every replayer drops a repeated ``event_id`` as it drops a broker's redelivery.

The producer's archive is read in its own database when the replayer is the producer
(:class:`DatabaseArchief`) and over HTTP otherwise (:class:`HttpArchief`, the
``GET /v1/gebeurtenissen`` route every service serves: NDJSON, one envelope a line,
closed by ``#einde <count>`` so a cut-off stream is never taken for the whole).

An archive that does not reach back to the producer's first event (``archief_begin``)
is refused with :class:`GeschiedenisOnvolledig`: a replay never answers from a part of
the history as if it were all of it.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from wijkwerk.dienstentoken import TokenOnbeschikbaar
from wijkwerk.messaging.herlezen import TopicLezer
from wijkwerk.settings import KafkaSettings

BLOK = 5000
EINDE = b"#einde "
MEDIA_TYPE = "application/x-ndjson"
SCOPE = "gebeurtenissen:lezen"

_STAND = "SELECT volledig, toelichting FROM archief_begin"
_LEES = "SELECT value FROM gebeurtenissen ORDER BY txid, id"


class GeschiedenisOnvolledig(Exception):
    """The archive does not hold the producer's first event."""


class GeschiedenisOnbeschikbaar(Exception):
    """The archive could not be read to its end (producer down, stream cut off)."""


class ArchiefBron(Protocol):
    def blokken(self) -> AsyncIterator[list[bytes]]:
        """Every event the producer published (one service, one topic), in commit order,
        in blocks; raises :class:`GeschiedenisOnvolledig` before the first block when the
        archive does not reach back to the first event."""
        ...


@dataclass
class DatabaseArchief:
    """The archive in this service's own database, read at one snapshot."""

    engine: AsyncEngine
    blok: int = BLOK

    async def blokken(self) -> AsyncIterator[list[bytes]]:
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            async with driver.transaction(isolation="repeatable_read", readonly=True):
                stand = await driver.fetchrow(_STAND)
                if stand is None or not stand["volledig"]:
                    raise GeschiedenisOnvolledig(stand["toelichting"] if stand else "the archive has no beginning")
                cursor = await driver.cursor(_LEES)
                while rows := await cursor.fetch(self.blok):
                    yield [r[0] for r in rows]


@dataclass
class HttpArchief:
    """Another service's archive, streamed from its ``GET /v1/gebeurtenissen``."""

    base_url: str
    token: Callable[[], Awaitable[str]]  # wijkwerk.dienstentoken.service_token
    transport: httpx.AsyncBaseTransport | None = None
    timeout_s: float = 30.0
    verify: ssl.SSLContext | bool = True  # HTTPS: the platform's CA (wijkwerk.http.tls)

    async def blokken(self) -> AsyncIterator[list[bytes]]:
        timeout = httpx.Timeout(self.timeout_s, read=self.timeout_s * 10)
        try:
            headers = {"Authorization": f"Bearer {await self.token()}", "Accept": MEDIA_TYPE}
        except TokenOnbeschikbaar as exc:
            raise GeschiedenisOnbeschikbaar(f"{self.base_url}: {exc}") from None
        try:
            async with httpx.AsyncClient(base_url=self.base_url, transport=self.transport, timeout=timeout,
                                         verify=self.verify) as client:
                async with client.stream("GET", "/v1/gebeurtenissen", headers=headers) as r:
                    if r.status_code == 409:
                        await r.aread()
                        raise GeschiedenisOnvolledig(r.json().get("detail", "the archive is partial"))
                    if r.status_code != 200:
                        await r.aread()
                        raise GeschiedenisOnbeschikbaar(f"{self.base_url} answered {r.status_code}: {r.text[:200]}")
                    async for blok in _regels(r.aiter_bytes(), self.base_url):
                        yield blok
        except httpx.HTTPError as exc:
            raise GeschiedenisOnbeschikbaar(f"{self.base_url}: {type(exc).__name__}: {exc}") from None


async def _regels(chunks: AsyncIterator[bytes], bron: str) -> AsyncIterator[list[bytes]]:
    """Splits the NDJSON stream into values; checks the closing count."""
    rest = b""
    geteld = 0
    async for chunk in chunks:
        regels = (rest + chunk).split(b"\n")
        rest = regels.pop()
        if regels and regels[-1].startswith(EINDE):
            verwacht = int(regels.pop()[len(EINDE):])
            geteld += len(regels)
            if regels:
                yield regels
            if geteld != verwacht or rest:
                raise GeschiedenisOnbeschikbaar(f"{bron}: {geteld} events read, the archive sent {verwacht}")
            return
        geteld += len(regels)
        if regels:
            yield regels
    raise GeschiedenisOnbeschikbaar(f"{bron}: the archive stream ended without its closing line")


async def ndjson(archief: DatabaseArchief) -> AsyncIterator[bytes]:
    """The archive as the route streams it (the caller reads the first piece before the
    response starts, so a partial archive is still a 409)."""
    n = 0
    async for blok in archief.blokken():
        n += len(blok)
        yield b"\n".join(blok) + b"\n"
    yield EINDE + str(n).encode() + b"\n"


def voorbeeld() -> str:
    """The stream as it is served, for the OpenAPI example: an envelope a line (here one
    of toeleiding's events), closed by the count."""
    import uuid
    from datetime import UTC, datetime

    from wijkwerk.events.envelope import Envelope
    from wijkwerk.events.toeleiding import Gemeente, OrganisatorGeregistreerd

    event = OrganisatorGeregistreerd(
        organisator_id=uuid.UUID("0b6d6c64-8c3e-4c50-9d8a-5b1f0f7e2a11"), naam="Wijk-werken Midwest",
        samenwerkingsverband="Midwest", gemeenten=(Gemeente(nis_code="36015", naam="Roeselare"),))
    envelope = Envelope.wrap(event, producer="toeleiding", occurred_at=datetime(2026, 1, 5, 8, 30, tzinfo=UTC),
                             correlation_id="c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c").model_copy(
        update={"event_id": uuid.UUID("9a3e1c52-6b7d-4f80-a1b2-c3d4e5f60718")})
    return envelope.to_bytes().decode() + "\n" + EINDE.decode() + "1\n"


@dataclass
class Geschiedenis:
    """Archive + topic tail, per topic (see the module docstring); ``archieven`` maps a
    topic, as this reader names it, to its producer's archive."""

    kafka: KafkaSettings
    archieven: Mapping[str, ArchiefBron]
    tail_timeout_s: float = 120.0
    gelezen: dict[str, dict[str, int]] = field(default_factory=dict)

    async def blokken(self, topic: str) -> AsyncIterator[list[bytes]]:
        archief = self.archieven.get(topic)
        if archief is None:
            raise GeschiedenisOnvolledig(f"no archive is known for {topic}: its history cannot be read")
        telling = self.gelezen.setdefault(topic, {"archief": 0, "staart": 0})
        async for blok in archief.blokken():
            telling["archief"] += len(blok)
            yield blok
        async with TopicLezer(self.kafka) as lezer:
            eindes = await lezer.eindes([topic])
            async for blok in lezer.blokken(eindes, self.tail_timeout_s):
                telling["staart"] += len(blok)
                yield blok

    async def alles(self, topics: Sequence[str]) -> AsyncIterator[list[bytes]]:
        for topic in topics:
            async for blok in self.blokken(topic):
                yield blok
                await asyncio.sleep(0)
