"""What a dashboard page shows for a period and an organiser (or Flanders): the monthly
charts (each also as CSV), the last month's money split, and what is due on the as-of date."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.reeksen import Reeksen
from evaluatie.entrypoints.dashboard.grafieken import Grafiek
from evaluatie.entrypoints.dashboard.periode import Periode

TITELS = {
    "dossiers": "Dossiers op maandeinde (RPT-01)",
    "toeleidingen": "Toeleidingen per toeleider (RPT-05, RPT-07)",
    "evaluaties": "Evaluaties per uitkomst (RPT-08)",
    "uren": "Begonnen uren per gebruikerscategorie (RPT-06)",
    "signalen": "Fraudesignalen per maand in euro (issue #23 item 4)",
    "geld": "Verdeling van de cheques in euro, per validatiemaand (RPT-18)",
}
# the money split in the order DOMAIN.md lists the shares of a cheque
DELEN = ("wijkwerker", "verzekering", "reisfonds", "uitgever", "organisator")


async def grafiek(session: AsyncSession, grafiek_id: str, periode: Periode,
                  organisator_id: uuid.UUID | None) -> Grafiek | None:
    """One chart (None for an unknown id), from the same read models as the reports."""
    if grafiek_id not in TITELS:
        return None
    reeks = await getattr(Reeksen(session), grafiek_id)(periode.einden, organisator_id)
    return Grafiek(grafiek_id, TITELS[grafiek_id], periode.einden, reeks,
                   soort="line" if grafiek_id == "dossiers" else "bar", decimalen=2 if grafiek_id in ("geld", "signalen") else None)


async def grafieken(session: AsyncSession, periode: Periode, organisator_id: uuid.UUID | None) -> list[Grafiek]:
    uit = [await grafiek(session, grafiek_id, periode, organisator_id) for grafiek_id in TITELS]
    return [g for g in uit if g is not None]


def verdeling(geld: Grafiek) -> list[tuple[str, float]]:
    """The last month's split in euro, share by share, then the total (a cheque's price)."""
    delen = [(deel, round(geld.reeksen.get(deel, [0.0])[-1], 2)) for deel in DELEN]
    return [*delen, ("totaal", round(sum(b for _, b in delen), 2))]
