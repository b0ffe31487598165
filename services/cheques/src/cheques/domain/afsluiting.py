"""The monthly period close of the payout ledger (issue #17): which month may be closed,
where a booking lands once its month is closed, and the hash chain over the closes.

A close of month M freezes M and every month before it: no ledger transaction is booked
into them any more. A fact dated in a frozen month (a cheque validated on a date in it,
a correction processed then, a fee paid then, a payout of that month) is booked on the
first day of the first open month — the month after the last close — exactly as a storno
is booked in the correction's month (A-20): a closed month is never rewritten.

The close stores a SHA-256 over a canonical serialisation of what it froze (the covered
months' ledger transactions, the closing balances and the organisers' reconciliations)
and the previous close's hash, so an edit of a frozen row breaks that close's hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from cheques.domain.uitbetaling import Periode
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

# The hash a first close chains to.
BEGIN_KETEN = "0" * 64


def volgende(periode: Periode) -> Periode:
    return Periode(periode.jaar + periode.maand // 12, periode.maand % 12 + 1)


def van_dag(dag: date) -> Periode:
    return Periode(dag.year, dag.month)


def boekdatum(natuurlijk: date, laatst_afgesloten: Periode | None) -> date:
    """The date a fact dated ``natuurlijk`` is booked on: its own date while its month is
    open, else the first day of the first open month."""
    if laatst_afgesloten is None or natuurlijk > laatst_afgesloten.laatste_dag:
        return natuurlijk
    return volgende(laatst_afgesloten).eerste_dag


class PeriodeAfgesloten(BestaatAl):
    """A write into a closed month (the service layer books in the first open month; this
    is the guard behind it)."""

    rule = "periode-afgesloten"


def controleer_afsluiting(
    periode: Periode, laatst_afgesloten: Periode | None, afgesloten_op: date, vandaag: date
) -> None:
    """The rules of a close, in the order a caller can act on them."""
    if afgesloten_op > vandaag:
        raise OngeldigeInvoer(
            f"The close's business date {afgesloten_op} is after today ({vandaag}).",
            rule="afsluitdatum-in-de-toekomst",
        )
    if periode.laatste_dag >= afgesloten_op:
        raise OngeldigeInvoer(
            f"{periode} is not over on {afgesloten_op}: only a month before the business date's month can be closed.",
            rule="periode-niet-voorbij",
        )
    if laatst_afgesloten is not None and periode <= laatst_afgesloten:
        raise BestaatAl(
            f"{periode} is closed already: months up to {laatst_afgesloten} are closed.",
            rule="periode-al-afgesloten", laatst_afgesloten=str(laatst_afgesloten),
        )
    if laatst_afgesloten is not None and periode != volgende(laatst_afgesloten):
        raise BestaatAl(
            f"Close {volgende(laatst_afgesloten)} first: months are closed in order (the last close is "
            f"{laatst_afgesloten}).",
            rule="vorige-periode-open", laatst_afgesloten=str(laatst_afgesloten),
        )


# --- the hash chain ---------------------------------------------------------------


def canoniek(waarde: Any) -> bytes:
    """One line of the canonical serialisation: JSON with sorted keys, no spaces, UTF-8,
    dates and timestamps in ISO 8601 (timestamps in UTC), ended by a newline."""
    return orjson.dumps(waarde, option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z) + b"\n"


@dataclass(frozen=True)
class Kop:
    """What a close is, besides the rows it froze: the first line of its serialisation."""

    maand: date  # the month closed (first day)
    van: date  # the first month this close covers (a first close covers all history before it)
    afgesloten_op: date  # the request's business date
    geregistreerd_om: datetime  # the moment of the close
    vorige_hash: str

    def regel(self) -> dict[str, Any]:
        return {
            "afsluiting": self.maand.strftime("%Y-%m"), "van": self.van.strftime("%Y-%m"),
            "afgesloten_op": self.afgesloten_op, "geregistreerd_om": self.geregistreerd_om.astimezone(UTC),
            "vorige_hash": self.vorige_hash,
        }


def _sleutels(rij: dict[str, Any]) -> dict[str, Any]:
    """Plain ``str`` keys (a database row's column names are a subclass of str)."""
    return {str(k): v for k, v in rij.items()}


class Keten:
    """SHA-256 over the canonical lines, fed in a fixed order: the header, every covered
    transaction (by booking month, then key) with its lines (sorted), every closing
    balance (by month, then account), every reconciliation (by organiser)."""

    def __init__(self, kop: Kop) -> None:
        self._hash = hashlib.sha256(canoniek(kop.regel()))
        self.transacties = 0

    def transactie(self, rij: dict[str, Any], boekingen: Iterable[tuple[str, int, int]]) -> None:
        self.transacties += 1
        self._hash.update(canoniek({**_sleutels(rij), "boekingen": sorted(boekingen)}))

    def saldo(self, rij: dict[str, Any]) -> None:
        self._hash.update(canoniek({"saldo": _sleutels(rij)}))

    def afstemming(self, document: dict[str, Any]) -> None:
        self._hash.update(canoniek({"afstemming": document}))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


# --- closing balances -------------------------------------------------------------


def maanden(van: date, tot: date) -> list[date]:
    """The first days of the months from ``van`` through ``tot``."""
    uit, p = [], van_dag(van)
    while p.eerste_dag <= tot:
        uit.append(p.eerste_dag)
        p = volgende(p)
    return uit


def slotsaldi(
    opening: dict[str, int], bewegingen: dict[date, dict[str, tuple[int, int]]], van: date, tot: date
) -> list[dict[str, Any]]:
    """Per month from ``van`` through ``tot`` and account: the month's debits and credits
    and the account's balance (debit − credit, cumulative from ``opening``) at its end.
    An account without movement in the month and with a zero balance gets no row."""
    saldo = dict(opening)
    rijen = []
    for maand in maanden(van, tot):
        beweging = bewegingen.get(maand, {})
        for rekening in sorted(set(beweging) | {r for r, s in saldo.items() if s}):
            debet, credit = beweging.get(rekening, (0, 0))
            saldo[rekening] = saldo.get(rekening, 0) + debet - credit
            rijen.append({"maand": maand, "rekening": rekening, "debet_cent": debet, "credit_cent": credit,
                          "saldo_cent": saldo[rekening]})
    return rijen
