"""The wijk-werker dossiers' repository."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import case, func, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.tables import trajecten, wijkwerkers
from toeleiding.domain.wijkwerker import DossierStatus, Uitkeringsstatus, Wijkwerker


def status_op(dag: date):
    """A-09 as of ``dag`` with only facts dated by then, as evaluatie's RPT-01 counts it:
    the latest trajectory started by ``dag`` or whose referral was received by ``dag`` (a
    re-referral waiting to start makes the dossier voorlopig again); voorlopig without one,
    before its start or before its agreement; afgesloten after its actual (else planned)
    end; actief in between."""
    laatste = (
        select(trajecten.c.start, trajecten.c.overeenkomst_op,
               func.coalesce(trajecten.c.werkelijk_einde, trajecten.c.gepland_einde).label("einde"))
        .where(trajecten.c.wijkwerker_id == wijkwerkers.c.id,
               (trajecten.c.start <= dag) | (trajecten.c.ontvangen_op <= dag))
        .order_by(trajecten.c.start.desc())
        .limit(1)
        .lateral("laatste")
    )
    status = case(
        (laatste.c.start.is_(None) | (laatste.c.start > dag), DossierStatus.VOORLOPIG.value),
        (laatste.c.einde < dag, DossierStatus.AFGESLOTEN.value),
        (laatste.c.overeenkomst_op <= dag, DossierStatus.ACTIEF.value),
        else_=DossierStatus.VOORLOPIG.value,
    )
    return laatste, status


class WijkwerkerRepository:
    """Dossiers; their status is derived as of a date (default today) on every read."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _select(op: date | None, status: DossierStatus | None = None):
        laatste, afgeleid = status_op(op or date.today())
        query = select(wijkwerkers, afgeleid.label("status")).select_from(wijkwerkers.outerjoin(laatste, true()))
        return query if status is None else query.where(afgeleid == status.value)

    @staticmethod
    def _from_row(row) -> Wijkwerker:
        return Wijkwerker(
            id=row.id,
            insz=row.insz,
            voornaam=row.voornaam,
            achternaam=row.achternaam,
            domicilie_nis_code=row.domicilie_nis_code,
            organisator_id=row.organisator_id,
            uitkeringsstatus=Uitkeringsstatus(row.uitkeringsstatus),
            vdab_ingeschreven=row.vdab_ingeschreven,
            ex_pwa=row.ex_pwa,
            onbeperkt_recht=row.onbeperkt_recht,
            iban=row.iban,
            ingeschreven_op=row.ingeschreven_op,
            status=DossierStatus(row.status),
            version=row.version,
            adres_straat=row.adres_straat,
            adres_huisnummer=row.adres_huisnummer,
            adres_postcode=row.adres_postcode,
        )

    async def get(
        self, wijkwerker_id: uuid.UUID, *, for_update: bool = False, op: date | None = None
    ) -> Wijkwerker | None:
        query = self._select(op).where(wijkwerkers.c.id == wijkwerker_id)
        if for_update:
            query = query.with_for_update(of=wijkwerkers)
        row = (await self.session.execute(query)).one_or_none()
        return None if row is None else self._from_row(row)

    async def insz_bestaat(self, insz: str) -> bool:
        return await self.met_insz(insz) is not None

    async def met_insz(self, insz: str) -> Wijkwerker | None:
        row = (await self.session.execute(self._select(None).where(wijkwerkers.c.insz == insz))).one_or_none()
        return None if row is None else self._from_row(row)

    async def list(
        self, *, organisator_id: uuid.UUID | None, status: DossierStatus | None, limit: int, offset: int,
        op: date | None = None,
    ) -> list[Wijkwerker]:
        """Filtered in the query (the status as of ``op`` too), so pages are full."""
        query = self._select(op, status).order_by(wijkwerkers.c.ingeschreven_op, wijkwerkers.c.id)
        if organisator_id is not None:
            query = query.where(wijkwerkers.c.organisator_id == organisator_id)
        rows = await self.session.execute(query.limit(limit).offset(offset))
        return [self._from_row(r) for r in rows]

    async def add(self, w: Wijkwerker) -> None:
        await self.session.execute(
            insert(wijkwerkers).values(
                id=w.id,
                insz=w.insz,
                voornaam=w.voornaam,
                achternaam=w.achternaam,
                domicilie_nis_code=w.domicilie_nis_code,
                organisator_id=w.organisator_id,
                uitkeringsstatus=w.uitkeringsstatus.value,
                vdab_ingeschreven=w.vdab_ingeschreven,
                ex_pwa=w.ex_pwa,
                onbeperkt_recht=w.onbeperkt_recht,
                iban=w.iban,
                ingeschreven_op=w.ingeschreven_op,
                version=w.version,
                adres_straat=w.adres_straat,
                adres_huisnummer=w.adres_huisnummer,
                adres_postcode=w.adres_postcode,
            )
        )

    async def zet_uitkeringsstatus(self, wijkwerker_id: uuid.UUID, status: str) -> None:
        await self.session.execute(
            update(wijkwerkers).where(wijkwerkers.c.id == wijkwerker_id).values(uitkeringsstatus=status)
        )

    async def zet_gegevens(self, wijkwerker_id: uuid.UUID, waarden: dict) -> None:
        """The dossier's current personal data (the history is in ``dossierwijzigingen``)."""
        await self.session.execute(
            update(wijkwerkers)
            .where(wijkwerkers.c.id == wijkwerker_id)
            .values(**waarden, version=wijkwerkers.c.version + 1)
        )
