"""Events of the prestaties (hour registration) service, topic ``wijkwerk.prestaties.v1``.

No personal data: no names, INSZ or IBAN; the gender of a private-person gebruiker is
allowed (RPT-15). Worker events are keyed by ``wijkwerker_id``; gebruiker and erkenning
events by ``gebruiker_id``, so everything about one gebruiker stays in order; catalogue
events by the activity. Payloads are complete enough that cheques and evaluatie never
call back over HTTP. Categories, parties and statuses are the values of the service's
enums (``particulier``, ``lokaal_bestuur``, ...; ``groenonderhoud``, ...).
"""

from __future__ import annotations

import uuid
from datetime import date, time

from wijkwerk.events import topics
from wijkwerk.events.envelope import Event
from wijkwerk.events.registry import registry


class _PrestatiesEvent(Event):
    topic = topics.PRESTATIES


class _GebruikerEvent(_PrestatiesEvent):
    key_field = "gebruiker_id"

    gebruiker_id: uuid.UUID


class _ErkenningEvent(_GebruikerEvent):
    aggregate_field = "erkenning_id"

    erkenning_id: uuid.UUID
    organisator_id: uuid.UUID


@registry.register
class GebruikerGeregistreerd(_GebruikerEvent):
    """A new gebruiker signed up (RPT-13: per month, per organiser of the sign-up)."""

    event_type = "GebruikerGeregistreerd"
    aggregate_field = "gebruiker_id"

    categorie: str
    geslacht: str | None  # private persons only: vrouw, man, ander_of_onbekend
    aangemeld_op: date
    aangemeld_bij: uuid.UUID  # organiser
    # Keyed hashes (wijkwerk.vingerafdruk) of the gebruiker's optional IBAN and address, never
    # the values: cheques compares them with the worker's (ADR 0024). None: none given, or an
    # older event.
    iban_vingerafdruk: str | None = None
    adres_vingerafdruk: str | None = None


@registry.register
class ErkenningVerleend(_ErkenningEvent):
    """A registration with an organiser (G-2) and its first validity period and fee due.
    Active (A-10, G-5) once signed (``overeenkomst_op``) and the period's fee is paid."""

    event_type = "ErkenningVerleend"

    gebruiker_categorie: str
    geldig_van: date
    geldig_tot: date
    inschrijvingsrecht_cent: int
    overeenkomst_op: date | None


@registry.register
class ErkenningOndertekend(_ErkenningEvent):
    event_type = "ErkenningOndertekend"

    overeenkomst_op: date


@registry.register
class InschrijvingsrechtBetaald(_ErkenningEvent):
    """The yearly fee of one validity period was paid (RPT-14: payments, not unique
    gebruikers, G-4). A zero fee (PR-21) is published as paid on the period's start."""

    event_type = "InschrijvingsrechtBetaald"

    bedrag_cent: int
    jaar: int  # the year the validity period starts in
    geldig_van: date
    geldig_tot: date
    betaald_op: date


@registry.register
class ErkenningHernieuwd(_ErkenningEvent):
    """A new yearly validity period with its fee due (A-10)."""

    event_type = "ErkenningHernieuwd"

    geldig_van: date
    geldig_tot: date
    inschrijvingsrecht_cent: int


@registry.register
class ErkenningStopgezet(_ErkenningEvent):
    event_type = "ErkenningStopgezet"

    einde: date  # the last valid day
    reden: str


@registry.register
class ContactGeregistreerd(_GebruikerEvent):
    """PR-01, RPT-12: a contact between the organiser's bemiddelaar and a gebruiker."""

    event_type = "ContactGeregistreerd"
    aggregate_field = "contact_id"

    contact_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    door_rol: str  # bemiddelaar, organisator
    kanaal: str  # telefoon, email, bezoek, brief, andere
    reden: str  # geen_koppeling, geen_prestaties, erkenning, opvolging, andere


class _ActiviteitEvent(_PrestatiesEvent):
    aggregate_field = "activiteit_id"
    key_field = None

    activiteit_id: uuid.UUID
    organisator_id: uuid.UUID


@registry.register
class ActiviteitOpgenomen(_ActiviteitEvent):
    """An activity in the organiser's catalogue with its row of the matrix (AC-1, AC-3)."""

    event_type = "ActiviteitOpgenomen"

    naam: str
    categorie: str
    toegelaten_categorieen: tuple[str, ...]


@registry.register
class ToegelatenCategorieenGewijzigd(_ActiviteitEvent):
    """The activity's complete set of allowed gebruiker categories from now on."""

    event_type = "ToegelatenCategorieenGewijzigd"

    toegelaten_categorieen: tuple[str, ...]


@registry.register
class AfwijkingToegestaan(_ActiviteitEvent):
    """AC-2, PR-11: a local government's approved request for a deviation."""

    event_type = "AfwijkingToegestaan"

    afwijking_id: uuid.UUID
    gebruiker_id: uuid.UUID
    aangevraagd_op: date
    goedgekeurd_op: date
    geldig_van: date
    geldig_tot: date | None


class _WijkwerkerEvent(_PrestatiesEvent):
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID


@registry.register
class KoppelingGemaakt(_WijkwerkerEvent):
    """A placement: worker × gebruiker × activity, place and one-way distance (A-03)."""

    event_type = "KoppelingGemaakt"
    aggregate_field = "koppeling_id"

    koppeling_id: uuid.UUID
    activiteit_id: uuid.UUID
    activiteit_categorie: str
    gebruiker_categorie: str
    locatie_nis_code: str
    afstand_km: int
    start: date


@registry.register
class KoppelingBeeindigd(_WijkwerkerEvent):
    event_type = "KoppelingBeeindigd"
    aggregate_field = "koppeling_id"

    koppeling_id: uuid.UUID
    einde: date
    reden: str


class _PrestatieEvent(_WijkwerkerEvent):
    aggregate_field = "prestatie_id"

    prestatie_id: uuid.UUID
    koppeling_id: uuid.UUID
    datum: date
    door: str  # the party: wijkwerker, gebruiker, organisator


@registry.register
class PrestatieGeregistreerd(_PrestatieEvent):
    """Hours of a placement on a day: one cheque per started hour (A-01, C-3).

    ``verplaatsingsvergoeding_dag_cent`` is the travel allowance that day at that placement
    under the rule valid on ``datum`` (A-03); it is payable once per day and placement,
    however many prestaties that day has."""

    event_type = "PrestatieGeregistreerd"

    traject_id: uuid.UUID
    activiteit_id: uuid.UUID
    activiteit_categorie: str
    gebruiker_categorie: str
    locatie_nis_code: str
    start: time
    minuten: int
    begonnen_uren: int
    afstand_km: int
    recht_op_verplaatsingsvergoeding: bool
    verplaatsingsvergoeding_dag_cent: int
    # The short code gebruikers see (wijkwerk.prestatiecode), so the issuer can validate
    # cheques by it; None in events published before it existed.
    referentie: str | None = None


@registry.register
class PrestatieBevestigd(_PrestatieEvent):
    """The other party confirmed the prestatie as registered or last corrected."""

    event_type = "PrestatieBevestigd"

    begonnen_uren: int
    # Issue #23 item 3: the confirmation's business date, and whether silence confirmed it
    # on the window's deadline (then ``bevestigd_op`` is the deadline, whenever it was
    # recorded). None / False on events from before the window existed.
    bevestigd_op: date | None = None
    automatisch: bool = False


@registry.register
class PrestatieBetwist(_PrestatieEvent):
    event_type = "PrestatieBetwist"

    reden: str
    betwist_op: date | None = None  # the dispute's business date (issue #23 item 3); None before it was carried


@registry.register
class PrestatieBevestigingHerinnerd(_PrestatieEvent):
    """The reminder before the confirmation window closes (issue #23 item 3): ``door`` is
    the party that registered it; any other party may still confirm or dispute until
    ``bevestigen_tot`` (inclusive), after which silence confirms. Dated ``herinnering_op``
    whenever it is recorded."""

    event_type = "PrestatieBevestigingHerinnerd"

    herinnering_op: date
    bevestigen_tot: date


@registry.register
class PrestatieBetwistingBeslecht(_PrestatieEvent):
    """The organiser or central ops resolved a dispute (issue #23 item 3): ``gehandhaafd``
    (the prestatie stands and is payable again) or ``afgewezen`` (the prestatie is
    reversed: a ``PrestatieGeannuleerd`` of the same date follows, which releases its cheques
    with a storno in the ledger when they were validated). ``door`` is ``organisator``."""

    event_type = "PrestatieBetwistingBeslecht"

    uitkomst: str  # gehandhaafd | afgewezen
    beslecht_op: date
    toelichting: str
    betwist_op: date | None = None


@registry.register
class PrestatieGecorrigeerd(_PrestatieEvent):
    """New start and duration; the hours replace the earlier ones (never an edit of a
    published event). The other party confirms again."""

    event_type = "PrestatieGecorrigeerd"

    start: time
    minuten: int
    begonnen_uren: int
    vorige_begonnen_uren: int
    reden: str
    # the correction's business date; a storno of cheques it releases is booked in
    # its month. None on events from before it was carried (then: the day it happened).
    gecorrigeerd_op: date | None = None


@registry.register
class PrestatieGeannuleerd(_PrestatieEvent):
    """The prestatie no longer counts; its hours are free again under the caps."""

    event_type = "PrestatieGeannuleerd"

    begonnen_uren: int  # the hours that no longer count
    reden: str
    geannuleerd_op: date | None = None  # the cancellation's business date (see gecorrigeerd_op)
