"""The problem rules this service's endpoints answer, with an example detail each, for the
OpenAPI document: a route names the ones it can answer (``responses=REGELS.weigert(...)``).
``tests/unit/test_openapi.py`` keeps this in step with the rules the code raises."""

from wijkwerk.http.documentatie import Regelboek

REGELS = Regelboek({
    "aanvraag-al-beslist": (409, "This request was goedgekeurd on 2026-05-04."),
    "aanvraag-bestaat-al": (409, "Cheque WW-2026-000123 has an open refund request."),
    "aanvraag-onbekend": (404, "No such refund request."),
    "aanvraag-voor-uitgifte": (422, "Cheque WW-2026-000123 was issued on 2026-02-11, after the request date."),
    "beslissing-voor-signaal": (422, "The decision (2026-03-01) cannot precede the flag (2026-03-05)."),
    "beslissing-voor-aanvraag": (422, "The decision (2026-04-30) cannot precede the request (2026-05-02)."),
    "buiten-terugbetalingstermijn": (
        422, "Cheque WW-2026-000123 was refundable through 2027-02-10 (its validity, A-21)."
    ),
    "afsluitdatum-in-de-toekomst": (422, "The close's business date 2027-01-05 is after today (2026-12-02)."),
    "afsluiting-gekruist": (
        409, "A fact booked after 2026-02 was committed before its close and is followed by one booked in 2026-02: "
             "recompute from the beginning (vanaf=begin)."
    ),
    "afsluiting-onbekend": (404, "2026-11 is not closed: it has no reconciliation yet."),
    "afsluiting-tussendoor": (409, "A close was made while the chain was verified: try again."),
    "afsluitingen-niet-geverifieerd": (
        409, "The close of 2026-01 does not verify: its ledger rows changed after the close; only vanaf=begin is allowed."
    ),
    "alleen-centraal": (403, "Only central (VDAB) callers handle payouts."),
    "bankbestand-bedrag-ongeldig": (422, "Amount 12.345 EUR is no euro amount in cents."),
    "bankbestand-ongeldig": (422, "The file is no well-formed XML: line 1, column 0."),
    "bankbestand-soort-onjuist": (
        422, "Expected a pain.002.001.10 document, got namespace urn:iso:std:iso:20022:tech:xsd:camt.054.001.08."
    ),
    "bankbestand-te-groot": (422, "The file is larger than 10485760 bytes."),
    "bankgegevens-onbeschikbaar": (503, "No way to get a service token for toeleiding."),
    "bankgegevens-ontbreken": (409, "toeleiding has no bank details any more for workers of this run."),
    "bestelling-bestaat-al": (409, "This order was registered before."),
    "bestelling-onbekend": (422, "No such order from this issuer."),
    "cheque-al-gebruikt": (409, "Cheque WW-2026-000123 was already used."),
    "cheque-andere-gebruiker": (
        422, "A cheque pays only prestaties of the gebruiker and organiser it was bought for (A-14)."
    ),
    "cheque-niet-gevalideerd": (422, "Cheque WW-2026-000123 is not validated."),
    "cheque-nog-geldig": (422, "Cheque WW-2026-000123 is valid through 2027-03-31."),
    "cheque-onbekend": (404, "No such cheque."),
    "cheque-terugbetaald": (409, "Cheque WW-2026-000123 was refunded."),
    "cheque-vervallen": (422, "Cheque WW-2026-000123 has expired."),
    "datum-in-de-toekomst": (422, "The decision's date 2027-01-05 is after today (2026-12-02)."),
    "dienst-onbeschikbaar": (503, "A service this one depends on is unavailable; retry later."),
    "drager-onbekend": (422, "No issuer fee is known for carrier papier."),
    "erkenning-nog-onbekend": (409, "No erkenning of this gebruiker at this organiser is known here yet."),
    "alleen-ops": (403, "Only central ops (VDAB) or the flag's organiser review flags."),
    "gebruiker-onbekend": (404, "No such gebruiker is known here."),
    "geen-afsluiting": (409, "No month is closed yet: recompute from the beginning (vanaf=begin)."),
    "geen-actieve-erkenning": (422, "The gebruiker holds no active erkenning at this organiser on 2026-03-05 (A-14)."),
    "geen-sepa-bestand": (409, "The run pays nobody: there is nothing to send."),
    "geldigheid-ongeldig": (422, "A cheque is valid for at least one month."),
    "geschiedenis-onvolledig": (
        409, "The history cannot be replayed from its first event: the archive starts at 2026-02-01."
    ),
    "handtekening-ongeldig": (401, "The signature does not match."),
    "handtekening-ontbreekt": (401, "The webhook is not signed (webhook-id, webhook-timestamp, webhook-signature)."),
    "herberekening-onbeschikbaar": (503, "The history could not be replayed: prestaties' archive did not answer."),
    "reden-ontbreekt": (422, "A decision on a flag gives its reason (audit trail)."),
    "signaal-al-beslist": (409, "This flag was vrijgegeven on 2026-04-02."),
    "signaal-onbekend": (404, "No such flag."),
    "signaal-alleen-vrijgeven": (
        422, "A worker's earnings are not forfeited for a shared account: correct the bank details in toeleiding, "
             "then release."
    ),
    "jaar-ongeldig": (422, "'1999' is not a year like 2026 (from 2018)."),
    "meer-cheques-dan-besteld": (422, "The order has 20 cheques; 20 were issued already."),
    "meer-cheques-dan-uren": (422, "The prestatie has 3 started hours to pay and took 4 cheques."),
    "organisator-nog-onbekend": (409, "This organiser is not known here yet."),
    "periode-afgesloten": (409, "B-7f3c: 2026-01 is closed (closed up to 2026-01).", {"laatst_afgesloten": "2026-01"}),
    "periode-al-afgesloten": (409, "2026-01 is closed already: months up to 2026-01 are closed."),
    "periode-in-de-toekomst": (422, "A month is paid out on or after its start, on a run date that has come."),
    "periode-niet-voorbij": (
        422, "2026-02 is not over on 2026-02-20: only a month before the business date's month can be closed."
    ),
    "periode-ongeldig": (422, "2026-13 is not a month like 2026-03."),
    "prestatie-nog-onbekend": (409, "No prestatie with this reference is known here yet."),
    "prestatie-of-referentie": (422, "Name the prestatie by prestatie_id or by prestatie_referentie (one of them)."),
    "prestatie-referentie-ongeldig": (
        422, "P-0000Z8-X is not a prestatie reference (its check character does not match)."
    ),
    "restant-negatief": (
        422, "The price 900 does not cover the shares (950): the organiser's remainder would be negative."
    ),
    "serienummer-bestaat-al": (409, "A serial number in this batch exists already."),
    "serienummer-dubbel": (422, "A serial number occurs twice in this delivery."),
    "statusrapport-onbekende-overschrijving": (
        409, "The report names transfers this run does not hold: WW2026039a1b…."
    ),
    "statusrapport-onbekende-ronde": (422, "OrgnlMsgId 'X-1' is no payout run of this platform."),
    "statusrapport-tegenstrijdig": (409, "WW2026036f1c… was reported betaald before."),
    "statusrapport-zonder-end-to-end-id": (422, "A transaction status without OrgnlEndToEndId cannot be matched."),
    "tarief-bestaat-al": (409, "A loon_per_uur rate from 2026-01-01 exists already."),
    "tarief-onbekend": (404, "No tariff is known for this organiser on that date."),
    "tarief-terugwerkend": (
        422, "A loon_per_uur rate from 2026-01-01 would change 12 cheque(s) already split with the rate it replaces."
    ),
    "terugstorting-bedrag-wijkt-af": (422, "WW2026036f1c…: returned 1531 cents, paid 1530."),
    "terugstorting-onvolledig": (422, "A return without EndToEndId or booking date cannot be booked back."),
    "tijdstip-ongeldig": (401, "The timestamp is not unix seconds."),
    "uitbetaling-grootboek-verschil": (409, "The run's transfers differ from the ledger's payouts."),
    "uitbetaling-onbekend": (404, "No payout run for 2026-03."),
    "uitbetaling-status-ongeldig": (
        409, "A run that is opgesteld cannot be sent; it must be goedgekeurd.",
        {"status_nu": "opgesteld", "vereist": ["goedgekeurd"]},
    ),
    "uitbetaling-vier-ogen": (403, "The run must be approved by someone other than the person who drew it up."),
    "uitgifte-voor-bestelling": (422, "Cheques cannot be issued before they were ordered."),
    "uitvoeringsdatum-voor-rundatum": (422, "The requested execution date lies before the run date."),
    "validatie-voor-prestatie": (422, "A cheque cannot be validated before the prestatie."),
    "vorige-periode-open": (409, "Close 2026-02 first: months are closed in order (the last close is 2026-01)."),
    "vervaldatum-in-de-toekomst": (
        422, "2027-01-06 is after today (2026-12-03): an expiry is recorded once its day has come."
    ),
    "wijkwerker-onbekend": (404, "No worker with prestaties known here."),
    "webhook-uit-de-toekomst": (401, "The timestamp is more than 60 s ahead."),
    "webhook-verouderd": (401, "The webhook is older than 300 s."),
})
