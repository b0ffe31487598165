"""What a recompute from a close reads besides the prestaties history (ADR 0014): the
cheques archive restricted to what is booked after the close, and the fold's state that
crosses the close, from the closed months' ledger rows (which the hash chain covers).

Every read runs in the recompute's own transaction, at the ledger's snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The payload's booking month per event type the fold books (a payout from before the
# close existed has none: its period); a close by its month. Other types change nothing.
_BOEKMAAND = """
    CASE g.event_type
        WHEN 'PeriodeAfgesloten' THEN (p.payload->>'maand')::date
        WHEN 'UitbetalingUitgevoerd' THEN coalesce((p.payload->>'boekmaand')::date,
                                                   ((p.payload->>'periode') || '-01')::date)
        WHEN 'ChequeGevalideerd' THEN (p.payload->>'boekmaand')::date
        WHEN 'ChequeValidatieTeruggedraaid' THEN (p.payload->>'boekmaand')::date
        WHEN 'InschrijvingsrechtGeboekt' THEN (p.payload->>'boekmaand')::date
        WHEN 'UitbetalingTeruggeboekt' THEN (p.payload->>'boekmaand')::date
        WHEN 'ChequeVervallen' THEN (p.payload->>'boekmaand')::date
        WHEN 'ChequeVervallingHerroepen' THEN (p.payload->>'boekmaand')::date
        WHEN 'ChequeTerugbetaald' THEN (p.payload->>'boekmaand')::date
    END
"""
_TYPES = ("PeriodeAfgesloten", "UitbetalingUitgevoerd", "ChequeGevalideerd", "ChequeValidatieTeruggedraaid",
          "InschrijvingsrechtGeboekt", "UitbetalingTeruggeboekt", "ChequeVervallen", "ChequeVervallingHerroepen",
          "ChequeTerugbetaald")
_GEBOEKT = f"""
    SELECT g.txid, g.id, g.event_id, g.event_type, g.value, p.payload->>'wijkwerker_id' AS wijkwerker,
           {_BOEKMAAND} AS boekmaand
    FROM gebeurtenissen g, LATERAL (SELECT convert_from(g.value, 'UTF8')::jsonb -> 'payload' AS payload) p
    WHERE g.event_type IN ({", ".join(f"'{t}'" for t in _TYPES)})
      AND (g.txid, g.id) >= (CAST(CAST(:txid AS text) AS xid8), :id)
"""

# The archive position of a close's event, when the archive still holds it (the window on
# the partition key spares the other months' partitions: there is no index on event_id).
_POSITIE = text("""
    SELECT txid::text, id, vastgelegd_op FROM gebeurtenissen WHERE event_id = :event_id
      AND vastgelegd_op BETWEEN CAST(:om AS timestamptz) - interval '1 day' AND CAST(:om AS timestamptz) + interval '1 day'
""")

# Events booked after the close, in the archive's order (the relay's (txid, id)).
_NA = text(f"SELECT value FROM ({_GEBOEKT}) x WHERE boekmaand > :maand ORDER BY txid, id")

# A fact booked after month M, committed before M's close, followed (still before the
# close) by a fact of the same worker booked in M or before: the closing balances hold
# the later fact, the full replay folded the earlier one without it.
_GEKRUIST = text(f"""
    WITH r AS ({_GEBOEKT} AND (g.txid, g.id) < (CAST(CAST(:tot_txid AS text) AS xid8), :tot_id))
    SELECT a.event_type || ' ' || a.event_id AS wat FROM r a
    WHERE a.boekmaand > :maand AND a.event_type <> 'PeriodeAfgesloten'
      AND EXISTS (SELECT 1 FROM r x WHERE x.wijkwerker = a.wijkwerker AND x.boekmaand <= :maand
                  AND (x.txid, x.id) > (a.txid, a.id))
    ORDER BY a.txid, a.id LIMIT 5
""")

# Ledger transactions booked after month M whose transaction started before the previous
# close's (both ``now()``: the start of the transaction, on the database's clock): the
# restricted read, which starts at that close's row, could miss them. A booking that
# starts after the close's transaction queues behind the close's exclusive lock.
_VROEG = text("""
    SELECT sleutel FROM grootboek_transacties
    WHERE boekmaand > :maand AND geboekt_op < CAST(:voor AS timestamptz)
    ORDER BY geboekt_op LIMIT 5
""")

_IN_GESLOTEN = "FROM grootboek_boekingen b JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE t.boekmaand <= :maand"
_NIET_GESTORNEERD = ("NOT EXISTS (SELECT 1 FROM grootboek_transacties s "
                     "WHERE s.sleutel = 'storno:' || t.sleutel AND s.boekmaand <= :maand)")

_VERDIEND = text(f"""
    SELECT substr(b.rekening, 12) AS w, t.boekmaand, sum(b.credit_cent - b.debet_cent) AS bedrag
    {_IN_GESLOTEN} AND b.rekening LIKE 'wijkwerker:%' AND t.soort <> 'uitbetaling' GROUP BY 1, 2
""")
_BETAALD = text(f"""
    SELECT substr(b.rekening, 12) AS w, sum(b.debet_cent) AS bedrag
    {_IN_GESLOTEN} AND b.rekening LIKE 'wijkwerker:%' AND t.soort = 'uitbetaling' GROUP BY 1
""")
_UITBETAALD = text(f"""
    SELECT split_part(t.sleutel, ':', 2) AS periode, substr(b.rekening, 12) AS w, b.debet_cent AS bedrag
    {_IN_GESLOTEN} AND t.soort = 'uitbetaling' AND b.rekening LIKE 'wijkwerker:%' AND {_NIET_GESTORNEERD}
""")
_ACTIEF = text(f"""
    SELECT split_part(t.sleutel, ':', 2) AS serienummer, substr(b.rekening, 12) AS w
    {_IN_GESLOTEN} AND t.soort = 'cheque' AND b.rekening LIKE 'wijkwerker:%'
      AND split_part(t.sleutel, ':', 2) = ANY(:serienummers) AND {_NIET_GESTORNEERD}
""")
_REIS = text(f"""
    SELECT split_part(t.sleutel, ':', 2) AS koppeling, split_part(t.sleutel, ':', 3) AS dag, b.debet_cent AS bedrag
    {_IN_GESLOTEN} AND t.soort = 'verplaatsingsvergoeding' AND b.rekening = 'reisfonds'
      AND split_part(t.sleutel, ':', 2) || ' ' || split_part(t.sleutel, ':', 3) = ANY(:dagen) AND {_NIET_GESTORNEERD}
""")
# Cheques still validated at the close on one of the days, by the prestatie they are
# validated on now (a cheque reversed after the close is left out: its storno names its day).
_DAG_CHEQUES = text(f"""
    SELECT p.koppeling_id::text AS koppeling, p.datum::text AS dag, count(*) AS n
    FROM prestaties_ref p JOIN cheques c ON c.prestatie_id = p.id
    WHERE p.koppeling_id::text || ' ' || p.datum::text = ANY(:dagen) AND NOT c.serienummer = ANY(:gestorneerd)
      AND EXISTS (SELECT 1 FROM grootboek_transacties t WHERE t.soort = 'cheque' AND t.boekmaand <= :maand
                  AND split_part(t.sleutel, ':', 2) = c.serienummer AND {_NIET_GESTORNEERD})
    GROUP BY 1, 2
""")
_INSCHRIJVINGEN = text(f"""
    SELECT t.sleutel, t.boekdatum, b.rekening, b.credit_cent {_IN_GESLOTEN}
      AND t.soort = 'inschrijvingsrecht' AND b.rekening LIKE 'organisator:%'
""")
_AFSLUITINGEN = text("SELECT maand, hash FROM periode_afsluitingen WHERE maand <= :maand")


@dataclass
class Overdracht:
    """The fold's state at the close (see :meth:`Herberekening.neem_over`)."""

    maand: date
    verdiend: dict[str, dict[date, int]] = field(default_factory=dict)
    betaald: dict[str, int] = field(default_factory=dict)
    uitbetaald: dict[tuple[str, str], int] = field(default_factory=dict)
    actief: set[tuple[str, str]] = field(default_factory=set)
    reis: dict[tuple[str, str], int] = field(default_factory=dict)
    dag_cheques: dict[tuple[str, str], int] = field(default_factory=dict)
    inschrijvingen: list[tuple[str, date, str, int]] = field(default_factory=list)  # key, date, organiser, cents
    afgesloten: dict[date, str] = field(default_factory=dict)


class OverdrachtRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def positie(self, event_id: object, om: datetime) -> tuple[str, int, datetime] | None:
        """(txid, id, the transaction's start) of a close's archive row."""
        rij = (await self.session.execute(_POSITIE, {"event_id": event_id, "om": om})).first()
        return (rij[0], int(rij[1]), rij[2]) if rij else None

    async def geboekt_na(self, maand: date, vanaf: tuple[str, int, datetime | None]) -> list[bytes]:
        """The cheques events booked after ``maand``, from archive position ``vanaf`` on."""
        rijen = await self.session.execute(_NA, {"maand": maand, "txid": vanaf[0], "id": vanaf[1]})
        return [bytes(v) for (v,) in rijen]

    async def gekruist(
        self, maand: date, vanaf: tuple[str, int, datetime | None], tot: tuple[str, int, datetime]
    ) -> list[str]:
        rijen = await self.session.execute(
            _GEKRUIST, {"maand": maand, "txid": vanaf[0], "id": vanaf[1], "tot_txid": tot[0], "tot_id": tot[1]})
        return [r.wat for r in rijen]

    async def vroeg_geboekt(self, maand: date, voor: datetime) -> list[str]:
        return list((await self.session.scalars(_VROEG, {"maand": maand, "voor": voor})).all())

    async def archief_volledig(self) -> bool:
        return bool(await self.session.scalar(text("SELECT volledig FROM archief_begin")))

    async def lees(
        self, maand: date, serienummers: Iterable[str], dagen: Iterable[tuple[str, str]],
        gestorneerd: dict[str, tuple[str, str]],
    ) -> Overdracht:
        """The carried state at the end of ``maand``, for the cheques and days the events
        after it name (``gestorneerd``: serial → the day of its first storno after it)."""
        o = Overdracht(maand)
        p = {"maand": maand}
        verdiend: dict[str, dict[date, int]] = defaultdict(dict)
        for w, m, bedrag in await self.session.execute(_VERDIEND, p):
            verdiend[w][m] = int(bedrag)
        o.verdiend = dict(verdiend)
        o.betaald = {w: int(b) for w, b in await self.session.execute(_BETAALD, p)}
        o.uitbetaald = {(w, periode): int(b) for periode, w, b in await self.session.execute(_UITBETAALD, p)}
        o.actief = {(s, w) for s, w in await self.session.execute(_ACTIEF, {**p, "serienummers": list(serienummers)})}
        sleutels = [f"{k} {d}" for k, d in dagen]
        o.reis = {(k, d): int(b) for k, d, b in await self.session.execute(_REIS, {**p, "dagen": sleutels})}
        tellingen: dict[tuple[str, str], int] = defaultdict(int)
        for k, d, n in await self.session.execute(
                _DAG_CHEQUES, {**p, "dagen": sleutels, "gestorneerd": list(gestorneerd)}):
            tellingen[(k, d)] += int(n)
        for serienummer, _w in o.actief:
            if serienummer in gestorneerd:
                tellingen[gestorneerd[serienummer]] += 1
        o.dag_cheques = dict(tellingen)
        o.inschrijvingen = [(s, d, r[len("organisator:"):], int(c))
                            for s, d, r, c in await self.session.execute(_INSCHRIJVINGEN, p)]
        o.afgesloten = {m: h for m, h in await self.session.execute(_AFSLUITINGEN, p)}
        return o
