"""The payout ledger's vocabulary: accounts, balanced transactions, and the transactions
each fact posts. Integer cents; a transaction is refused unless debits equal credits.

Accounts: ``chequegelden`` (the prices collected for cheques that left the stock: validated,
refunded or expired), ``wijkwerker:<id>`` (payable to the worker), ``verzekering``,
``reisfonds``, ``uitgever``, ``organisator:<id>``, ``gebruiker:<id>`` (a refund payable to
the gebruiker), ``inschrijvingsgelden`` (fees received) and ``bank``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from cheques.domain.verdeling import Verdeling

CHEQUEGELDEN = "chequegelden"
VERZEKERING = "verzekering"
REISFONDS = "reisfonds"
UITGEVER = "uitgever"
INSCHRIJVINGSGELDEN = "inschrijvingsgelden"
BANK = "bank"
UITBETALING = "uitbetaling"  # the kind of a payout transaction
PARTIJEN = (VERZEKERING, REISFONDS, UITGEVER)


def wijkwerker(wijkwerker_id: uuid.UUID) -> str:
    return f"wijkwerker:{wijkwerker_id}"


def organisator(organisator_id: uuid.UUID) -> str:
    return f"organisator:{organisator_id}"


def gebruiker(gebruiker_id: uuid.UUID) -> str:
    return f"gebruiker:{gebruiker_id}"


def partij(rekening: str) -> str:
    """The party an account belongs to: ``wijkwerker:…`` → ``wijkwerker``."""
    return rekening.split(":", 1)[0]


def maand(dag: date) -> date:
    return dag.replace(day=1)


class OnevenwichtigeTransactie(ValueError):
    pass


@dataclass(frozen=True)
class Boeking:
    rekening: str
    debet: int = 0
    credit: int = 0


@dataclass(frozen=True)
class Transactie:
    sleutel: str  # idempotency key: a fact is posted once
    soort: str
    boekdatum: date
    boekingen: tuple[Boeking, ...]
    omschrijving: str = ""

    def __post_init__(self) -> None:
        if any(b.debet < 0 or b.credit < 0 or (b.debet == 0) == (b.credit == 0) for b in self.boekingen):
            raise OnevenwichtigeTransactie(f"{self.sleutel}: every line is a positive debit or credit")
        if not self.boekingen or self.debet != self.credit:
            raise OnevenwichtigeTransactie(f"{self.sleutel}: debits {self.debet} ≠ credits {self.credit}")

    @property
    def debet(self) -> int:
        return sum(b.debet for b in self.boekingen)

    @property
    def credit(self) -> int:
        return sum(b.credit for b in self.boekingen)

    @property
    def boekmaand(self) -> date:
        return maand(self.boekdatum)


def _credits(pairs: list[tuple[str, int]]) -> list[Boeking]:
    return [Boeking(rekening, credit=bedrag) for rekening, bedrag in pairs if bedrag]


def _volgnummer(sleutel: str, volgnummer: int) -> str:
    """The first posting of a fact keeps the plain key; a fact posted again after a
    storno (a cheque validated again, a day's allowance granted again) gets ``:<n>``."""
    return sleutel if volgnummer <= 1 else f"{sleutel}:{volgnummer}"


def cheque_sleutel(serienummer: str, validatie: int = 1) -> str:
    return _volgnummer(f"cheque:{serienummer}", validatie)


def reis_sleutel(koppeling_id: uuid.UUID, datum: date, toekenning: int = 1) -> str:
    return _volgnummer(f"reis:{koppeling_id}:{datum.isoformat()}", toekenning)


def cheque_transactie(
    serienummer: str, verdeling: Verdeling, wijkwerker_id: uuid.UUID, organisator_id: uuid.UUID, gevalideerd_op: date,
    validatie: int = 1,
) -> Transactie:
    """One validated cheque: the price out of ``chequegelden``, split over the parties.
    ``validatie`` counts the cheque's validations (one more after each storno)."""
    return Transactie(
        sleutel=cheque_sleutel(serienummer, validatie),
        soort="cheque",
        boekdatum=gevalideerd_op,
        boekingen=(
            Boeking(CHEQUEGELDEN, debet=verdeling.prijs),
            *_credits([
                (wijkwerker(wijkwerker_id), verdeling.wijkwerker),
                (VERZEKERING, verdeling.verzekering),
                (REISFONDS, verdeling.reisfonds),
                (UITGEVER, verdeling.uitgever),
                (organisator(organisator_id), verdeling.organisator),
            ]),
        ),
        omschrijving=f"cheque {serienummer}",
    )


def reis_transactie(
    koppeling_id: uuid.UUID, datum: date, bedrag: int, wijkwerker_id: uuid.UUID, gevalideerd_op: date,
    toekenning: int = 1,
) -> Transactie:
    """A day's travel allowance at a placement (A-03), paid by VDAB's travel fund.
    ``toekenning`` counts the grants of that day (one more after each storno)."""
    return Transactie(
        sleutel=reis_sleutel(koppeling_id, datum, toekenning),
        soort="verplaatsingsvergoeding",
        boekdatum=gevalideerd_op,
        boekingen=(Boeking(REISFONDS, debet=bedrag), Boeking(wijkwerker(wijkwerker_id), credit=bedrag)),
        omschrijving=f"verplaatsingsvergoeding {datum.isoformat()}",
    )


def inschrijving_transactie(
    erkenning_id: uuid.UUID, jaar: int, bedrag: int, organisator_id: uuid.UUID, betaald_op: date
) -> Transactie:
    """A gebruiker's yearly registration fee for one erkenning goes to the organiser (G-3)."""
    return Transactie(
        sleutel=f"inschrijving:{erkenning_id}:{jaar}",
        soort="inschrijvingsrecht",
        boekdatum=betaald_op,
        boekingen=(Boeking(INSCHRIJVINGSGELDEN, debet=bedrag), Boeking(organisator(organisator_id), credit=bedrag)),
        omschrijving=f"inschrijvingsrecht {jaar}",
    )


def uitbetaling_transactie(periode: str, wijkwerker_id: uuid.UUID, bedrag: int, boekdatum: date) -> Transactie:
    """The worker's payable paid out by SEPA transfer."""
    return Transactie(
        sleutel=f"uitbetaling:{periode}:{wijkwerker_id}",
        soort=UITBETALING,
        boekdatum=boekdatum,
        boekingen=(Boeking(wijkwerker(wijkwerker_id), debet=bedrag), Boeking(BANK, credit=bedrag)),
        omschrijving=f"uitbetaling {periode}",
    )


VERVAL = "verval"
TERUGBETALING = "terugbetaling"


def verval_sleutel(serienummer: str, validatie: int = 1) -> str:
    """An expiry of a cheque; ``validatie`` is the cheque's validation number when it
    lapsed (one more after each storno), so it can lapse again after a late validation."""
    return _volgnummer(f"{VERVAL}:{serienummer}", validatie)


def verval_transactie(
    serienummer: str, prijs: int, organisator_id: uuid.UUID, boekdatum: date, validatie: int = 1
) -> Transactie:
    """An expired cheque (A-13, A-21): nobody worked for it, so no worker pay, insurance or
    travel-fund share is due, and the issuer fee is charged per validated cheque (A-04): the
    whole price goes to the organiser it was bought for (C-4, A-14)."""
    return Transactie(
        sleutel=verval_sleutel(serienummer, validatie),
        soort=VERVAL,
        boekdatum=boekdatum,
        boekingen=(Boeking(CHEQUEGELDEN, debet=prijs), Boeking(organisator(organisator_id), credit=prijs)),
        omschrijving=f"vervallen cheque {serienummer}",
    )


def terugbetaling_transactie(serienummer: str, prijs: int, gebruiker_id: uuid.UUID, boekdatum: date) -> Transactie:
    """A refunded unused cheque: never validated, so no split (A-04): the whole price is
    payable back to the gebruiker. Once per cheque (a refunded cheque never comes back)."""
    return Transactie(
        sleutel=f"{TERUGBETALING}:{serienummer}",
        soort=TERUGBETALING,
        boekdatum=boekdatum,
        boekingen=(Boeking(CHEQUEGELDEN, debet=prijs), Boeking(gebruiker(gebruiker_id), credit=prijs)),
        omschrijving=f"terugbetaalde cheque {serienummer}",
    )


STORNO = "storno"


def storno_transactie(origineel: Transactie, boekdatum: date, omschrijving: str = "") -> Transactie:
    """Reverses ``origineel`` exactly: the same accounts and cents with debit and credit
    swapped, booked on ``boekdatum`` (the ledger is append-only: never an edit)."""
    return Transactie(
        sleutel=f"{STORNO}:{origineel.sleutel}",
        soort=STORNO,
        boekdatum=boekdatum,
        boekingen=tuple(Boeking(b.rekening, debet=b.credit, credit=b.debet) for b in origineel.boekingen),
        omschrijving=omschrijving or f"storno {origineel.omschrijving}",
    )


def verdeling_van(transactie: Transactie) -> Verdeling:
    """The split a cheque transaction posted, read back from its credit lines."""
    delen = {partij(b.rekening): b.credit for b in transactie.boekingen if b.credit}
    return Verdeling(
        delen.get("wijkwerker", 0), delen.get(VERZEKERING, 0), delen.get(REISFONDS, 0), delen.get(UITGEVER, 0),
        delen.get("organisator", 0),
    )
