"""A gebruiker's cheque stock at an organiser as of a date (issue #21 item 12): every
count uses only facts dated on or before that date, so the answer for a past date can be
reproduced whatever happened since.

Validity (A-13, A-21): a cheque is valid through issue date + validity months − 1 day
(:func:`cheques.domain.cheque.geldig_tot`, stored on the cheque when it is issued, with
the validity setting of its issue date). Expired on D = not used and not refunded by D and
D after that last day (or the issuer reported it lapsed by D). An expired cheque may still
be validated later for a prestatie within its validity (A-21); from then on it counts as
validated for dates on or after that validation.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date


class Toestand(enum.StrEnum):
    GEVALIDEERD = "gevalideerd"
    TERUGBETAALD = "terugbetaald"
    VERVALLEN = "vervallen"
    OPENSTAAND = "openstaand"  # issued, still usable on that date


def vervallen_op(geldig_tot: date, dag: date) -> bool:
    """A-21: past its last valid day on ``dag``."""
    return dag > geldig_tot


@dataclass(frozen=True)
class ChequeFeiten:
    """What is known of one issued cheque on the date asked (the caller has dropped
    cheques issued after it)."""

    geldig_tot: date
    gevalideerd: bool  # validated on or before the date and not reversed by then
    terugbetaald: bool  # refunded on or before the date
    vervallen_gemeld: bool  # the issuer reported it lapsed on or before the date


def toestand(f: ChequeFeiten, dag: date) -> Toestand:
    if f.gevalideerd:
        return Toestand.GEVALIDEERD
    if f.terugbetaald:
        return Toestand.TERUGBETAALD
    if f.vervallen_gemeld or vervallen_op(f.geldig_tot, dag):
        return Toestand.VERVALLEN
    return Toestand.OPENSTAAND


def tel(feiten: list[ChequeFeiten], dag: date) -> dict[str, int]:
    """Issued, and of those validated, refunded, expired and outstanding (they add up)."""
    aantallen = Counter(toestand(f, dag) for f in feiten)
    return {"uitgegeven": len(feiten), **{t.value: aantallen[t] for t in Toestand}}
