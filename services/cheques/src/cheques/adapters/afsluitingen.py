"""The period closes in PostgreSQL: the lock that orders bookings and closes, the closes
and what they store, and the ledger and cheque reads a close is computed from."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import periode_afsluitingen as a
from cheques.adapters.tables import periode_afstemmingen as pa
from cheques.adapters.tables import periode_saldi as ps

# The same slot as the trigger grootboek_periode_open (migration 2026_12_02_h_afsluiting).
_SLOT = "hashtext('cheques:periode-afsluiting')"


@dataclass(frozen=True)
class Afsluiting:
    maand: date
    van: date
    volgnummer: int
    afgesloten_op: date
    geregistreerd_om: datetime
    door: str
    vorige_hash: str
    hash: str
    transacties: int
    event_id: uuid.UUID


# Each validation and storno of a cheque, with its serial number (keys: DOMAIN of
# cheques.domain.grootboek; a serial number holds no colon).
_CHEQUEBOEKINGEN = """
    SELECT t.id, t.soort, t.boekmaand,
           CASE WHEN t.soort = 'storno' THEN split_part(t.sleutel, ':', 3) ELSE split_part(t.sleutel, ':', 2) END
               AS serienummer,
           CASE WHEN t.soort = 'storno' THEN -1 ELSE 1 END AS teken
    FROM grootboek_transacties t
    WHERE t.sleutel LIKE 'cheque:%' OR t.sleutel LIKE 'storno:cheque:%'
"""

_STAND = text(f"""
    WITH boekingen AS ({_CHEQUEBOEKINGEN}),
    gevalideerd AS (
        SELECT serienummer FROM boekingen WHERE boekmaand <= :maand GROUP BY serienummer HAVING sum(teken) > 0
    )
    SELECT b.organisator_id,
           CASE WHEN g.serienummer IS NOT NULL THEN 'gevalideerd'
                WHEN c.status = 'terugbetaald' AND c.afgesloten_op <= :einde THEN 'terugbetaald'
                WHEN (c.status = 'vervallen' AND c.afgesloten_op <= :einde) OR c.geldig_tot < :einde THEN 'vervallen'
                ELSE 'openstaand' END AS stand,
           count(*) AS aantal, sum(b.prijs_cent) AS cent
    FROM cheques c JOIN bestellingen b ON b.id = c.bestelling_id
    LEFT JOIN gevalideerd g ON g.serienummer = c.serienummer
    WHERE c.uitgegeven_op <= :einde
    GROUP BY 1, 2
""")

_VERKOCHT = text("""
    SELECT b.organisator_id, count(*) AS aantal, sum(b.prijs_cent) AS cent
    FROM cheques c JOIN bestellingen b ON b.id = c.bestelling_id
    WHERE c.uitgegeven_op <= :einde
    GROUP BY 1
""")

_GELD = text(f"""
    WITH boekingen AS ({_CHEQUEBOEKINGEN})
    SELECT b.organisator_id,
           coalesce(sum(x.teken) FILTER (WHERE l.rekening = 'chequegelden'), 0) AS cheques,
           coalesce(sum(l.debet_cent - l.credit_cent) FILTER (WHERE l.rekening = 'chequegelden'), 0) AS geld_in,
           coalesce(sum(l.credit_cent - l.debet_cent) FILTER (WHERE l.rekening LIKE 'wijkwerker:%'), 0) AS wijkwerker,
           coalesce(sum(l.credit_cent - l.debet_cent) FILTER (WHERE l.rekening = 'verzekering'), 0) AS verzekering,
           coalesce(sum(l.credit_cent - l.debet_cent) FILTER (WHERE l.rekening = 'reisfonds'), 0) AS reisfonds,
           coalesce(sum(l.credit_cent - l.debet_cent) FILTER (WHERE l.rekening = 'uitgever'), 0) AS uitgever,
           coalesce(sum(l.credit_cent - l.debet_cent) FILTER (WHERE l.rekening LIKE 'organisator:%'), 0) AS organisator
    FROM boekingen x
    JOIN grootboek_boekingen l ON l.transactie_id = x.id
    JOIN cheques c ON c.serienummer = x.serienummer
    JOIN bestellingen b ON b.id = c.bestelling_id
    WHERE x.boekmaand = :maand
    GROUP BY 1
""")


class AfsluitingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the lock ------------------------------------------------------------------

    async def vergrendel_gedeeld(self) -> None:
        """A booking's side: many at once, none while a close runs."""
        await self.session.execute(text(f"SELECT pg_advisory_xact_lock_shared({_SLOT})"))

    async def vergrendel_exclusief(self) -> None:
        """A close's side: waits until every booking in flight has committed, and holds new
        ones back until the close has committed."""
        await self.session.execute(text(f"SELECT pg_advisory_xact_lock({_SLOT})"))

    async def momentopname(self) -> None:
        """The rest of this transaction reads one snapshot (a verification across closes)."""
        await self.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))

    # --- the closes ----------------------------------------------------------------

    async def laatste_maand(self) -> date | None:
        return await self.session.scalar(select(func.max(a.c.maand)))

    async def laatste(self) -> Afsluiting | None:
        rij = (await self.session.execute(select(a).order_by(a.c.maand.desc()).limit(1))).first()
        return Afsluiting(**rij._asdict()) if rij else None

    async def alle(self) -> list[Afsluiting]:
        return [Afsluiting(**r._asdict()) for r in await self.session.execute(select(a).order_by(a.c.maand))]

    async def get(self, maand: date) -> Afsluiting | None:
        rij = (await self.session.execute(select(a).where(a.c.maand == maand))).first()
        return Afsluiting(**rij._asdict()) if rij else None

    async def bewaar(self, afsluiting: Afsluiting, saldi: list[dict], afstemmingen: list[dict]) -> None:
        await self.session.execute(insert(a).values(**afsluiting.__dict__))
        if saldi:
            await self.session.execute(insert(ps), saldi)
        if afstemmingen:
            await self.session.execute(insert(pa), [
                {"maand": afsluiting.maand, "organisator_id": uuid.UUID(d["organisator_id"]), "afstemming": d}
                for d in afstemmingen
            ])

    async def saldi(self, maand: date) -> dict[str, int]:
        """The stored balances at the end of ``maand`` (accounts at zero have no row)."""
        rijen = await self.session.execute(select(ps.c.rekening, ps.c.saldo_cent).where(ps.c.maand == maand))
        return {r: int(s) for r, s in rijen}

    async def opgeslagen_saldi(self, van: date, tot: date) -> list[dict]:
        rijen = await self.session.execute(
            select(ps).where(ps.c.maand >= van, ps.c.maand <= tot).order_by(ps.c.maand, ps.c.rekening))
        return [r._asdict() for r in rijen]

    async def afstemmingen(self, maand: date, organisator_id: uuid.UUID | None = None) -> list[dict]:
        query = select(pa.c.afstemming).where(pa.c.maand == maand).order_by(pa.c.organisator_id)
        if organisator_id is not None:
            query = query.where(pa.c.organisator_id == organisator_id)
        return list((await self.session.scalars(query)).all())

    # --- what a close is computed from ---------------------------------------------

    async def eerste_boekmaand(self) -> date | None:
        return await self.session.scalar(text("SELECT min(boekmaand) FROM grootboek_transacties"))

    async def bewegingen(self, van: date, tot: date) -> dict[date, dict[str, tuple[int, int]]]:
        """Per month and account: the month's debits and credits."""
        rijen = await self.session.execute(text(
            "SELECT t.boekmaand, b.rekening, sum(b.debet_cent), sum(b.credit_cent) "
            "FROM grootboek_boekingen b JOIN grootboek_transacties t ON t.id = b.transactie_id "
            "WHERE t.boekmaand BETWEEN :van AND :tot GROUP BY 1, 2"), {"van": van, "tot": tot})
        uit: dict[date, dict[str, tuple[int, int]]] = defaultdict(dict)
        for maand, rekening, debet, credit in rijen:
            uit[maand][rekening] = (int(debet), int(credit))
        return uit

    async def transacties(self, na: date | None, tot: date) -> AsyncIterator[tuple[dict[str, Any], list]]:
        """Every transaction booked after month ``na`` (None: from the start) through month
        ``tot``, by month and key, each with its lines; streamed."""
        resultaat = await self.session.stream(text(
            "SELECT t.id, t.sleutel, t.soort, t.boekdatum, t.boekmaand, t.omschrijving, t.geboekt_op, "
            "b.rekening, b.debet_cent, b.credit_cent "
            "FROM grootboek_transacties t LEFT JOIN grootboek_boekingen b ON b.transactie_id = t.id "
            "WHERE t.boekmaand > :na AND t.boekmaand <= :tot "
            "ORDER BY t.boekmaand, t.sleutel"), {"na": na or date.min, "tot": tot})
        huidige, rij, lijnen = None, {}, []
        async for deel in resultaat.partitions(5000):  # one switch into the driver per 5000 rows, not per row
            for r in deel:
                if r.id != huidige:
                    if huidige is not None:
                        yield rij, lijnen
                    huidige, lijnen = r.id, []
                    rij = {"sleutel": r.sleutel, "soort": r.soort, "boekdatum": r.boekdatum, "boekmaand": r.boekmaand,
                           "omschrijving": r.omschrijving, "geboekt_op": r.geboekt_op}
                if r.rekening is not None:
                    lijnen.append((r.rekening, int(r.debet_cent), int(r.credit_cent)))
        if huidige is not None:
            yield rij, lijnen

    async def stand(self, maand: date, einde: date) -> dict[uuid.UUID, dict[str, tuple[int, int]]]:
        """Per organiser: the issued cheques by their state as of ``einde`` (count, cents)."""
        uit: dict[uuid.UUID, dict[str, tuple[int, int]]] = defaultdict(dict)
        for r in await self.session.execute(_STAND, {"maand": maand, "einde": einde}):
            uit[r.organisator_id][r.stand] = (int(r.aantal), int(r.cent))
        return uit

    async def verkocht(self, einde: date) -> dict[uuid.UUID, tuple[int, int]]:
        """Per organiser: the cheques issued on or before ``einde`` (count, cents)."""
        return {r.organisator_id: (int(r.aantal), int(r.cent))
                for r in await self.session.execute(_VERKOCHT, {"einde": einde})}

    async def geld(self, maand: date) -> dict[uuid.UUID, dict[str, int]]:
        """Per organiser: the cheques' money booked in ``maand`` (validations less storno)."""
        return {r.organisator_id: {k: int(v) for k, v in r._mapping.items() if k != "organisator_id"}
                for r in await self.session.execute(_GELD, {"maand": maand})}
