"""Payout runs: one per month, their state and their transfers' states, and every step
with its actor. No SEPA file is stored (it holds names and IBANs): it is generated on
demand (:mod:`cheques.service_layer.uitbetalingsstatus`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.tables import uitbetaling_stappen, uitbetalingen, uitbetalingsrondes
from cheques.domain.levenscyclus import Overschrijvingsstatus, Rondestatus


@dataclass(frozen=True)
class Uitbetaling:
    wijkwerker_id: uuid.UUID
    bedrag_cent: int
    end_to_end_id: str
    status: Overschrijvingsstatus = Overschrijvingsstatus.IN_BEHANDELING
    reden: str | None = None
    bankdatum: date | None = None
    periode: str | None = None


@dataclass(frozen=True)
class Stap:
    stap: str
    door: str
    geregistreerd_om: datetime | None
    bericht_id: str | None = None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Ronde:
    periode: str
    uitgevoerd_op: datetime | None
    uitbetalingen: tuple[Uitbetaling, ...]
    zonder_bankgegevens: tuple[str, ...]
    uitvoeringsdatum: date
    status: Rondestatus = Rondestatus.OPGESTELD
    opgesteld_door: str | None = None
    stappen: tuple[Stap, ...] = ()

    @property
    def totaal_cent(self) -> int:
        return sum(u.bedrag_cent for u in self.uitbetalingen)

    @property
    def bericht_id(self) -> str:
        """The pain.001 MsgId (≤ 35): one per run, so the bank refuses a second upload of it
        as a duplicate and its pain.002 names it."""
        return f"WIJKWERK-UITBETALING-{self.periode}"


def _uitbetaling(r) -> Uitbetaling:
    return Uitbetaling(r.wijkwerker_id, r.bedrag_cent, r.end_to_end_id, Overschrijvingsstatus(r.status), r.reden,
                       r.bankdatum, r.periode)


class RondeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def vergrendel(self, periode: str) -> None:
        """One run of a month at a time; the second waits and then finds the first's result.
        Every step of a run takes the same lock, so steps never interleave."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('cheques:uitbetaling'), hashtext(:p))"), {"p": periode}
        )

    async def get(self, periode: str) -> Ronde | None:
        row = (await self.session.execute(select(uitbetalingsrondes).where(uitbetalingsrondes.c.periode == periode))).first()
        if row is None:
            return None
        lijnen = await self.session.execute(
            select(uitbetalingen).where(uitbetalingen.c.periode == periode).order_by(uitbetalingen.c.end_to_end_id)
        )
        stappen = await self.session.execute(
            select(uitbetaling_stappen).where(uitbetaling_stappen.c.periode == periode).order_by(uitbetaling_stappen.c.id)
        )
        return Ronde(
            periode=row.periode,
            uitgevoerd_op=row.uitgevoerd_op,
            uitbetalingen=tuple(_uitbetaling(r) for r in lijnen),
            zonder_bankgegevens=tuple(row.zonder_bankgegevens),
            uitvoeringsdatum=row.uitvoeringsdatum,
            status=Rondestatus(row.status),
            opgesteld_door=row.opgesteld_door,
            stappen=tuple(Stap(s.stap, s.door, s.geregistreerd_om, s.bericht_id, s.details) for s in stappen),
        )

    async def add(self, ronde: Ronde) -> None:
        await self.session.execute(
            insert(uitbetalingsrondes).values(
                periode=ronde.periode, aantal=len(ronde.uitbetalingen), totaal_cent=ronde.totaal_cent,
                zonder_bankgegevens=list(ronde.zonder_bankgegevens), status=str(ronde.status),
                opgesteld_door=ronde.opgesteld_door, uitvoeringsdatum=ronde.uitvoeringsdatum,
            )
        )
        if ronde.uitbetalingen:
            await self.session.execute(
                insert(uitbetalingen),
                [{"periode": ronde.periode, "wijkwerker_id": u.wijkwerker_id, "bedrag_cent": u.bedrag_cent,
                  "end_to_end_id": u.end_to_end_id, "status": str(u.status)} for u in ronde.uitbetalingen],
            )
        if ronde.opgesteld_door is not None:
            await self.stap(ronde.periode, "opgesteld", ronde.opgesteld_door)

    async def zet_status(self, periode: str, status: Rondestatus) -> None:
        await self.session.execute(
            update(uitbetalingsrondes).where(uitbetalingsrondes.c.periode == periode).values(status=str(status)))

    async def zet_overschrijving(
        self, end_to_end_id: str, status: Overschrijvingsstatus, reden: str | None, bankdatum: date
    ) -> None:
        await self.session.execute(
            update(uitbetalingen).where(uitbetalingen.c.end_to_end_id == end_to_end_id)
            .values(status=str(status), reden=reden, bankdatum=bankdatum))

    async def stap(self, periode: str, stap: str, door: str, *, bericht_id: str | None = None,
                   details: dict | None = None) -> None:
        await self.session.execute(insert(uitbetaling_stappen).values(
            periode=periode, stap=stap, door=door, bericht_id=bericht_id, details=details or {}))

    async def bericht_verwerkt(self, stap: str, bericht_id: str) -> bool:
        """Whether the bank file with this MsgId was imported before (a re-import changes nothing)."""
        gevonden = await self.session.scalar(
            select(uitbetaling_stappen.c.id)
            .where(uitbetaling_stappen.c.stap == stap, uitbetaling_stappen.c.bericht_id == bericht_id).limit(1))
        return gevonden is not None

    async def per_end_to_end_id(self, ids: list[str]) -> dict[str, Uitbetaling]:
        rows = await self.session.execute(select(uitbetalingen).where(uitbetalingen.c.end_to_end_id.in_(ids)))
        return {r.end_to_end_id: _uitbetaling(r) for r in rows}

    async def statussen(self, periodes: list[str]) -> dict[str, Rondestatus]:
        rows = await self.session.execute(
            select(uitbetalingsrondes.c.periode, uitbetalingsrondes.c.status)
            .where(uitbetalingsrondes.c.periode.in_(periodes)))
        return {p: Rondestatus(s) for p, s in rows}

    async def van_wijkwerker(self, wijkwerker_id: uuid.UUID) -> list[tuple[Uitbetaling, Rondestatus]]:
        rows = await self.session.execute(
            select(uitbetalingen, uitbetalingsrondes.c.status.label("rondestatus"))
            .join(uitbetalingsrondes, uitbetalingsrondes.c.periode == uitbetalingen.c.periode)
            .where(uitbetalingen.c.wijkwerker_id == wijkwerker_id)
            .order_by(uitbetalingen.c.periode))
        return [(_uitbetaling(r), Rondestatus(r.rondestatus)) for r in rows]
