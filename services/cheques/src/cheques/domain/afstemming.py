"""The organiser's reconciliation of a closed month (issue #17), two identities:

- **cheques** (a stock, as of the month's last day E, since the start): every cheque
  issued on or before E (``verkocht``) is in exactly one of
  ``gevalideerd``  — its validation is booked in a month up to and including the closed
    one and not reversed by a storno booked by then (the ledger's view, so a validation
    that arrived after the close counts in the month it was booked in);
  ``terugbetaald`` — otherwise, refunded by the issuer (``cheque.terugbetaald``) on or
    before E;
  ``vervallen``    — otherwise, lapsed on or before E (``cheque.vervallen``, or a
    reversal after its validity) or past its validity: valid through issue date +
    validity months − 1 day (A-13, A-21), so expired as of E when that day is before E;
  ``openstaand``   — otherwise: still usable on E.
  In counts and in cents (the price the gebruiker paid, fixed at purchase, A-06).
- **money in** (a flow, the month's bookings): the prices of the cheques whose
  validation is booked in the month, less the storno of reversals booked in it, equal
  the worker's pay + insurance + travel fund + issuer fee + the organiser's remainder.

The figures are computed once, at the close, and stored with it (under its hash), so a
past month's reconciliation is the same document whenever it is asked for, also when a
refund or a lapse dated in that month is registered later (it shows in the next close).
"""

from __future__ import annotations

from datetime import date
from typing import Any

STAND = ("gevalideerd", "terugbetaald", "vervallen", "openstaand")
DELEN = ("wijkwerker", "verzekering", "reisfonds", "uitgever", "organisator")


def document(
    maand: date, peildatum: date, organisator_id: str, verkocht: tuple[int, int], stand: dict[str, tuple[int, int]],
    cheques: int, geld_in: int, delen: dict[str, int],
) -> dict[str, Any]:
    """The stored reconciliation of one organiser; amounts in integer cents."""
    telling = {k: {"aantal": stand.get(k, (0, 0))[0], "cent": stand.get(k, (0, 0))[1]} for k in STAND}
    verschil = {
        "aantal": verkocht[0] - sum(t["aantal"] for t in telling.values()),
        "cent": verkocht[1] - sum(t["cent"] for t in telling.values()),
    }
    geld = {f"{d}_cent": delen.get(d, 0) for d in DELEN}
    return {
        "periode": maand.strftime("%Y-%m"),
        "peildatum": peildatum.isoformat(),
        "organisator_id": organisator_id,
        "cheques": {"verkocht": {"aantal": verkocht[0], "cent": verkocht[1]}, **telling, "verschil": verschil},
        "geld": {"cheques": cheques, "geld_in_cent": geld_in, **geld,
                 "verschil_cent": geld_in - sum(geld.values())},
    }


def sluit(doc: dict[str, Any]) -> bool:
    """Both identities hold."""
    return bool(doc["cheques"]["verschil"] == {"aantal": 0, "cent": 0} and doc["geld"]["verschil_cent"] == 0)
