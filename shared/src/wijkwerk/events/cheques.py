"""Events of the cheques service, topic ``wijkwerk.cheques.v1``.

Money is integer cents. Money events are keyed by ``wijkwerker_id``, so a worker's
validations, travel allowances and payouts stay in order (the ledger recompute relies
on it); order and cheque-batch events have no worker and are keyed by their aggregate.
The payloads carry what evaluatie needs for the money reports (RPT-16, RPT-17, RPT-18)
without calling back; never an IBAN or a name.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from wijkwerk.events import topics
from wijkwerk.events.envelope import Event
from wijkwerk.events.registry import registry


class _ChequesEvent(Event):
    topic = topics.CHEQUES


@registry.register
class ChequesBesteld(_ChequesEvent):
    """A gebruiker's order, paid at the issuer, priced with the organiser's tariff on the
    order date; the price per cheque is fixed from now on (A-06, RPT-16)."""

    event_type = "ChequesBesteld"
    aggregate_field = "bestelling_id"
    key_field = None

    bestelling_id: uuid.UUID
    uitgever: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    aantal: int
    drager: str  # papier, elektronisch
    besteld_op: date
    prijs_cent: int
    totaal_cent: int


@registry.register
class ChequesUitgegeven(_ChequesEvent):
    """Serial numbers issued for an order, each valid until ``geldig_tot`` (A-13)."""

    event_type = "ChequesUitgegeven"
    aggregate_field = "bestelling_id"
    key_field = None

    bestelling_id: uuid.UUID
    uitgever: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    drager: str
    prijs_cent: int
    serienummers: tuple[str, ...]
    uitgegeven_op: date
    geldig_tot: date


@registry.register
class ChequeGevalideerd(_ChequesEvent):
    """A cheque paid one started hour of a prestatie. The split parts were computed from
    the price, the carrier and the rates on the prestatie date (shares) and the order
    date (issuer fee); they sum to the price. Booked in the validation month (A-07), or in
    the first open month when that month was closed (issue #17)."""

    event_type = "ChequeGevalideerd"
    aggregate_field = "serienummer"

    serienummer: str
    bestelling_id: uuid.UUID
    prestatie_id: uuid.UUID
    koppeling_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    drager: str
    prijs_cent: int
    besteld_op: date
    prestatie_datum: date
    gevalideerd_op: date
    # First day of the booking month: the validation month, or the first open month when
    # the validation month was closed already (period close, issue #17).
    boekmaand: date
    wijkwerker_cent: int
    verzekering_cent: int
    reisfonds_cent: int
    uitgever_cent: int
    organisator_cent: int
    # The cheque's validation number: 1, one more after each reversal (a released cheque
    # can pay another prestatie, possibly of another worker, on another partition).
    validatie: int = 1


@registry.register
class VerplaatsingsvergoedingToegekend(_ChequesEvent):
    """The travel allowance of one day at one placement (A-03), paid once, with the
    first validated cheque of that day, in that cheque's booking month."""

    event_type = "VerplaatsingsvergoedingToegekend"
    aggregate_field = "koppeling_id"

    wijkwerker_id: uuid.UUID
    koppeling_id: uuid.UUID
    organisator_id: uuid.UUID
    prestatie_id: uuid.UUID
    serienummer: str
    datum: date
    bedrag_cent: int
    gevalideerd_op: date
    boekmaand: date


@registry.register
class ChequeValidatieTeruggedraaid(_ChequesEvent):
    """A validation reversed because its prestatie was corrected to fewer started hours
    or cancelled afterwards: a storno of the cheque's split (the same cents, debit and
    credit swapped) booked in the month of ``teruggedraaid_op`` (the correction), and of
    the day's travel allowance (``verplaatsingsvergoeding_cent``) when no validated cheque
    is left for that day and placement. The cheque can pay again (``opnieuw_bruikbaar``)
    unless its validity ended; then it lapsed. A worker already paid has it netted from
    the next payout."""

    event_type = "ChequeValidatieTeruggedraaid"
    aggregate_field = "serienummer"

    serienummer: str
    bestelling_id: uuid.UUID
    prestatie_id: uuid.UUID
    koppeling_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    drager: str
    prijs_cent: int
    besteld_op: date
    prestatie_datum: date
    gevalideerd_op: date  # the validation reversed
    teruggedraaid_op: date
    boekmaand: date  # first day of the month of teruggedraaid_op, or the first open month when that was closed
    reden: str  # gecorrigeerd, geannuleerd, signaal-afgewezen (issue #23 item 4)
    wijkwerker_cent: int
    verzekering_cent: int
    reisfonds_cent: int
    uitgever_cent: int
    organisator_cent: int
    verplaatsingsvergoeding_cent: int = 0
    opnieuw_bruikbaar: bool = True
    validatie: int = 1  # the number of the validation reversed (ChequeGevalideerd.validatie)


@registry.register
class ChequeTerugbetaald(_ChequesEvent):
    """An unused cheque was refunded to the gebruiker: reported by the issuer, or a refund
    request approved (``aanvraag_id``). The ledger moves the whole price from
    ``chequegelden`` to ``gebruiker:<id>`` (payable to the gebruiker) in ``boekmaand``; an
    event without ``boekmaand`` was written before refunds were booked and moved no money."""

    event_type = "ChequeTerugbetaald"
    aggregate_field = "serienummer"
    key_field = None

    serienummer: str
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    prijs_cent: int
    terugbetaald_op: date
    boekmaand: date | None = None
    aanvraag_id: uuid.UUID | None = None


@registry.register
class ChequeVervallen(_ChequesEvent):
    """Dated fact: an unused cheque passed its validity period (C-9, A-13). The platform
    records it itself, dated ``vervallen_op`` = its last valid day + 1 (A-21), once per
    cheque and validation (``validatie``), whenever the expiry job runs; a cheque released
    by a storno after its validity lapses on the storno's date. The ledger moves the whole
    price from ``chequegelden`` to the organiser in ``boekmaand`` (ADR "cheque expiry and
    refund"); an event without ``boekmaand`` was written before expiries were booked and
    moved no money."""

    event_type = "ChequeVervallen"
    aggregate_field = "serienummer"
    key_field = None

    serienummer: str
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    prijs_cent: int
    vervallen_op: date
    geldig_tot: date | None = None
    boekmaand: date | None = None
    validatie: int = 1


@registry.register
class ChequeVervallingHerroepen(_ChequesEvent):
    """An expired cheque was submitted later for a prestatie within its validity (A-21): the
    expiry's posting is reversed (storno, the organiser gives the price back to
    ``chequegelden``) in ``boekmaand``, just before the cheque's validation is booked."""

    event_type = "ChequeVervallingHerroepen"
    aggregate_field = "serienummer"
    key_field = None

    serienummer: str
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    prijs_cent: int
    vervallen_op: date
    herroepen_op: date
    boekmaand: date
    validatie: int = 1


@registry.register
class ChequeTerugbetalingGevraagd(_ChequesEvent):
    """A gebruiker (or its organiser, or VDAB for it) asked to refund an unused cheque, on
    ``gevraagd_op``, within its validity (the refund window)."""

    event_type = "ChequeTerugbetalingGevraagd"
    aggregate_field = "aanvraag_id"
    key_field = None

    aanvraag_id: uuid.UUID
    serienummer: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    prijs_cent: int
    gevraagd_op: date
    reden: str = ""


@registry.register
class ChequeTerugbetalingGeweigerd(_ChequesEvent):
    """A refund request was refused on ``beslist_op``; the cheque stays as it was (usable
    while valid, and it expires as any other)."""

    event_type = "ChequeTerugbetalingGeweigerd"
    aggregate_field = "aanvraag_id"
    key_field = None

    aanvraag_id: uuid.UUID
    serienummer: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    beslist_op: date
    reden: str = ""


@registry.register
class UitbetalingUitgevoerd(_ChequesEvent):
    """A worker's payout in the monthly SEPA run: everything payable booked up to the
    end of ``periode`` and not paid before. The bank account stays in toeleiding."""

    event_type = "UitbetalingUitgevoerd"
    aggregate_field = "wijkwerker_id"

    wijkwerker_id: uuid.UUID
    periode: str  # YYYY-MM
    bedrag_cent: int
    uitgevoerd_op: date
    end_to_end_id: str
    # First day of the month the payout is booked in: ``periode``, or the first open month
    # when ``periode`` was closed already (issue #17). None on events from before the close
    # existed: then ``periode``.
    boekmaand: date | None = None
    # What disputed prestaties had earned and the run kept back (issue #23 item 3): paid by
    # a later run once the dispute is upheld. The recompute keeps the same amount back.
    vastgehouden_cent: int = 0


@registry.register
class UitbetalingTeruggeboekt(_ChequesEvent):
    """A worker's payout the bank refused (pain.002 status RJCT) or returned (camt.054
    return) is booked back: a storno of the payout's ledger transaction, dated with the
    bank's business date from its file (``bankdatum``), in ``boekmaand`` (that date's month,
    or the first open month when it was closed). The money is payable again in the next
    run. ``reden`` is the bank's ISO 20022 reason code (AC04: closed account, …)."""

    event_type = "UitbetalingTeruggeboekt"
    aggregate_field = "wijkwerker_id"

    wijkwerker_id: uuid.UUID
    periode: str  # YYYY-MM: the run whose payout is booked back
    bedrag_cent: int
    end_to_end_id: str
    bron: str  # "pain.002" (refused) or "camt.054" (returned)
    reden: str | None = None
    bankdatum: date
    boekmaand: date


@registry.register
class InschrijvingsrechtGeboekt(_ChequesEvent):
    """A gebruiker's yearly registration fee (prestaties' ``InschrijvingsrechtBetaald``)
    booked to the organiser in the ledger: in the month it was paid, or in the first open
    month when that month was closed already (issue #17). The recompute folds the fee from
    the prestaties topic and its booking month from this event."""

    event_type = "InschrijvingsrechtGeboekt"
    aggregate_field = "erkenning_id"
    key_field = None

    erkenning_id: uuid.UUID
    organisator_id: uuid.UUID
    jaar: int
    bedrag_cent: int
    betaald_op: date
    boekmaand: date


@registry.register
class PeriodeAfgesloten(_ChequesEvent):
    """A month of the payout ledger was closed (issue #17): it and every month before it
    take no bookings any more; later facts dated in them are booked in the first open
    month. ``hash`` is the SHA-256 over the frozen months' ledger rows, closing balances and
    organisers' reconciliations, chained to ``vorige_hash`` (the previous close's). The
    first close covers every month up to ``maand`` (``van`` is the first with bookings)."""

    event_type = "PeriodeAfgesloten"
    aggregate_field = "periode"
    key_field = None

    periode: str  # YYYY-MM
    maand: date  # first day of the month closed
    van: date  # first day of the first month this close covers
    volgnummer: int  # 1 for the first close
    afgesloten_op: date  # the business date of the close
    geregistreerd_om: datetime  # the moment of the close
    transacties: int  # ledger transactions covered
    hash: str
    vorige_hash: str


class _SignaalEvent(_ChequesEvent):
    """Issue #23 item 4 (ADR 0024): a fraud or error flag on a prestatie, raised by the
    platform itself and dated on the prestatie's business date. Keyed by the worker, so a
    flag and its decision stay in order with the worker's money."""

    aggregate_field = "signaal_id"

    signaal_id: uuid.UUID
    # None for a worker-level flag (gedeelde-rekening, raised by a payout run): it holds all
    # the worker is due, and is dated on the run's business date.
    prestatie_id: uuid.UUID | None
    # overlappende-uren, te-veel-uren-op-een-dag, gebruiker-veel-wijkwerkers, gedeelde-rekening,
    # gedeelde-iban-of-adres
    regel: str
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID | None
    organisator_id: uuid.UUID
    datum: date  # the prestatie's business date: the flag's date
    # What the prestatie earns the worker (started hours × pay on its date + the day's
    # travel allowance): held from the payout runs while the flag is open.
    bedrag_cent: int


@registry.register
class SignaalGemeld(_SignaalEvent):
    """A rule fired on a prestatie: its earnings are held from the payout runs until an ops
    user releases or rejects the flag."""

    event_type = "SignaalGemeld"

    toelichting: str  # what the rule saw, for the reviewer


@registry.register
class SignaalVrijgegeven(_SignaalEvent):
    """An ops user (``door``) released the flag on ``besloten_op`` with a reason: the runs
    dated from then pay the prestatie (unless another flag on it is still open)."""

    event_type = "SignaalVrijgegeven"

    besloten_op: date
    door: str
    reden: str


@registry.register
class SignaalAfgewezen(_SignaalEvent):
    """An ops user (``door``) rejected the flagged prestatie on ``besloten_op`` with a
    reason: it is not paid. Its validations are reversed (``ChequeValidatieTeruggedraaid``
    with ``reden`` signaal-afgewezen) and a worker paid before has it netted from the next
    payout, as for a cancelled prestatie."""

    event_type = "SignaalAfgewezen"

    besloten_op: date
    door: str
    reden: str
