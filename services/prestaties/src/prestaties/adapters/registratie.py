"""What registering a prestatie reads, in one round trip instead of six.

Registering is the API's hot path (200 requests/s on 2 cores, bench figure 3), and with
SQLAlchemy on asyncpg a statement costs the service ≈ 0.25 ms of CPU however little it
returns. So the placement, its gebruiker, the activity (matrix row and deviations), the
gebruiker's erkenning with this organiser (validity periods) and the worker's trajectory
windows (suspensions) come back as one row, and the worker's lock is taken in the same
statement. The repositories' row mappers read it, so there is one mapping per aggregate.

The hours already registered (the stand) are *not* read here: under READ COMMITTED a
statement sees the database as it was when it started, before it waited for the lock, and
the stand must include what the previous holder committed. :meth:`PrestatieRepository.stand`
reads it in the next statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.catalogus import AFWIJKINGEN, TOELATINGEN, ActiviteitRepository, KoppelingRepository
from prestaties.adapters.gebruikers import PERIODEN, ErkenningRepository, GebruikerRepository
from prestaties.adapters.prestaties import wijkwerker_slot
from prestaties.adapters.tables import (
    activiteiten,
    als_lijsten,
    erkenningen,
    gebruikers,
    koppelingen,
    schorsingen_ref,
    trajecten_ref,
    uit_lijsten,
)
from prestaties.domain.activiteit import Activiteit
from prestaties.domain.gebruiker import Erkenning, Gebruiker
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.traject import Schorsing, TrajectVenster
from wijkwerk.db.ruw import RuwStatement


@dataclass(frozen=True)
class Gelezen:
    koppeling: Koppeling
    gebruiker: Gebruiker
    activiteit: Activiteit
    erkenning: Erkenning | None
    vensters: list[TrajectVenster]


def _met_voorvoegsel(tabel, voorvoegsel: str):
    return [c.label(voorvoegsel + c.name) for c in tabel.c]


# The worker's trajectories, and the suspensions of all of them tagged with their trajectory.
_VENSTERS = als_lijsten(
    trajecten_ref, trajecten_ref.c.wijkwerker_id, koppelingen.c.wijkwerker_id, "venster", trajecten_ref.c.start,
    trajecten_ref.c.id,
)
_SCHORSINGEN = (
    select(*(
        func.array_agg(aggregate_order_by(c, schorsingen_ref.c.traject_id, schorsingen_ref.c.van)).label(f"schorsing_{c.name}")
        for c in schorsingen_ref.c
    ))
    .select_from(schorsingen_ref.join(trajecten_ref, trajecten_ref.c.id == schorsingen_ref.c.traject_id))
    .where(trajecten_ref.c.wijkwerker_id == koppelingen.c.wijkwerker_id)
    .lateral("schorsing")
)
_SLOT = wijkwerker_slot(koppelingen.c.wijkwerker_id).label("slot")

_LEES = (
    select(
        koppelingen, *_met_voorvoegsel(gebruikers, "g_"), *_met_voorvoegsel(activiteiten, "a_"),
        *_met_voorvoegsel(erkenningen, "e_"), *TOELATINGEN.c, *AFWIJKINGEN.c, *PERIODEN.c, *_VENSTERS.c,
        *_SCHORSINGEN.c, _SLOT,
    )
    .select_from(
        koppelingen.join(gebruikers, gebruikers.c.id == koppelingen.c.gebruiker_id)
        .join(activiteiten, activiteiten.c.id == koppelingen.c.activiteit_id)
        .outerjoin(erkenningen, and_(
            erkenningen.c.gebruiker_id == koppelingen.c.gebruiker_id,
            erkenningen.c.organisator_id == koppelingen.c.organisator_id,
        ))
        .join(TOELATINGEN, true()).join(AFWIJKINGEN, true()).join(PERIODEN, true())
        .join(_VENSTERS, true()).join(_SCHORSINGEN, true())
    )
    .where(koppelingen.c.id == bindparam("id"))
)


_LEES_RUW = RuwStatement(_LEES)  # raw asyncpg: the widest statement of the hot path (wijkwerk.db.ruw)


class RegistratieLezer:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lees_en_vergrendel(self, koppeling_id: uuid.UUID) -> Gelezen | None:
        """The placement and what the rules need about it, the worker's lock taken (held
        until the transaction ends); None for an unknown placement (no lock then)."""
        r = await _LEES_RUW.een(self.session, {"id": koppeling_id})
        if r is None:
            return None
        schorsingen: dict[uuid.UUID, list[Schorsing]] = {}
        for traject_id, van, tot in uit_lijsten(r, "schorsing", "traject_id", "van", "tot"):
            schorsingen.setdefault(traject_id, []).append(Schorsing(van, tot))
        return Gelezen(
            koppeling=KoppelingRepository._from_row(r),
            gebruiker=GebruikerRepository._from_row(r, "g_"),
            activiteit=ActiviteitRepository._from_row(r, "a_"),
            erkenning=None if r.e_id is None else ErkenningRepository._from_row(r, "e_"),
            vensters=[
                TrajectVenster(
                    traject_id=t, wijkwerker_id=r.wijkwerker_id, organisator_id=organisator_id, start=start,
                    gepland_einde=gepland_einde, overeenkomst_op=overeenkomst_op, werkelijk_einde=werkelijk_einde,
                    schorsingen=schorsingen.get(t, []),
                )
                for t, organisator_id, start, gepland_einde, overeenkomst_op, werkelijk_einde in uit_lijsten(
                    r, "venster", "id", "organisator_id", "start", "gepland_einde", "overeenkomst_op", "werkelijk_einde"
                )
            ],
        )
