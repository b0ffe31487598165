"""The period a dashboard page shows: months ``van`` to ``tot`` (YYYY-MM), the last twelve
by default, as of the last day of ``tot`` or today when that lies later — an "as of D" view
uses only facts dated on or before D, the same rule as the reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from evaluatie.entrypoints.rapportvorm import maanden
from wijkwerk.fouten import OngeldigeInvoer

_MAAND = re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$")
STANDAARD_MAANDEN = 12


@dataclass(frozen=True)
class Periode:
    van: str
    tot: str
    einden: list[date]  # the last day of every month, oldest first
    op: date  # the as-of date: the period's last day, or today if that is earlier

    @property
    def vorige_maand(self) -> str:
        """The month before ``tot``: its payout run is made in ``tot`` (early in the month)."""
        return f"{date.fromisoformat(self.tot + '-01') - relativedelta(months=1):%Y-%m}"

    @property
    def query(self) -> str:
        return f"van={self.van}&tot={self.tot}"


def lees(van: str | None, tot: str | None, vandaag: date) -> Periode:
    """The period asked for (either bound may be left out); ``periode-ongeldig`` for a
    malformed month or ``tot`` before ``van``, ``periode-te-lang`` past 36 months."""
    for naam, waarde in (("van", van), ("tot", tot)):
        if waarde is not None and not _MAAND.match(waarde):
            raise OngeldigeInvoer(f"'{naam}' is a month as YYYY-MM, not {waarde[:20]!r}.", rule="periode-ongeldig")
    tot = tot or f"{vandaag:%Y-%m}"
    van = van or f"{date.fromisoformat(tot + '-01') - relativedelta(months=STANDAARD_MAANDEN - 1):%Y-%m}"
    reeks = maanden(van, tot)
    einden = [laatste for _, _, laatste in reeks]
    return Periode(van, tot, einden, min(einden[-1], vandaag))
