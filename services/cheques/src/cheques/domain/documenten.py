"""The documents people keep (issue #23 item 5): the worker's monthly payout slip and the
gebruiker's yearly statement, as plain values. Every amount is read from the ledger (a
line is one posting on the worker's account, a month's use one posting on
``chequegelden``), so a slip's total is exactly what the ledger booked for the worker in
that month; nothing here recomputes a split.

Business dates: a slip of month M holds only postings booked in M; a statement of year Y
only orders, validations, reversals, refunds and expiries dated in Y."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from wijkwerk.fouten import OngeldigeInvoer

CHEQUE = "cheque"
REIS = "verplaatsingsvergoeding"


@dataclass(frozen=True)
class Sliplijn:
    """One posting on the worker's account: a cheque (one started hour, the worker's share)
    or a day's travel allowance (A-03); a storno mirrors one of them with a negative amount."""

    soort: str
    geboekt_op: date
    bedrag_cent: int
    omschrijving: str
    prestatie_datum: date | None = None
    gebruiker_id: uuid.UUID | None = None
    organisator_id: uuid.UUID | None = None
    storno: bool = False

    @property
    def uren(self) -> int:
        """A cheque pays one started hour (A-01, H-4); its storno takes it back."""
        if self.soort != CHEQUE:
            return 0
        return -1 if self.storno else 1


@dataclass(frozen=True)
class Loonbrief:
    wijkwerker_id: uuid.UUID
    periode: str
    lijnen: tuple[Sliplijn, ...]
    uitbetaald_cent: int | None = None  # the month's payout run, when there is one (central and own view)
    uitbetalingsstatus: str | None = None
    deel_van_organisator: uuid.UUID | None = None  # an organiser's view: its own area's lines only

    @property
    def uren(self) -> int:
        return sum(lijn.uren for lijn in self.lijnen)

    @property
    def loon_cent(self) -> int:
        return sum(lijn.bedrag_cent for lijn in self.lijnen if lijn.soort == CHEQUE)

    @property
    def reis_cent(self) -> int:
        return sum(lijn.bedrag_cent for lijn in self.lijnen if lijn.soort == REIS)

    @property
    def totaal_cent(self) -> int:
        return sum(lijn.bedrag_cent for lijn in self.lijnen)


@dataclass(frozen=True)
class Bestellijn:
    besteld_op: date
    organisator_id: uuid.UUID
    organisator: str
    drager: str
    aantal: int
    prijs_cent: int  # per cheque, fixed at purchase

    @property
    def totaal_cent(self) -> int:
        return self.aantal * self.prijs_cent


@dataclass(frozen=True)
class Maandgebruik:
    """Per month of the year: cheques used (validated) and their value as the ledger took it
    out of ``chequegelden``, validations reversed (A-20), refunded and expired cheques."""

    maand: int
    gebruikt: int = 0
    gebruikt_cent: int = 0
    teruggedraaid: int = 0
    teruggedraaid_cent: int = 0
    terugbetaald: int = 0
    vervallen: int = 0

    @property
    def netto_gebruikt(self) -> int:
        return self.gebruikt - self.teruggedraaid

    @property
    def netto_cent(self) -> int:
        return self.gebruikt_cent - self.teruggedraaid_cent


@dataclass(frozen=True)
class Jaaroverzicht:
    gebruiker_id: uuid.UUID
    jaar: int
    bestellingen: tuple[Bestellijn, ...]
    maanden: tuple[Maandgebruik, ...]
    deel_van_organisator: uuid.UUID | None = None

    @property
    def gekocht(self) -> int:
        return sum(b.aantal for b in self.bestellingen)

    @property
    def gekocht_cent(self) -> int:
        return sum(b.totaal_cent for b in self.bestellingen)

    @property
    def gebruikt(self) -> int:
        return sum(m.netto_gebruikt for m in self.maanden)

    @property
    def gebruikt_cent(self) -> int:
        return sum(m.netto_cent for m in self.maanden)

    @property
    def terugbetaald(self) -> int:
        return sum(m.terugbetaald for m in self.maanden)

    @property
    def vervallen(self) -> int:
        return sum(m.vervallen for m in self.maanden)


def jaar_van(tekst: str) -> int:
    """A statement's year from the path (2018, the scheme's start, up to 2999)."""
    if len(tekst) != 4 or not tekst.isdigit() or not 2018 <= int(tekst) <= 2999:
        raise OngeldigeInvoer(f"{tekst!r} is not a year like 2026 (from 2018).", rule="jaar-ongeldig")
    return int(tekst)


def ontleed_sleutel(sleutel: str) -> tuple[str, bool, str]:
    """A posting's kind, whether it is a storno, and what it is about, from its ledger key:
    ``cheque:<serial>[:n]`` → (cheque, False, serial); ``storno:reis:<koppeling>:<day>[:n]``
    → (verplaatsingsvergoeding, True, "<koppeling>:<day>")."""
    storno = sleutel.startswith("storno:")
    delen = sleutel.removeprefix("storno:").split(":")
    if delen[0] == "cheque":
        return CHEQUE, storno, delen[1]
    if delen[0] == "reis":
        return REIS, storno, f"{delen[1]}:{delen[2]}"
    return delen[0], storno, ":".join(delen[1:])


def euro(cent: int) -> str:
    """Cents as a Dutch euro amount: 1230 → "EUR 12,30", -410 → "EUR -4,10" (the PDF's core
    font has no euro sign)."""
    teken = "-" if cent < 0 else ""
    geheel, rest = divmod(abs(cent), 100)
    return f"EUR {teken}{geheel:,}".replace(",", ".") + f",{rest:02d}"
