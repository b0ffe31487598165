"""Outbound webhooks: the catalogue of event types a partner may subscribe to, what each
carries, and who may subscribe to what (the HTTP API's data scope, deny by default).

Each catalogue type is one existing platform event (``wijkwerk.events.*``); its payload is
a fixed list of that event's fields. Events carry no personal data (README: security), and
the lists leave out the free text a party typed (a prestatie's ``referentie``), so a
subscriber sees ids, dates, hours and amounts it can also read through the HTTP API.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wijkwerk.fouten import GeenToegang as Verboden
from wijkwerk.fouten import OngeldigeInvoer


@dataclass(frozen=True)
class Soort:
    event: str  # the platform event's class name
    velden: tuple[str, ...]
    beschrijving: str
    centraal: bool = False  # only central callers (VDAB, services) may subscribe


_PRESTATIE = ("prestatie_id", "wijkwerker_id", "gebruiker_id", "organisator_id", "koppeling_id", "datum", "door")

_EVALUATIE = ("traject_id", "wijkwerker_id", "organisator_id", "vervaldag", "datum", "laatste_evaluatie")

CATALOGUS: dict[str, Soort] = {
    "traject.gestart": Soort(
        "TrajectGestart", ("traject_id", "wijkwerker_id", "organisator_id", "start", "gepland_einde", "max_einde"),
        "A trajectory started (toeleiding)."),
    "traject.beeindigd": Soort(
        "TrajectBeeindigd", ("traject_id", "wijkwerker_id", "organisator_id", "einde", "reden", "vervolg"),
        "A trajectory ended, with its reason (toeleiding)."),
    "evaluatie.te-doen": Soort(
        "EvaluatieTeDoen", _EVALUATIE,
        "Dated fact: a trajectory's next evaluation (A-11) is due within a month; dated one month before the "
        "due date, once per trajectory and due date (evaluatie)."),
    "evaluatie.achterstallig": Soort(
        "EvaluatieAchterstallig", _EVALUATIE,
        "Dated fact: no evaluation by the due date; dated the day after it, once per trajectory and due date "
        "(evaluatie)."),
    "prestatie.geregistreerd": Soort(
        "PrestatieGeregistreerd",
        (*_PRESTATIE, "traject_id", "activiteit_id", "start", "minuten", "begonnen_uren"),
        "A prestatie was registered (prestaties)."),
    "prestatie.bevestigd": Soort("PrestatieBevestigd", (*_PRESTATIE, "begonnen_uren", "bevestigd_op", "automatisch"),
                                 "The other party confirmed a prestatie, or silence did on the window's deadline "
                                 "(automatisch, dated bevestigd_op = the deadline) (prestaties)."),
    "prestatie.betwist": Soort("PrestatieBetwist", (*_PRESTATIE, "reden", "betwist_op"),
                               "The other party disputed a prestatie: held from payout until resolved (prestaties)."),
    "prestatie.bevestiging-herinnerd": Soort(
        "PrestatieBevestigingHerinnerd", (*_PRESTATIE, "herinnering_op", "bevestigen_tot"),
        "Dated fact: a prestatie still waits for the other party, whose window closes on bevestigen_tot; dated "
        "herinnering_op, once per window (prestaties)."),
    "prestatie.betwisting-beslecht": Soort(
        "PrestatieBetwistingBeslecht", (*_PRESTATIE, "uitkomst", "beslecht_op", "betwist_op"),
        "The organiser resolved a dispute: gehandhaafd (payable) or afgewezen (cancelled and reversed) "
        "(prestaties)."),
    "cheque.vervalt-binnenkort": Soort(
        "ChequesVervallenBinnenkort", ("organisator_id", "geldig_tot", "datum", "aantal", "serienummers"),
        "Dated fact: an organiser's cheques neither used nor refunded expire on geldig_tot; dated 30 days "
        "before it (EVALUATIE_CHEQUE_WAARSCHUWING_DAGEN), once per organiser and expiry date (evaluatie)."),
    "cheque.vervallen": Soort(
        "ChequeVervallen",
        ("serienummer", "bestelling_id", "gebruiker_id", "organisator_id", "vervallen_op", "geldig_tot"),
        "Dated fact: an unused cheque expired on vervallen_op, the day after its last valid day geldig_tot; "
        "recorded by cheques' own expiry job, once per cheque, whenever the job runs (cheques)."),
    "cheque.terugbetaald": Soort(
        "ChequeTerugbetaald",
        ("serienummer", "bestelling_id", "gebruiker_id", "organisator_id", "terugbetaald_op", "prijs_cent"),
        "An unused cheque was refunded to the gebruiker: a refund request approved, or the issuer's refund "
        "(cheques)."),
    "uitbetaling.uitgevoerd": Soort(
        "UitbetalingUitgevoerd", ("wijkwerker_id", "periode", "bedrag_cent", "uitgevoerd_op"),
        "A worker's monthly payout was executed (cheques). Central callers only: the event names no "
        "organiser, and payouts are read with the central scope cheques:payout.", centraal=True),
}
PER_EVENT = {s.event: t for t, s in CATALOGUS.items()}


@dataclass(frozen=True)
class Eigenaar:
    """Who owns a subscription: the caller's kind and organisation ('' for a central caller
    without one). Only the owner lists, ends or redelivers it."""

    type: str
    org: str


def bereik(org_type: str | None, org: str | None, gevraagd_organisator: str | None, types: list[str]) -> str | None:
    """The organiser a new subscription is limited to (None: every organiser), or a refusal.

    Central callers (VDAB, services) subscribe to anything, optionally for one organiser; an
    organiser only to its own organiser's events; referrers (OCMW, GTB …) and gebruikers
    have no organisation-wide reads in the HTTP API, so no subscription (deny by default)."""
    onbekend = sorted(set(types) - CATALOGUS.keys())
    if onbekend:
        raise OngeldigeInvoer(f"Unknown event types: {', '.join(onbekend)}.", rule="type-onbekend")
    if org_type in ("vdab", "service"):
        return gevraagd_organisator
    if org_type == "organisator" and org:
        if gevraagd_organisator is not None and gevraagd_organisator != org:
            raise Verboden("An organiser subscribes to its own organiser's events only.",
                           rule="abonnement-buiten-scope")
        centraal = sorted(t for t in types if CATALOGUS[t].centraal)
        if centraal:
            raise Verboden(f"Only central callers subscribe to: {', '.join(centraal)}.", rule="type-buiten-scope")
        return org
    raise Verboden("This kind of caller cannot subscribe to webhooks.", rule="abonnement-niet-toegestaan")


LOKAAL = {"127.0.0.1", "::1", "localhost"}


def controleer_url(url: str, *, productie: bool) -> str:
    """https, to a host name or a public address; plain http only to this machine outside
    production (the embedded platform and the tests). A host name is checked again when a
    delivery is sent: in production one resolving to a private address is not called."""
    delen = urlsplit(url)
    host = delen.hostname or ""
    if not host or delen.username or delen.password:
        raise OngeldigeInvoer("The target URL has no host, or carries credentials.", rule="url-ongeldig")
    if delen.scheme == "http" and host in LOKAAL and not productie:
        return url
    if delen.scheme != "https":
        raise OngeldigeInvoer("The target URL must use https.", rule="url-ongeldig")
    if productie and host in LOKAAL:
        raise OngeldigeInvoer("The target URL points at a private or local address.", rule="url-ongeldig")
    try:
        adres = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not adres.is_global:
        raise OngeldigeInvoer("The target URL points at a private or local address.", rule="url-ongeldig")
    return url


def payload(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event's fields the catalogue type carries."""
    return {veld: data.get(veld) for veld in CATALOGUS[type_].velden}
