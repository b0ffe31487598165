"""Reads behind the payout slip and the yearly statement (cheques.domain.documenten): the
worker's postings of one month and the gebruiker's orders and cheque use of one year,
straight from the ledger, the cheques and their orders."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.domain.documenten import CHEQUE, REIS, Bestellijn, Maandgebruik, Sliplijn, ontleed_sleutel

# The worker's account in the month, without the payouts and their bank returns: what was
# earned (cheques, travel allowances) and reversed (their stornos).
_POSTINGEN = text(
    """
    SELECT t.sleutel, t.boekdatum, b.credit_cent - b.debet_cent AS bedrag, t.omschrijving
    FROM grootboek_boekingen b JOIN grootboek_transacties t ON t.id = b.transactie_id
    WHERE b.rekening = :rekening AND t.boekdatum BETWEEN :van AND :tot
      AND t.soort <> 'uitbetaling' AND t.sleutel NOT LIKE 'storno:uitbetaling:%'
    ORDER BY t.boekdatum, t.id
    """
)
# A cheque pays the gebruiker and organiser it was bought for; the prestatie's date
# only when that prestatie is this worker's (a reversed cheque may pay another one later).
_CHEQUES = text(
    """
    SELECT c.serienummer, b.gebruiker_id, b.organisator_id,
           CASE WHEN p.wijkwerker_id = :wijkwerker_id THEN p.datum END AS prestatie_datum
    FROM cheques c JOIN bestellingen b ON b.id = c.bestelling_id
    LEFT JOIN prestaties_ref p ON p.id = c.prestatie_id
    WHERE c.serienummer = ANY(:serienummers)
    """
)
_KOPPELINGEN = text(
    """
    SELECT DISTINCT ON (koppeling_id) koppeling_id, gebruiker_id, organisator_id FROM prestaties_ref
    WHERE koppeling_id = ANY(:koppelingen) ORDER BY koppeling_id
    """
)
_WERKT_BIJ = text(
    """
    SELECT EXISTS (SELECT 1 FROM prestaties_ref WHERE wijkwerker_id = :wijkwerker_id
                   AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid)))
    """
)
_UITBETALING = text("SELECT bedrag_cent, status FROM uitbetalingen WHERE periode = :periode AND wijkwerker_id = :w")

_FILTER = "AND (CAST(:organisator_id AS uuid) IS NULL OR b.organisator_id = CAST(:organisator_id AS uuid))"
_BESTELLINGEN = text(
    f"""
    SELECT b.besteld_op, b.organisator_id, coalesce(o.naam, CAST(b.organisator_id AS text)) AS organisator,
           b.drager, b.aantal, b.prijs_cent
    FROM bestellingen b LEFT JOIN organisatoren_ref o ON o.id = b.organisator_id
    WHERE b.gebruiker_id = :gebruiker_id AND b.besteld_op BETWEEN :van AND :tot {_FILTER}
    ORDER BY b.besteld_op, b.id
    """
)
# Validation n of a cheque is posted as cheque:<serial>[:n], its reversal as storno:<key>;
# the value is the price the posting took out of chequegelden.
_GEBRUIK = text(
    f"""
    SELECT CAST(extract(month FROM t.boekdatum) AS int) AS maand, t.soort = 'storno' AS storno,
           count(*) AS aantal, sum(g.debet_cent + g.credit_cent) AS cent
    FROM grootboek_transacties t
    JOIN grootboek_boekingen g ON g.transactie_id = t.id AND g.rekening = 'chequegelden'
    JOIN cheques c ON c.serienummer = split_part(regexp_replace(t.sleutel, '^storno:', ''), ':', 2)
    JOIN bestellingen b ON b.id = c.bestelling_id
    WHERE (t.sleutel LIKE 'cheque:%' OR t.sleutel LIKE 'storno:cheque:%')
      AND t.boekdatum BETWEEN :van AND :tot AND b.gebruiker_id = :gebruiker_id {_FILTER}
    GROUP BY 1, 2
    """
)
_AFGESLOTEN = text(
    f"""
    SELECT CAST(extract(month FROM c.afgesloten_op) AS int) AS maand, c.status, count(*) AS aantal
    FROM cheques c JOIN bestellingen b ON b.id = c.bestelling_id
    WHERE c.status IN ('terugbetaald', 'vervallen') AND c.afgesloten_op BETWEEN :van AND :tot
      AND b.gebruiker_id = :gebruiker_id {_FILTER}
    GROUP BY 1, 2
    """
)
_HEEFT_BESTELD = text(f"SELECT EXISTS (SELECT 1 FROM bestellingen b WHERE b.gebruiker_id = :gebruiker_id {_FILTER})")


class Documenten:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def werkt_bij(self, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID | None) -> bool:
        """Whether the worker has a prestatie here (at ``organisator_id``, when given)."""
        return bool(await self.session.scalar(
            _WERKT_BIJ, {"wijkwerker_id": wijkwerker_id, "organisator_id": organisator_id}))

    async def sliplijnen(self, wijkwerker_id: uuid.UUID, van: date, tot: date) -> list[Sliplijn]:
        rijen = (await self.session.execute(
            _POSTINGEN, {"rekening": f"wijkwerker:{wijkwerker_id}", "van": van, "tot": tot})).all()
        ontleed = [(r, *ontleed_sleutel(r.sleutel)) for r in rijen]
        serienummers = sorted({onderwerp for _, soort, _, onderwerp in ontleed if soort == CHEQUE})
        koppelingen = sorted({uuid.UUID(onderwerp.split(":")[0])
                              for _, soort, _, onderwerp in ontleed if soort == REIS})
        cheques = {r.serienummer: r for r in await self.session.execute(
            _CHEQUES, {"serienummers": serienummers, "wijkwerker_id": wijkwerker_id})} if serienummers else {}
        plaatsen = {r.koppeling_id: r for r in await self.session.execute(
            _KOPPELINGEN, {"koppelingen": koppelingen})} if koppelingen else {}
        lijnen = []
        for r, soort, storno, onderwerp in ontleed:
            gebruiker = organisator = datum = None
            if soort == CHEQUE and (c := cheques.get(onderwerp)) is not None:
                gebruiker, organisator, datum = c.gebruiker_id, c.organisator_id, c.prestatie_datum
            elif soort == REIS:
                koppeling, dag = onderwerp.split(":")
                datum = date.fromisoformat(dag)
                if (k := plaatsen.get(uuid.UUID(koppeling))) is not None:
                    gebruiker, organisator = k.gebruiker_id, k.organisator_id
            lijnen.append(Sliplijn(soort=soort, geboekt_op=r.boekdatum, bedrag_cent=int(r.bedrag),
                                   omschrijving=r.omschrijving, prestatie_datum=datum, gebruiker_id=gebruiker,
                                   organisator_id=organisator, storno=storno))
        return lijnen

    async def uitbetaling(self, periode: str, wijkwerker_id: uuid.UUID) -> tuple[int, str] | None:
        rij = (await self.session.execute(_UITBETALING, {"periode": periode, "w": wijkwerker_id})).first()
        return None if rij is None else (int(rij.bedrag_cent), rij.status)

    async def heeft_besteld(self, gebruiker_id: uuid.UUID, organisator_id: uuid.UUID | None) -> bool:
        return bool(await self.session.scalar(
            _HEEFT_BESTELD, {"gebruiker_id": gebruiker_id, "organisator_id": organisator_id}))

    async def jaar(self, gebruiker_id: uuid.UUID, jaar: int, organisator_id: uuid.UUID | None
                   ) -> tuple[list[Bestellijn], list[Maandgebruik]]:
        params = {"gebruiker_id": gebruiker_id, "organisator_id": organisator_id,
                  "van": date(jaar, 1, 1), "tot": date(jaar, 12, 31)}
        bestellingen = [Bestellijn(r.besteld_op, r.organisator_id, r.organisator, r.drager, int(r.aantal),
                                   int(r.prijs_cent)) for r in await self.session.execute(_BESTELLINGEN, params)]
        per: dict[int, dict[str, int]] = defaultdict(dict)
        for r in await self.session.execute(_GEBRUIK, params):
            soort = "teruggedraaid" if r.storno else "gebruikt"
            per[r.maand][soort] = int(r.aantal)
            per[r.maand][f"{soort}_cent"] = int(r.cent)
        for r in await self.session.execute(_AFGESLOTEN, params):
            per[r.maand][str(r.status)] = int(r.aantal)
        return bestellingen, [Maandgebruik(maand, **velden) for maand, velden in sorted(per.items())]
