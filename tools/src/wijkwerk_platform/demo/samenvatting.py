"""What the demo sent and how the services answered: its own tallies, for checks against
the reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Samenvatting:
    organisatoren: int = 0
    dossiers: int = 0
    toeleidingen: int = 0
    overeenkomsten: int = 0
    beeindigd: int = 0
    gebruikers: int = 0
    erkenningen: int = 0
    inschrijvingen_betaald: int = 0
    activiteiten: int = 0
    koppelingen: int = 0
    prestaties: int = 0
    bevestigd: int = 0
    gecorrigeerd: int = 0
    geannuleerd: int = 0
    betwist: int = 0  # disputes (issue #23 item 3), of which resolved:
    gehandhaafd: int = 0
    afgewezen: int = 0
    bestellingen: int = 0
    cheques_besteld: int = 0  # in the paid orders (RPT-16)
    cheques_uitgegeven: int = 0
    cheques_gevalideerd: int = 0
    cheques_terugbetaald: int = 0  # refund requests approved (issue #23)
    cheques_vervallen: int = 0  # lapsed by the expiry job up to today
    evaluaties: int = 0
    uitstroommetingen: int = 0
    contacten: int = 0
    webhooks_ontvangen: int = 0  # distinct deliveries the demo partner received, signature checked
    webhooks_ongeldig: int = 0  # deliveries whose signature did not check (expected: none)
    getuigschriften: int = 0  # work-experience certificates issued (issue #23 item 5)
    getuigschriften_ingetrokken: int = 0
    signalen_verwacht: int = 0  # prestaties registered that overlap another (issue #23 item 4)
    signalen_gemeld: int = 0  # open fraud and error flags seen in cheques
    signalen_vrijgegeven: int = 0
    signalen_gedeeld: int = 0  # open gedeelde-iban-of-adres flags seen (ADR 0024), left open
    voorbeeld_wijkwerker: str | None = None  # a worker with hours and a valid certificate: the link to its own page
    # Tallies of what was sent, for checks against the reports.
    per_advies: Counter = field(default_factory=Counter)  # (advies_maanden, "YYYY-MM" received) → referrals
    actief_of_voorlopig: int = 0  # dossiers expected actief/voorlopig today
    evaluaties_per_maand: Counter = field(default_factory=Counter)
    gevalideerd_per_maand: Counter = field(default_factory=Counter)  # validation month → cheques
    inschrijvingen_per_maand: Counter = field(default_factory=Counter)  # payment month → fees
    per_categorie: Counter = field(default_factory=Counter)  # gebruiker category → gebruikers
    # number of hoofdactiviteiten among a worker's accepted prestaties → workers (RPT-09)
    werkers_per_aantal_hoofdactiviteiten: Counter = field(default_factory=Counter)
    geweigerd: Counter = field(default_factory=Counter)  # expected refusals, by rule
    onverwacht: Counter = field(default_factory=Counter)  # refusals of calls meant to succeed
    van: date | None = None
    tot: date | None = None
    seconden: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.organisatoren} organisers, {self.dossiers} dossiers, {self.toeleidingen} referrals, "
            f"{self.overeenkomsten} agreements ({self.beeindigd} ended), {self.gebruikers} gebruikers, "
            f"{self.erkenningen} erkenningen ({self.inschrijvingen_betaald} fees paid), "
            f"{self.activiteiten} activities, {self.koppelingen} placements, {self.prestaties} prestaties "
            f"({self.bevestigd} confirmed, {self.gecorrigeerd} corrected, {self.geannuleerd} cancelled, "
            f"{self.betwist} disputed: "
            f"{self.gehandhaafd} upheld, {self.afgewezen} rejected), "
            f"{self.bestellingen} cheque orders, {self.cheques_uitgegeven} cheques issued, "
            f"{self.cheques_gevalideerd} validated, {self.cheques_terugbetaald} refunded, "
            f"{self.cheques_vervallen} expired, {self.evaluaties} evaluations, "
            f"{self.uitstroommetingen} outflow measurements, {self.contacten} contacts, "
            f"{self.webhooks_ontvangen} webhooks received by the demo partner ({self.webhooks_ongeldig} badly signed); "
            f"{self.getuigschriften} certificates ({self.getuigschriften_ingetrokken} revoked); "
            f"{self.signalen_gemeld} fraud flags ({self.signalen_vrijgegeven} released), "
            f"{self.signalen_gedeeld} for a shared IBAN or address; "
            f"rejected as expected: {dict(self.geweigerd) or 'none'}; "
            f"unexpected refusals: {dict(self.onverwacht) or 'none'}; "
            f"world {self.van} – {self.tot}, {self.seconden:.1f} s"
        )


def als_maand(d: date) -> str:
    return f"{d:%Y-%m}"
