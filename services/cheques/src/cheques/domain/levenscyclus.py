"""The payout run's lifecycle (issue #18 item 2) and what the bank's messages do to it.

A run is drawn up (``opgesteld``: the ledger books the payouts, so no second run pays the
same money), approved by a second person (``goedgekeurd``: four eyes, a different subject
than the one who drew it up), handed to the bank (``verzonden``) and then settled by the
bank's status report (pain.002): ``bevestigd``, or ``geweigerd`` when the bank refused the
whole run. Each transfer has its own state: ``in_behandeling`` until the bank reports,
``betaald``, ``geweigerd`` (pain.002 RJCT) or ``teruggestort`` (a return in camt.054).
A refused or returned transfer is booked back (storno), so its money is payable again in
the next run. Pure functions: no I/O, no clock.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wijkwerk.fouten import BestaatAl, DomainError


class Rondestatus(enum.StrEnum):
    OPGESTELD = "opgesteld"
    GOEDGEKEURD = "goedgekeurd"
    VERZONDEN = "verzonden"
    BEVESTIGD = "bevestigd"
    GEWEIGERD = "geweigerd"


class Overschrijvingsstatus(enum.StrEnum):
    IN_BEHANDELING = "in_behandeling"
    BETAALD = "betaald"
    GEWEIGERD = "geweigerd"
    TERUGGESTORT = "teruggestort"


class VierOgen(DomainError):
    """The run's approver is the person who drew it up."""

    status = 403
    rule = "uitbetaling-vier-ogen"


class StatusOngeldig(BestaatAl):
    """A step asked out of order (409)."""

    rule = "uitbetaling-status-ongeldig"


def _vereist(status: Rondestatus, *toegelaten: Rondestatus, stap: str) -> None:
    if status not in toegelaten:
        raise StatusOngeldig(
            f"A run that is {status} cannot be {stap}; it must be {' or '.join(toegelaten)}.",
            status_nu=str(status), vereist=[str(t) for t in toegelaten],
        )


def keur_goed(status: Rondestatus, opgesteld_door: str, door: str) -> Rondestatus:
    """Four eyes: only someone other than the run's author approves it."""
    _vereist(status, Rondestatus.OPGESTELD, stap="approved")
    if door == opgesteld_door:
        raise VierOgen("The run must be approved by someone other than the person who drew it up.")
    return Rondestatus.GOEDGEKEURD


def verzend(status: Rondestatus, aantal: int) -> Rondestatus:
    _vereist(status, Rondestatus.GOEDGEKEURD, stap="sent")
    if aantal == 0:
        raise StatusOngeldig("The run pays nobody: there is nothing to send.", rule="geen-sepa-bestand")
    return Rondestatus.VERZONDEN


def bestand_beschikbaar(status: Rondestatus) -> None:
    """The SEPA file exists only for an approved run: nobody sends an unapproved one."""
    _vereist(status, Rondestatus.GOEDGEKEURD, Rondestatus.VERZONDEN, Rondestatus.BEVESTIGD, Rondestatus.GEWEIGERD,
             stap="downloaded")


# --- the bank's messages ---------------------------------------------------------------

# ISO 20022 ExternalPaymentTransactionStatus1Code / ExternalPaymentGroupStatus1Code:
# accepted by the bank for execution (or executed) — the transfer counts as paid.
AANVAARD = frozenset({"ACCP", "ACSP", "ACSC", "ACCC", "ACWC", "ACWP", "ACFC"})
GEWEIGERD = "RJCT"
DEELS = "PART"


@dataclass(frozen=True)
class Transactiestatus:
    end_to_end_id: str
    status: str | None
    reden: str | None = None


@dataclass(frozen=True)
class Statusrapport:
    """pain.002: the bank's status of a run (its group) and of single transfers."""

    bericht_id: str
    origineel_bericht_id: str
    groepstatus: str | None
    groepreden: str | None
    bankdatum: date
    transacties: tuple[Transactiestatus, ...]


@dataclass(frozen=True)
class Terugstorting:
    end_to_end_id: str
    bedrag_cent: int
    reden: str | None
    bankdatum: date


@dataclass(frozen=True)
class Debetmelding:
    """camt.054: the returns it reports (entries that are no return are left out)."""

    bericht_id: str
    terugstortingen: tuple[Terugstorting, ...]


@dataclass(frozen=True)
class Wijziging:
    end_to_end_id: str
    status: Overschrijvingsstatus
    reden: str | None


def verwerk_statusrapport(
    status: Rondestatus, overschrijvingen: dict[str, Overschrijvingsstatus], rapport: Statusrapport
) -> tuple[Rondestatus, list[Wijziging]]:
    """The run's new state and the transfers that change (a rejected one is booked back
    by the caller). Refused whole: a transfer the run does not hold, or one the bank now
    rejects after reporting it paid (that is a return: camt.054) or the reverse. A transfer
    returned already keeps that state (it was booked back once)."""
    _vereist(status, Rondestatus.VERZONDEN, stap="given a status report")
    onbekend = [t.end_to_end_id for t in rapport.transacties if t.end_to_end_id not in overschrijvingen]
    if onbekend:
        raise StatusOngeldig(f"The report names transfers this run does not hold: {', '.join(onbekend[:5])}.",
                             rule="statusrapport-onbekende-overschrijving")
    nieuw = dict(overschrijvingen)
    redenen: dict[str, str | None] = {}
    for t in rapport.transacties:
        doel, nu = _doel(t.status), nieuw[t.end_to_end_id]
        if doel is None or nu == doel or nu == Overschrijvingsstatus.TERUGGESTORT:
            continue  # no decision, said before, or returned (and booked back) already
        if nu != Overschrijvingsstatus.IN_BEHANDELING:
            raise StatusOngeldig(f"{t.end_to_end_id} was reported {nieuw[t.end_to_end_id]} before.",
                                 rule="statusrapport-tegenstrijdig")
        nieuw[t.end_to_end_id], redenen[t.end_to_end_id] = doel, t.reden
    groep = _doel(rapport.groepstatus) if rapport.groepstatus != DEELS else Overschrijvingsstatus.BETAALD
    if groep is not None:  # the rest of the run takes the group's status
        for e2e, s in nieuw.items():
            if s == Overschrijvingsstatus.IN_BEHANDELING:
                nieuw[e2e], redenen[e2e] = groep, rapport.groepreden
    wijzigingen = [Wijziging(e2e, s, redenen.get(e2e)) for e2e, s in sorted(nieuw.items()) if s != overschrijvingen[e2e]]
    return _rondestatus(nieuw.values()), wijzigingen


def _doel(code: str | None) -> Overschrijvingsstatus | None:
    if code == GEWEIGERD:
        return Overschrijvingsstatus.GEWEIGERD
    if code in AANVAARD:
        return Overschrijvingsstatus.BETAALD
    return None  # received, pending, technically accepted only: no decision yet


def _rondestatus(statussen: Iterable[Overschrijvingsstatus]) -> Rondestatus:
    statussen = list(statussen)
    if statussen and all(s == Overschrijvingsstatus.GEWEIGERD for s in statussen):
        return Rondestatus.GEWEIGERD
    if any(s == Overschrijvingsstatus.IN_BEHANDELING for s in statussen):
        return Rondestatus.VERZONDEN
    return Rondestatus.BEVESTIGD


def verwerk_terugstorting(status: Rondestatus, overschrijving: Overschrijvingsstatus) -> bool:
    """Whether a return changes the transfer (False: reported before, or refused by the
    bank already, so booked back already). Only a sent run has transfers to return."""
    _vereist(status, Rondestatus.VERZONDEN, Rondestatus.BEVESTIGD, stap="given a return")
    return overschrijving in (Overschrijvingsstatus.IN_BEHANDELING, Overschrijvingsstatus.BETAALD)
