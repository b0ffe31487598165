"""The monthly payout run (A-07): what each worker is paid, and the period it covers."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from wijkwerk.fouten import OngeldigeInvoer

_PERIODE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Periode:
    jaar: int
    maand: int

    @classmethod
    def parse(cls, tekst: str) -> Periode:
        gevonden = _PERIODE.match(tekst)
        if gevonden is None:
            raise OngeldigeInvoer(f"{tekst!r} is not a month like 2026-03.", rule="periode-ongeldig")
        return cls(int(gevonden[1]), int(gevonden[2]))

    @property
    def eerste_dag(self) -> date:
        return date(self.jaar, self.maand, 1)

    @property
    def laatste_dag(self) -> date:
        return date(self.jaar, self.maand, calendar.monthrange(self.jaar, self.maand)[1])

    def __str__(self) -> str:
        return f"{self.jaar:04d}-{self.maand:02d}"


def rundata(periode: Periode, uitgevoerd_op: date | None, uitvoeringsdatum: date | None) -> tuple[date, date]:
    """The run's business date and the SEPA requested execution date, from the request;
    by default the day after the period (the run that closes the month), never today."""
    run = uitgevoerd_op or periode.laatste_dag + timedelta(days=1)
    return run, uitvoeringsdatum or run


def controleer_periode(periode: Periode, uitgevoerd_op: date, uitvoeringsdatum: date, vandaag: date) -> None:
    """A run is a fact of its own date: the month must have started by then, and that
    date cannot lie after today (a fact that has not happened yet); the bank executes on
    or after it."""
    if periode.eerste_dag > uitgevoerd_op or uitgevoerd_op > vandaag:
        raise OngeldigeInvoer(
            "A month is paid out on or after its start, on a run date that has come.", rule="periode-in-de-toekomst",
            uitgevoerd_op=uitgevoerd_op.isoformat(),
        )
    if uitvoeringsdatum < uitgevoerd_op:
        raise OngeldigeInvoer("The requested execution date lies before the run date.",
                              rule="uitvoeringsdatum-voor-rundatum")


def te_betalen(tegoed_tot_einde_periode: int, al_betaald: int, vastgehouden: int = 0) -> int:
    """What the worker earned in months up to the period's end and was not yet paid: all
    payouts so far count, so a later period run first never leads to paying twice. What
    disputed prestaties earned is ``vastgehouden`` (issue #23 item 3): kept back until the
    dispute is resolved, set off against the rest when it was paid before the dispute."""
    return max(0, tegoed_tot_einde_periode - al_betaald - vastgehouden)


def end_to_end_id(periode: Periode, wijkwerker_id: object) -> str:
    """SEPA EndToEndId (≤ 35 characters), the same for a re-run of the month."""
    return f"WW{periode.jaar:04d}{periode.maand:02d}{str(wijkwerker_id).replace('-', '')[:27]}"
