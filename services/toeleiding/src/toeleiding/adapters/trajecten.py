"""Repository of trajectories (with their referral data and suspensions)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.tables import schorsingen, trajecten, uitkeringsstatussen
from toeleiding.domain.traject import EindeBron, EindeReden, Schorsing, ToeleiderType, Traject

_KOLOMMEN = (
    "id", "wijkwerker_id", "organisator_id", "toeleiding_id", "advies_maanden", "start",
    "gepland_einde", "max_einde", "overeenkomst_op", "werkelijk_einde", "vervolg", "version",
)


class TrajectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _schorsingen(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Schorsing]]:
        result: dict[uuid.UUID, list[Schorsing]] = {i: [] for i in ids}
        if ids:
            rows = await self.session.execute(
                select(schorsingen).where(schorsingen.c.traject_id.in_(ids)).order_by(schorsingen.c.van)
            )
            for r in rows:
                result[r.traject_id].append(Schorsing(r.van, r.tot, r.reden, r.verlengt_einde))
        return result

    async def _load(self, rows) -> list[Traject]:
        rows = list(rows)
        per_traject = await self._schorsingen([r.id for r in rows])
        return [
            Traject(
                **{k: getattr(r, k) for k in _KOLOMMEN},
                toeleider_type=ToeleiderType(r.toeleider_type),
                einde_reden=EindeReden(r.einde_reden) if r.einde_reden else None,
                einde_bron=EindeBron(r.einde_bron) if r.einde_bron else None,
                schorsingen=per_traject[r.id],
            )
            for r in rows
        ]

    async def get(self, traject_id: uuid.UUID, *, for_update: bool = False) -> Traject | None:
        query = select(trajecten).where(trajecten.c.id == traject_id)
        if for_update:
            query = query.with_for_update()
        found = await self._load(await self.session.execute(query))
        return found[0] if found else None

    async def van_wijkwerker(self, wijkwerker_id: uuid.UUID) -> list[Traject]:
        rows = await self.session.execute(
            select(trajecten).where(trajecten.c.wijkwerker_id == wijkwerker_id).order_by(trajecten.c.start)
        )
        return await self._load(rows)

    async def toeleider_van(self, traject_id: uuid.UUID) -> str | None:
        return await self.session.scalar(select(trajecten.c.toeleider_org).where(trajecten.c.id == traject_id))

    async def van_toeleider(
        self, toeleider_org: str | None, *, organisator_id: str | None = None, limit: int, offset: int
    ) -> list[Traject]:
        """Referrals in order of receipt, limited in the query (never after paging) to one
        referrer's and/or one organiser's."""
        query = select(trajecten).order_by(trajecten.c.ontvangen_op, trajecten.c.id).limit(limit).offset(offset)
        if toeleider_org is not None:
            query = query.where(trajecten.c.toeleider_org == toeleider_org)
        if organisator_id is not None:
            query = query.where(trajecten.c.organisator_id == uuid.UUID(organisator_id))
        return await self._load(await self.session.execute(query))

    async def open_tot(self, dag: date, limit: int) -> list[Traject]:
        """Open trajectories whose planned end lies before ``dag`` (to be closed)."""
        rows = await self.session.execute(
            select(trajecten)
            .where(trajecten.c.werkelijk_einde.is_(None), trajecten.c.gepland_einde < dag)
            .order_by(trajecten.c.gepland_einde)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._load(rows)

    async def add(self, t: Traject, *, ontvangen_op: date, toeleider_org: str | None, hertoeleiding: bool) -> None:
        await self.session.execute(
            insert(trajecten).values(
                **{k: getattr(t, k) for k in _KOLOMMEN},
                toeleider_type=t.toeleider_type.value,
                toeleider_org=toeleider_org,
                ontvangen_op=ontvangen_op,
                hertoeleiding=hertoeleiding,
                einde_reden=None,
            )
        )

    async def save(self, t: Traject) -> None:
        await self.session.execute(
            update(trajecten)
            .where(trajecten.c.id == t.id)
            .values(
                gepland_einde=t.gepland_einde,
                max_einde=t.max_einde,
                overeenkomst_op=t.overeenkomst_op,
                werkelijk_einde=t.werkelijk_einde,
                einde_reden=t.einde_reden.value if t.einde_reden else None,
                einde_bron=t.einde_bron.value if t.einde_bron else None,
                vervolg=t.vervolg,
                version=t.version,
            )
        )
        if t.schorsingen:
            await self.session.execute(
                pg_insert(schorsingen)
                .values(
                    [
                        {"traject_id": t.id, "van": s.van, "tot": s.tot, "reden": s.reden, "verlengt_einde": s.verlengt_einde}
                        for s in t.schorsingen
                    ]
                )
                .on_conflict_do_nothing()
            )

    async def registreer_uitkeringsstatus(self, wijkwerker_id: uuid.UUID, status: str, vanaf: date) -> None:
        stmt = pg_insert(uitkeringsstatussen).values(wijkwerker_id=wijkwerker_id, vanaf=vanaf, uitkeringsstatus=status)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[uitkeringsstatussen.c.wijkwerker_id, uitkeringsstatussen.c.vanaf],
                set_={"uitkeringsstatus": stmt.excluded.uitkeringsstatus},
            )
        )
