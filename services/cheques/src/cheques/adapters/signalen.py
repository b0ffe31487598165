"""Fraud and error flags (issue #23 item 4, ADR 0024): the flags with their decision (the
audit trail next to the events), and the day's prestaties the rules look at."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import prestaties_ref as p
from cheques.adapters.tables import signalen as s
from cheques.adapters.tables import vingerafdrukken as v
from cheques.domain.signaal import Blok, Regel, Signaal, Status, Vingerafdrukken


def _signaal(row) -> Signaal:
    m = dict(row._mapping)
    m.pop("besloten_om", None)
    return Signaal(**{**m, "regel": Regel(m["regel"]), "status": Status(m["status"])})


class SignaalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def meld(self, signaal: Signaal) -> bool:
        """Records the flag once per prestatie and rule; False when it was raised before."""
        waarden = {c.name: getattr(signaal, c.name) for c in s.columns if c.name not in ("gemeld_om", "besloten_om")}
        stmt = pg_insert(s).values(**{**waarden, "regel": signaal.regel.value, "status": signaal.status.value},
                                   gemeld_om=func.now())
        return (await self.session.execute(stmt.on_conflict_do_nothing().returning(s.c.id))).first() is not None

    async def get(self, signaal_id: uuid.UUID, *, vergrendel: bool = False) -> Signaal | None:
        query = select(s).where(s.c.id == signaal_id)
        row = (await self.session.execute(query.with_for_update() if vergrendel else query)).first()
        return _signaal(row) if row else None

    async def beslis(self, signaal: Signaal) -> None:
        await self.session.execute(update(s).where(s.c.id == signaal.id).values(
            status=signaal.status.value, besloten_op=signaal.besloten_op, besloten_door=signaal.besloten_door,
            reden=signaal.reden, besloten_om=func.now()))

    async def lijst(self, organisator_id: uuid.UUID | None, status: Status | None, *, limit: int, offset: int
                    ) -> list[Signaal]:
        query = select(s).order_by(s.c.datum, s.c.gemeld_om, s.c.id).limit(limit).offset(offset)
        if organisator_id is not None:
            query = query.where(s.c.organisator_id == organisator_id)
        if status is not None:
            query = query.where(s.c.status == status.value)
        return [_signaal(r) for r in await self.session.execute(query)]

    async def blokken(self, *, wijkwerker_id: uuid.UUID | None = None, gebruiker_id: uuid.UUID | None = None,
                      datum: date) -> list[Blok]:
        """The day's prestaties of one worker or one gebruiker that still pay (not cancelled,
        no flag of theirs rejected)."""
        query = select(p.c.id, p.c.wijkwerker_id, p.c.gebruiker_id, p.c.datum, p.c.begonnen_uren, p.c.start,
                       p.c.minuten).where(p.c.datum == datum, ~p.c.geannuleerd, p.c.afgewezen_op.is_(None))
        if wijkwerker_id is not None:
            query = query.where(p.c.wijkwerker_id == wijkwerker_id)
        if gebruiker_id is not None:
            query = query.where(p.c.gebruiker_id == gebruiker_id)
        return [Blok(*r) for r in await self.session.execute(query.order_by(p.c.id))]

    async def wijkwerkers_vastgehouden(self, op: date) -> set[uuid.UUID]:
        """Workers with a worker-level flag (no prestatie: gedeelde-rekening) raised on or
        before ``op`` and not released by then: nothing is paid to them on ``op``."""
        rows = await self.session.execute(select(s.c.wijkwerker_id).where(
            s.c.prestatie_id.is_(None), s.c.datum <= op,
            ~((s.c.status == Status.VRIJGEGEVEN.value) & (s.c.besloten_op <= op))).distinct())
        return set(rows.scalars())

    async def organisator_van(self, wijkwerker_id: uuid.UUID) -> uuid.UUID | None:
        """The organiser of the worker's latest prestatie (the flag's scope)."""
        return await self.session.scalar(select(p.c.organisator_id).where(p.c.wijkwerker_id == wijkwerker_id)
                                         .order_by(p.c.datum.desc()).limit(1))

    async def bewaar_vingerafdrukken(self, partij_id: uuid.UUID, soort: str, iban: str | None,
                                     adres: str | None) -> None:
        """A worker's or gebruiker's fingerprints from its latest event; an event without one
        (an older event, no key) keeps what was known."""
        if iban is None and adres is None:
            return
        stmt = pg_insert(v).values(partij_id=partij_id, soort=soort, iban=iban, adres=adres)
        await self.session.execute(stmt.on_conflict_do_update(index_elements=[v.c.partij_id], set_={
            "iban": func.coalesce(stmt.excluded.iban, v.c.iban), "adres": func.coalesce(stmt.excluded.adres, v.c.adres)}))

    async def vingerafdrukken(self, *partij_ids: uuid.UUID) -> dict[uuid.UUID, Vingerafdrukken]:
        rows = await self.session.execute(select(v.c.partij_id, v.c.iban, v.c.adres).where(v.c.partij_id.in_(partij_ids)))
        return {r.partij_id: Vingerafdrukken(r.iban, r.adres) for r in rows}
