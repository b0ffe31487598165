"""The problem rules this service's endpoints answer, with an example detail each, for the
OpenAPI document: a route names the ones it can answer (``responses=REGELS.weigert(...)``).
``tests/unit/test_openapi.py`` keeps this in step with the rules the code raises."""

from wijkwerk.http.documentatie import Regelboek

REGELS = Regelboek({
    "getuigschrift-al-ingetrokken": (409, "The certificate was revoked on 2026-07-02."),
    "getuigschrift-in-de-toekomst": (
        422, "A certificate as of 2026-12-31 cannot be issued on 2026-12-03: that day has not come."
    ),
    "getuigschrift-onbekend": (404, "No such certificate."),
    "getuigschrift-sleutel-ontbreekt": (503, "No certificate signing key at getuigschrift-ed25519.pem."),
    "getuigschrift-zonder-prestaties": (
        409, "The worker has no accepted prestatie on or before 2026-06-30: nothing to certify."
    ),
    "wijkwerker-onbekend": (404, "No such worker."),
    "loonbrief-onbereikbaar": (503, "The payout slip cannot be fetched from cheques now."),
    "abonnement-buiten-scope": (403, "An organiser subscribes to its own organiser's events only."),
    "abonnement-niet-toegestaan": (403, "This kind of caller cannot subscribe to webhooks."),
    "abonnement-onbekend": (404, "No such subscription."),
    "levering-onbekend": (404, "No such delivery of this subscription."),
    "type-buiten-scope": (403, "Only central callers subscribe to: uitbetaling.uitgevoerd."),
    "type-onbekend": (422, "Unknown event types: traject.verlengd."),
    "url-ongeldig": (422, "The target URL must use https."),
    "alleen-vdab": (403, "Only VDAB records the bemiddelaars it makes available."),
    "categorie-onbekend": (422, "Unknown outflow categories: studeren."),
    "categorie-ontbreekt": (422, "A measurement has at least one category."),
    "correctie-voor-registratie": (422, "A correction is dated on or after what it corrects (…)."),
    "correctie-zonder-wijziging": (422, "The correction changes nothing."),
    "einde-voor-evaluatie": (422, "The trajectory ends on or after the evaluation that decided it."),
    "einde-zonder-beeindiging": (422, "Only an outcome that ends the trajectory carries an end date."),
    "evaluatie-onbekend": (404, "No such evaluatie."),
    "evaluatie-buiten-traject": (422, "An evaluation falls inside the trajectory."),
    "fte-ongeldig": (422, "FTE lies between 0 and 1000."),
    "horizon-ongeldig": (422, "Outflow is measured at 3, 6, 9 or 12 months."),
    "inwoners-ongeldig": (422, "Inhabitants cannot be negative."),
    "meetmoment-niet-bereikt": (422, "The 6-month point is 2026-09-30; it cannot be measured earlier."),
    "meting-bestaat-al": (409, "This horizon was already measured."),
    "organisator-nog-onbekend": (409, "This organiser is not known here yet."),
    "organisator-onbekend": (404, "No such organiser."),
    "periode-ongeldig": (422, "'tot' lies before 'van'."),
    "periode-te-lang": (422, "A report spans at most 36 months."),
    "subcategorie-ongeldig": (422, "Sub-categories werk_interim do not belong to the chosen categories."),
    "traject-niet-beeindigd": (422, "Outflow is measured after the trajectory ended."),
    "traject-nog-onbekend": (409, "This trajectory is not known here yet."),
    "traject-onbekend": (404, "No such trajectory."),
    "uitkomst-beeindigt-traject": (
        422, "An outcome that ends the trajectory is not corrected to or from: end or continue the trajectory in toeleiding (POST /v1/trajecten/{id}/beeindiging) and register a new evaluation."
    ),
    "uitstroommeting-onbekend": (404, "No such uitstroommeting."),
    "vervolg-ontbreekt": (422, "Moving on to another trajectory names it (e.g. IBO, TWE)."),
})
