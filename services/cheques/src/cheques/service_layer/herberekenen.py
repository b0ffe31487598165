"""Runs a recompute: snapshot the ledger, replay the history up to that moment — each
producer's event archive, then its topic's tail (:class:`wijkwerk.messaging.archief.Geschiedenis`),
so the answer does not depend on the broker's retention —, fold it (:mod:`herberekening`)
into the scratch table and diff per account and month. The report must show zero
difference. A history that does not reach back to the first event is refused.

``vanaf``: ``begin`` replays everything; ``laatste-afsluiting`` starts from the last close
once its hash chain verifies (:mod:`herberekenen_vanaf`, ADR 0014) and diffs the months
after it."""

from __future__ import annotations

import asyncio
import enum
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cheques.adapters.herberekening import HerberekeningRepository
from cheques.adapters.referentie import VerdeeltariefRepository
from cheques.domain.fouten import Onbeschikbaar
from cheques.service_layer.herberekenen_vanaf import vertrouwde_afsluiting, vouw_vanaf
from cheques.service_layer.herberekening import Herberekening
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.fouten import BestaatAl
from wijkwerk.messaging.archief import ArchiefBron, Geschiedenis, GeschiedenisOnbeschikbaar, GeschiedenisOnvolledig
from wijkwerk.messaging.groepen import wacht_op_groepen
from wijkwerk.messaging.kafka import BrokerUnavailable
from wijkwerk.settings import KafkaSettings

log = logging.getLogger("cheques.herberekening")


class Vanaf(enum.StrEnum):
    BEGIN = "begin"
    LAATSTE_AFSLUITING = "laatste-afsluiting"


async def wacht_op_outbox(sessions: async_sessionmaker[AsyncSession], timeout_s: float) -> None:
    """Until every committed event is on the topic (or the timeout: the report then shows it)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        async with sessions() as session:
            if await HerberekeningRepository(session).achterstand() == 0:
                return
        await asyncio.sleep(0.1)


async def herbereken(
    sessions: async_sessionmaker[AsyncSession],
    kafka: KafkaSettings,
    *,
    prestaties_topic: str,
    cheques_topic: str,
    archieven: Mapping[str, ArchiefBron],
    wacht_s: float = 10.0,
    vanaf: Vanaf = Vanaf.BEGIN,
    groepen: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """``groepen``: the consumer groups whose effects the ledger holds, with their topics;
    the replay waits (up to ``wacht_s``) until they have committed everything on them,
    wherever they run, and the report names what was still behind."""
    await wacht_op_outbox(sessions, wacht_s)
    try:
        consumenten = await wacht_op_groepen(kafka, dict(groepen or {}), wacht_s)
    except BrokerUnavailable as exc:
        raise Onbeschikbaar(f"The consumers' progress could not be read: {exc}",
                            rule="herberekening-onbeschikbaar") from None
    run_id = uuid.uuid4()
    geschiedenis = Geschiedenis(kafka, archieven)
    vertrouwd = await vertrouwde_afsluiting(lambda: ChequesUnitOfWork(sessions)) if vanaf is Vanaf.LAATSTE_AFSLUITING else None
    try:
        async with sessions() as session:
            repo = HerberekeningRepository(session)
            await repo.momentopname()
            achterstand = await repo.achterstand()
            fold = Herberekening(await VerdeeltariefRepository(session).alle())
            na, start = date.min, {"vanaf": Vanaf.BEGIN.value}
            if vertrouwd is None:
                # fees and allowances before the cheques
                async for blok in geschiedenis.alles((prestaties_topic, cheques_topic)):
                    for waarde in blok:
                        fold.verwerk_bericht(waarde)
            else:
                na, start = await vouw_vanaf(session, fold, geschiedenis, prestaties_topic, vertrouwd)
            await repo.schrijf(run_id, {k: s for k, s in fold.saldi.items() if k[1] > na})
            vergeleken, verschillen = await repo.verschillen(run_id, na)
            rapport = {**start, **_rapport(run_id, fold, vergeleken, verschillen, await repo.maanden_uit_evenwicht(),
                                           achterstand)}
            rapport["gelezen"] = geschiedenis.gelezen
            rapport["consumenten_achterstand"] = consumenten
            await repo.bewaar(run_id, fold.events, rapport["verschil_cent"], orjson.loads(orjson.dumps(rapport)))
            await session.commit()
    except GeschiedenisOnvolledig as exc:
        raise BestaatAl(f"The history cannot be replayed from its first event: {exc}",
                        rule="geschiedenis-onvolledig") from None
    except (BrokerUnavailable, TimeoutError, GeschiedenisOnbeschikbaar) as exc:
        raise Onbeschikbaar(f"The history could not be replayed: {exc}", rule="herberekening-onbeschikbaar") from None
    log.info("recompute %s: %s events, difference %s cents", run_id, fold.events, rapport["verschil_cent"])
    return rapport


def _rapport(
    run_id: uuid.UUID, fold: Herberekening, vergeleken: int, verschillen: Sequence[dict[str, Any]], uit_evenwicht: list[Any],
    achterstand: int,
) -> dict[str, Any]:
    return {
        "id": str(run_id),
        "uitgevoerd_op": datetime.now(UTC).isoformat(),
        "events": fold.events,
        "duplicaten": fold.duplicaten,
        "outbox_achterstand": achterstand,
        "vergeleken": vergeleken,
        "verschillen": [
            {**v, "maand": v["maand"].isoformat(), "verschil": v["grootboek"] - v["herberekend"]} for v in verschillen
        ],
        "verschil_cent": sum(abs(v["grootboek"] - v["herberekend"]) for v in verschillen),
        "maanden_uit_evenwicht": [m.isoformat() for m in uit_evenwicht],
        "fouten": fold.fouten,
    }
