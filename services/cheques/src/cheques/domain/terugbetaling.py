"""Refund requests for unused cheques (issue #23 item 2; ADR "cheque expiry and refund").

DOMAIN is silent on refunds; the rules here are the platform's (the ADR gives the reasons):

- the **refund window** is the cheque's validity: a request is dated within issue date …
  last valid day (A-21); after it the cheque expires and its price goes to the organiser;
- only an **unused** cheque (issued, neither validated nor refunded nor expired) can be
  refunded; one open request per cheque;
- the decision (VDAB, the issuer now, C-8) is dated on or after the request; an approval
  refunds the whole price (no split: the issuer fee is charged per validated cheque, A-04);
  a refusal leaves the cheque as it was;
- a cheque with an open request does not lapse by the expiry job (the request was filed in
  time); when the request is refused after the validity, the next run lapses it on its own
  expiry day.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date

from cheques.domain.cheque import Cheque
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


class AanvraagStatus(enum.StrEnum):
    GEVRAAGD = "gevraagd"
    GOEDGEKEURD = "goedgekeurd"
    GEWEIGERD = "geweigerd"


class Beslissing(enum.StrEnum):
    GOEDGEKEURD = "goedgekeurd"
    GEWEIGERD = "geweigerd"


def controleer_aanvraag(cheque: Cheque, gevraagd_op: date) -> None:
    """Raises the first broken rule of a refund request for ``cheque`` dated ``gevraagd_op``."""
    cheque.moet_ongebruikt_zijn()  # cheque-al-gebruikt, cheque-terugbetaald, cheque-vervallen
    if gevraagd_op < cheque.uitgegeven_op:
        raise OngeldigeInvoer(
            f"Cheque {cheque.serienummer} was issued on {cheque.uitgegeven_op}, after the request date.",
            rule="aanvraag-voor-uitgifte",
        )
    if gevraagd_op > cheque.geldig_tot:
        raise OngeldigeInvoer(
            f"Cheque {cheque.serienummer} was refundable through {cheque.geldig_tot} (its validity, A-21).",
            rule="buiten-terugbetalingstermijn",
        )


@dataclass
class Aanvraag:
    id: uuid.UUID
    serienummer: str
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    gevraagd_op: date
    reden: str = ""
    status: AanvraagStatus = AanvraagStatus.GEVRAAGD
    beslist_op: date | None = None
    beslissing_reden: str = ""

    def beslis(self, beslissing: Beslissing, beslist_op: date, reden: str, cheque: Cheque) -> None:
        """Decides once; an approval refunds ``cheque`` on ``beslist_op`` (it must still be unused)."""
        if self.status is not AanvraagStatus.GEVRAAGD:
            raise BestaatAl(f"This request was {self.status.value} on {self.beslist_op}.", rule="aanvraag-al-beslist")
        if beslist_op < self.gevraagd_op:
            raise OngeldigeInvoer(
                f"The decision ({beslist_op}) cannot precede the request ({self.gevraagd_op}).",
                rule="beslissing-voor-aanvraag",
            )
        if beslissing is Beslissing.GOEDGEKEURD:
            cheque.betaal_terug(beslist_op)
        self.status = AanvraagStatus(beslissing.value)
        self.beslist_op, self.beslissing_reden = beslist_op, reden
