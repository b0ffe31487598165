"""Repository of prestaties, their history, and the per-worker lock behind the caps."""

from __future__ import annotations

import builtins
import calendar
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Text, bindparam, cast, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.tables import prestatie_historiek, prestaties
from prestaties.domain.bevestiging import Termijn, Uitkomst
from prestaties.domain.prestatie import Partij, Prestatie, PrestatieStatus
from prestaties.domain.uren import UrenStand
from wijkwerk.db.ruw import RuwStatement

_KOLOMMEN = (
    "id", "koppeling_id", "wijkwerker_id", "gebruiker_id", "organisator_id", "activiteit_id", "traject_id", "datum",
    "start", "minuten", "begonnen_uren", "afstand_km", "recht_op_verplaatsingsvergoeding",
    "verplaatsingsvergoeding_dag_cent", "version", "referentie",
)


def wijkwerker_slot(wijkwerker_id: ColumnElement) -> ColumnElement:
    """The lock on one worker's hours, held until the transaction ends. Two-key advisory
    locks live in their own key space (the relay uses the one-key form)."""
    return func.pg_advisory_xact_lock(
        func.hashtext(literal("prestaties:wijkwerker")), func.hashtext(cast(wijkwerker_id, Text))
    )


_VERGRENDEL = select(wijkwerker_slot(bindparam("wijkwerker_id", type_=UUID(as_uuid=True))))
_TELT = prestaties.c.status != PrestatieStatus.GEANNULEERD.value
_STAND = select(
    func.coalesce(
        func.sum(prestaties.c.begonnen_uren).filter(
            prestaties.c.datum.between(bindparam("maand_start"), bindparam("maand_einde"))
        ),
        0,
    ),
    func.coalesce(func.sum(prestaties.c.begonnen_uren), 0),
).where(
    prestaties.c.wijkwerker_id == bindparam("wijkwerker_id"),
    prestaties.c.datum.between(bindparam("jaar_start"), bindparam("jaar_einde")),
    _TELT,
)
# The registration's stand and its prestatie number in one round trip (bench figure 3): a
# registration the rules then refuse leaves a gap in the numbers, as a rolled-back one did.
_STAND_EN_NUMMER = RuwStatement(_STAND.add_columns(func.nextval("prestatie_nummer")))
_GET = select(prestaties).where(prestaties.c.id == bindparam("id"))
_VOLGENDE = select(func.nextval("prestatie_nummer"))
_GET_FOR_UPDATE = _GET.with_for_update()
_NIEUW_IN_HISTORIEK = insert(prestatie_historiek)
_HISTORIEK = ("prestatie_id", "version", "actie", "door", "status", "start", "minuten", "reden")
# A new prestatie and its first history row in one statement (one round trip on the hot path;
# the foreign key is checked at the end of the statement, when the CTE's row is there).
_NIEUW = (
    insert(prestatie_historiek)
    .values({k: bindparam(f"h_{k}") for k in _HISTORIEK})
    .add_cte(insert(prestaties).values({c.name: bindparam(c.name) for c in prestaties.c}).cte("nieuw"))
)
_NIEUW_RUW = RuwStatement(_NIEUW)  # the hot path's statements run on raw asyncpg (wijkwerk.db.ruw)


_p = prestaties.c
# Exactly what Prestatie.herinnering_nodig and bevestig_door_stilte act on, so a run's page is all work:
# a reminder not recorded for this window, for a prestatie unanswered on the reminder's date...
_herinnering_open = (
    _p.herinnerd_tot.is_distinct_from(_p.bevestigen_tot) & (_p.herinnering_op >= _p.termijn_vanaf)
    & ((_p.status == PrestatieStatus.GEREGISTREERD.value) | (_p.beoordeeld_op >= _p.herinnering_op))
)


def _stilte_open(vandaag: date) -> ColumnElement:
    """... or a window that closed before ``vandaag`` without an answer."""
    return (_p.status == PrestatieStatus.GEREGISTREERD.value) & (_p.bevestigen_tot < vandaag)


@dataclass(frozen=True)
class Filter:
    """A listing's filters; the data scope adds organiser, gebruiker or worker."""

    wijkwerker_id: uuid.UUID | None = None
    gebruiker_id: uuid.UUID | None = None
    organisator_id: uuid.UUID | None = None
    van: date | None = None
    tot: date | None = None


class PrestatieRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _from_row(r) -> Prestatie:
        termijn = None if r.bevestigen_tot is None else Termijn(r.termijn_vanaf, r.bevestigen_tot, r.herinnering_op)
        return Prestatie(
            **{k: getattr(r, k) for k in _KOLOMMEN},
            ingevoerd_door=Partij(r.ingevoerd_door),
            status=PrestatieStatus(r.status),
            termijn=termijn, beoordeeld_op=r.beoordeeld_op, automatisch=r.bevestigd_automatisch,
            herinnerd_tot=r.herinnerd_tot, betwisting_reden=r.betwisting_reden, beslecht_op=r.beslecht_op,
            uitkomst=None if r.uitkomst is None else Uitkomst(r.uitkomst),
        )

    @staticmethod
    def _bevestiging(p: Prestatie) -> dict:
        t = p.termijn
        return {
            "termijn_vanaf": t and t.vanaf, "bevestigen_tot": t and t.tot, "herinnering_op": t and t.herinnering_op,
            "beoordeeld_op": p.beoordeeld_op, "bevestigd_automatisch": p.automatisch, "herinnerd_tot": p.herinnerd_tot,
            "betwisting_reden": p.betwisting_reden, "beslecht_op": p.beslecht_op,
            "uitkomst": p.uitkomst.value if p.uitkomst else None,
        }

    async def vergrendel_wijkwerker(self, wijkwerker_id: uuid.UUID) -> None:
        """Serialise every change to one worker's hours until the transaction ends, so
        concurrent registrations cannot together pass a cap (A-02). Under READ COMMITTED
        the statements after the lock see what earlier holders committed."""
        await self.session.execute(_VERGRENDEL, {"wijkwerker_id": wijkwerker_id})

    async def stand(self, wijkwerker_id: uuid.UUID, dag: date) -> UrenStand:
        """Started hours that count in ``dag``'s calendar month and year (A-02)."""
        maand, jaar = (await self.session.execute(_STAND, self._stand_params(wijkwerker_id, dag))).one()
        return UrenStand(maand=maand, jaar=jaar)

    async def stand_tot(self, wijkwerker_id: uuid.UUID, op: date) -> UrenStand:
        """As of ``op`` (the counters): the :meth:`stand` of ``op``'s month and year, of the
        prestaties dated on or before ``op`` only."""
        params = {**self._stand_params(wijkwerker_id, op), "maand_einde": op, "jaar_einde": op}
        maand, jaar = (await self.session.execute(_STAND, params)).one()
        return UrenStand(maand=maand, jaar=jaar)

    async def stand_en_nummer(self, wijkwerker_id: uuid.UUID, dag: date) -> tuple[UrenStand, int]:
        """:meth:`stand` and :meth:`volgende_nummer` in one statement."""
        params = self._stand_params(wijkwerker_id, dag)
        maand, jaar, nummer = await _STAND_EN_NUMMER.een(self.session, params)
        return UrenStand(maand=maand, jaar=jaar), nummer

    @staticmethod
    def _stand_params(wijkwerker_id: uuid.UUID, dag: date) -> dict:
        return {
            "wijkwerker_id": wijkwerker_id,
            "maand_start": dag.replace(day=1),
            "maand_einde": dag.replace(day=calendar.monthrange(dag.year, dag.month)[1]),
            "jaar_start": date(dag.year, 1, 1),
            "jaar_einde": date(dag.year, 12, 31),
        }

    async def volgende_nummer(self) -> int:
        """The next prestatie number (wijkwerk.prestatiecode): from a sequence, never reused."""
        return await self.session.scalar(_VOLGENDE)

    async def get(self, prestatie_id: uuid.UUID, *, for_update: bool = False) -> Prestatie | None:
        query = _GET_FOR_UPDATE if for_update else _GET
        row = (await self.session.execute(query, {"id": prestatie_id})).one_or_none()
        return None if row is None else self._from_row(row)

    async def list(self, f: Filter, *, limit: int, offset: int) -> list[Prestatie]:
        query = select(prestaties).order_by(prestaties.c.datum, prestaties.c.start, prestaties.c.id)
        for kolom in ("wijkwerker_id", "gebruiker_id", "organisator_id"):
            if (waarde := getattr(f, kolom)) is not None:
                query = query.where(prestaties.c[kolom] == waarde)
        if f.van is not None:
            query = query.where(prestaties.c.datum >= f.van)
        if f.tot is not None:
            query = query.where(prestaties.c.datum <= f.tot)
        return [self._from_row(r) for r in await self.session.execute(query.limit(limit).offset(offset))]

    async def add(self, p: Prestatie) -> None:
        rij = {k: getattr(p, k) for k in _KOLOMMEN}
        historiek = self._historiek_rij(p, "geregistreerd", p.ingevoerd_door, None)
        await _NIEUW_RUW.voer_uit(self.session, {
            **rij, "ingevoerd_door": p.ingevoerd_door.value, "status": p.status.value, **self._bevestiging(p),
            **{f"h_{k}": v for k, v in historiek.items()},
        })

    async def save(self, p: Prestatie, *, actie: str, door: Partij, reden: str | None) -> None:
        await self.session.execute(
            update(prestaties)
            .where(prestaties.c.id == p.id)
            .values(
                start=p.start, minuten=p.minuten, begonnen_uren=p.begonnen_uren, ingevoerd_door=p.ingevoerd_door.value,
                status=p.status.value, version=p.version, **self._bevestiging(p),
            )
        )
        await self._historiek(p, actie, door, reden)

    async def herinnerd(self, p: Prestatie) -> None:
        """The reminder of the current window was recorded (no new version: nothing changed)."""
        await self.session.execute(
            update(prestaties).where(prestaties.c.id == p.id).values(herinnerd_tot=p.herinnerd_tot))

    async def met_termijn_voor(self, vandaag: date, limiet: int) -> builtins.list[Prestatie]:
        """Prestaties whose reminder or confirmation by silence may be due on ``vandaag``,
        locked, skipping those another run holds (the domain decides)."""
        query = (
            select(prestaties)
            .where(prestaties.c.herinnering_op <= vandaag, _herinnering_open | _stilte_open(vandaag))
            .order_by(prestaties.c.bevestigen_tot, prestaties.c.id)
            .limit(limiet)
            .with_for_update(skip_locked=True)
        )
        return [self._from_row(r) for r in await self.session.execute(query)]

    async def open_of_betwist(self, f: Filter, status: PrestatieStatus, *, limit: int, offset: int
                              ) -> builtins.list[Prestatie]:
        query = select(prestaties).where(prestaties.c.status == status.value)
        for kolom in ("wijkwerker_id", "gebruiker_id", "organisator_id"):
            if (waarde := getattr(f, kolom)) is not None:
                query = query.where(prestaties.c[kolom] == waarde)
        query = query.order_by(prestaties.c.bevestigen_tot.nulls_last(), prestaties.c.datum, prestaties.c.id)
        return [self._from_row(r) for r in await self.session.execute(query.limit(limit).offset(offset))]

    async def _historiek(self, p: Prestatie, actie: str, door: Partij, reden: str | None) -> None:
        # Every change is kept with who and why, beside the events (which leave with the outbox's retention).
        await self.session.execute(_NIEUW_IN_HISTORIEK, self._historiek_rij(p, actie, door, reden))

    @staticmethod
    def _historiek_rij(p: Prestatie, actie: str, door: Partij, reden: str | None) -> dict:
        return {
            "prestatie_id": p.id, "version": p.version, "actie": actie, "door": door.value,
            "status": p.status.value, "start": p.start, "minuten": p.minuten, "reden": reden,
        }

    async def historiek(self, prestatie_id: uuid.UUID) -> list[dict]:
        query = (
            select(prestatie_historiek)
            .where(prestatie_historiek.c.prestatie_id == prestatie_id)
            .order_by(prestatie_historiek.c.version)
        )
        return [r._asdict() for r in await self.session.execute(query)]
