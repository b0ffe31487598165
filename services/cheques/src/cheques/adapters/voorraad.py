"""The facts behind a cheque stock as of a date, read from the cheques, their orders and
the ledger (a validation and its storno are posted on their business dates)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.domain.voorraad import ChequeFeiten

# Validation n of a cheque is posted under cheque:<serial> (n = 1) or cheque:<serial>:<n>,
# its reversal under storno:<that key>: counting both up to :op gives the state on :op
# (exact keys, so the ledger's unique index answers).
_FEITEN = text(
    """
    SELECT b.organisator_id, b.gebruiker_id, b.drager, c.geldig_tot,
           coalesce(v.netto, 0) > 0 AS gevalideerd,
           c.status = 'terugbetaald' AND c.afgesloten_op <= :op AS terugbetaald,
           c.status = 'vervallen' AND c.afgesloten_op <= :op AS vervallen_gemeld
    FROM cheques c JOIN bestellingen b ON b.id = c.bestelling_id
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE t.sleutel = s.sleutel) - count(*) FILTER (WHERE t.sleutel <> s.sleutel) AS netto
        FROM (SELECT CASE WHEN n = 1 THEN 'cheque:' || c.serienummer ELSE 'cheque:' || c.serienummer || ':' || n END
                     AS sleutel
              FROM generate_series(1, c.terugdraaiingen + 1) AS n) s
        JOIN grootboek_transacties t ON t.sleutel IN (s.sleutel, 'storno:' || s.sleutel) AND t.boekdatum <= :op
    ) v ON true
    WHERE c.uitgegeven_op <= :op
      AND (CAST(:gebruiker_id AS uuid) IS NULL OR b.gebruiker_id = CAST(:gebruiker_id AS uuid))
      AND (CAST(:organisator_id AS uuid) IS NULL OR b.organisator_id = CAST(:organisator_id AS uuid))
    """
)

_BESTELD = text(
    """
    SELECT organisator_id, gebruiker_id, drager, sum(aantal) AS besteld FROM bestellingen
    WHERE besteld_op <= :op
      AND (CAST(:gebruiker_id AS uuid) IS NULL OR gebruiker_id = CAST(:gebruiker_id AS uuid))
      AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY 1, 2, 3
    """
)

Sleutel = tuple[uuid.UUID, uuid.UUID, str]  # organiser, gebruiker, carrier


class Voorraad:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def feiten(
        self, op: date, *, gebruiker_id: uuid.UUID | None = None, organisator_id: uuid.UUID | None = None
    ) -> tuple[dict[Sleutel, int], dict[Sleutel, list[ChequeFeiten]]]:
        params = {"op": op, "gebruiker_id": gebruiker_id, "organisator_id": organisator_id}
        besteld = {(r.organisator_id, r.gebruiker_id, r.drager): int(r.besteld)
                   for r in await self.session.execute(_BESTELD, params)}
        per: dict[Sleutel, list[ChequeFeiten]] = defaultdict(list)
        for r in await self.session.execute(_FEITEN, params):
            per[(r.organisator_id, r.gebruiker_id, r.drager)].append(
                ChequeFeiten(r.geldig_tot, r.gevalideerd, bool(r.terugbetaald), bool(r.vervallen_gemeld)))
        return besteld, per

    async def bekend(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID | None = None) -> bool:
        """Whether the gebruiker is known here (at the organiser): an erkenning from prestaties'
        events or an order from the issuer."""
        params = {"gebruiker_id": gebruiker_id, "organisator_id": organisator_id}
        return bool(await self.session.scalar(_BEKEND, params))


_BEKEND = text(
    """
    SELECT EXISTS (SELECT 1 FROM erkenningen_ref WHERE gebruiker_id = :gebruiker_id
                     AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid)))
        OR EXISTS (SELECT 1 FROM bestellingen WHERE gebruiker_id = :gebruiker_id
                     AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid)))
    """
)
