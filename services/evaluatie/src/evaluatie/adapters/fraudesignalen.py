"""Fraud and error flags (issue #23 item 4) for the ops dashboard: the review queue (open
flags, oldest first) and, per month, what was flagged, held at the month's end, released
and rejected, in euro — the flags' own dates only (the flag's, the decision's)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, DATE
from sqlalchemy.ext.asyncio import AsyncSession

_PER_MAAND = text("""
    SELECT e.einde,
           coalesce(sum(s.bedrag_cent) FILTER (WHERE date_trunc('month', s.datum) = date_trunc('month', e.einde)), 0),
           coalesce(sum(s.bedrag_cent) FILTER (WHERE s.datum <= e.einde
                                                AND (s.besloten_op IS NULL OR s.besloten_op > e.einde)), 0),
           coalesce(sum(s.bedrag_cent) FILTER (WHERE s.status = 'vrijgegeven'
                                                AND date_trunc('month', s.besloten_op) = date_trunc('month', e.einde)), 0),
           coalesce(sum(s.bedrag_cent) FILTER (WHERE s.status = 'afgewezen'
                                                AND date_trunc('month', s.besloten_op) = date_trunc('month', e.einde)), 0)
    FROM unnest(:einden) AS e(einde)
    LEFT JOIN rm_fraudesignalen s
      ON (CAST(:organisator_id AS uuid) IS NULL OR s.organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY e.einde ORDER BY e.einde
""").bindparams(bindparam("einden", type_=ARRAY(DATE)))

_OPEN = """
    WHERE s.datum <= :op AND (s.besloten_op IS NULL OR s.besloten_op > :op)
      AND (CAST(:organisator_id AS uuid) IS NULL OR s.organisator_id = CAST(:organisator_id AS uuid))
"""
_WACHTRIJ = text("""
    SELECT s.signaal_id, s.prestatie_id, s.regel, s.wijkwerker_id, s.gebruiker_id, s.organisator_id, s.datum,
           s.bedrag_cent, s.toelichting, o.naam AS organisator
    FROM rm_fraudesignalen s LEFT JOIN rm_organisatoren o ON o.id = s.organisator_id
""" + _OPEN + """
    ORDER BY s.datum, s.signaal_id LIMIT :limiet
""")
_TEL_OPEN = text("SELECT count(*) FROM rm_fraudesignalen s" + _OPEN)

REEKSEN = ("gemeld", "vastgehouden", "vrijgegeven", "afgewezen")

# What the reviewer does per rule (the same advice as cheques' GET /v1/signalen).
TE_DOEN = {
    "overlappende-uren": "Beide registraties nagaan bij wijkwerker en gebruikers; de juiste vrijgeven, de andere "
                         "afwijzen (dan niet uitbetaald).",
    "te-veel-uren-op-een-dag": "De uren van die dag navragen; wat gewerkt is vrijgeven, de rest afwijzen.",
    "gebruiker-veel-wijkwerkers": "Bij de gebruiker navragen wat de wijkwerkers die dag deden; echte prestaties "
                                  "vrijgeven, cheques voor andermans werk afwijzen.",
    "gedeelde-rekening": "Nagaan wiens rekening het is; bankgegevens in toeleiding verbeteren, dan vrijgeven "
                         "(de hele uitbetaling wacht tot dan).",
    "gedeelde-iban-of-adres": "Wijkwerker en gebruiker delen IBAN of adres (zie toelichting): bij de organisator "
                              "nagaan of de wijkwerker voor het eigen gezin werkt; vrijgeven of afwijzen.",
}


async def per_maand(session: AsyncSession, einden: list[date], organisator_id: uuid.UUID | None
                    ) -> dict[str, list[float]]:
    rows = (await session.execute(_PER_MAAND, {"einden": einden, "organisator_id": organisator_id})).all()
    return {naam: [int(r[i + 1]) / 100 for r in rows] for i, naam in enumerate(REEKSEN)}


async def wachtrij(session: AsyncSession, op: date, organisator_id: uuid.UUID | None, limiet: int = 50
                   ) -> list[dict]:
    """The flags open on ``op`` (raised on or before it, not decided by then), oldest first."""
    rows = await session.execute(_WACHTRIJ, {"op": op, "organisator_id": organisator_id, "limiet": limiet})
    return [{**r._mapping, "te_doen": TE_DOEN.get(r.regel, "")} for r in rows]


async def tel_open(session: AsyncSession, op: date, organisator_id: uuid.UUID | None) -> int:
    """How many flags are open on ``op`` in all (the queue shows the oldest ``limiet``)."""
    return int(await session.scalar(_TEL_OPEN, {"op": op, "organisator_id": organisator_id}) or 0)
