"""A recompute from the last verified close (issue #17, ADR 0014): the closed months are
not replayed — the hash chain's verification covers their ledger rows, closing balances
and reconciliations —; the fold starts from their closing state (:mod:`herberekening_overdracht`)
and replays prestaties' history and the cheques events booked after the close.

Refused, so that only a full recompute (``vanaf=begin``) remains: no close yet
(``geen-afsluiting``); a chain that does not verify (``afsluitingen-niet-geverifieerd``);
an archive that no longer holds what the restricted read needs (``geschiedenis-onvolledig``);
a fact booked after the close that was committed before it and followed, still before it,
by a fact of the same worker booked in a closed month (``afsluiting-gekruist``: the full
replay folded the first without the second, the closing state holds both)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.afsluitingen import Afsluiting, AfsluitingRepository
from cheques.adapters.overdracht import OverdrachtRepository
from cheques.service_layer.afsluiten import verifieer
from cheques.service_layer.herberekening import Herberekening
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.db.idempotency import request_session
from wijkwerk.fouten import BestaatAl
from wijkwerk.messaging.archief import Geschiedenis, GeschiedenisOnvolledig

_CHEQUES = ("ChequeGevalideerd", "ChequeValidatieTeruggedraaid")


async def vertrouwde_afsluiting(uow: Callable[[], ChequesUnitOfWork]) -> dict[str, Any]:
    """The last close, once the whole chain verifies. The verification reads one snapshot
    of its own, never inside the request's transaction (an Idempotency-Key opens one, and a
    transaction that ran a statement can no longer choose its isolation level)."""
    buiten = request_session.set(None)
    try:
        uitslag = await verifieer(uow())
    finally:
        request_session.reset(buiten)
    if not uitslag["afsluitingen"]:
        raise BestaatAl("No month is closed yet: only a full recompute (vanaf=begin) is possible.",
                        rule="geen-afsluiting")
    if not uitslag["in_orde"]:
        eerste = uitslag["eerste_afwijkende_periode"]
        raise BestaatAl(
            f"The close chain does not verify from {eerste} on (GET /v1/periodes/verificatie): its closing "
            "balances cannot be trusted; only a full recompute (vanaf=begin) is allowed.",
            rule="afsluitingen-niet-geverifieerd", eerste_afwijkende_periode=eerste)
    laatste: dict[str, Any] = uitslag["afsluitingen"][-1]
    return laatste


async def vouw_vanaf(
    session: AsyncSession, fold: Herberekening, geschiedenis: Geschiedenis, prestaties_topic: str,
    vertrouwd: dict[str, Any],
) -> tuple[date, dict[str, Any]]:
    """Folds from the trusted close, in the recompute's snapshot; returns the close's month
    (the diff covers the months after it) and what the report says about the start."""
    alle = await AfsluitingRepository(session).alle()
    index = next((i for i, a in enumerate(alle) if f"{a.maand:%Y-%m}" == vertrouwd["periode"]), None)
    if index is None or alle[index].hash != vertrouwd["hash"] or index != len(alle) - 1:
        raise BestaatAl("A close was made while the chain was verified: try again.", rule="afsluiting-tussendoor")
    laatste, vorige = alle[index], alle[index - 1] if index else None
    repo = OverdrachtRepository(session)
    begin = await _begin(repo, vorige, laatste.maand)
    slot = await repo.positie(laatste.event_id, laatste.geregistreerd_om)
    if slot is None:
        raise GeschiedenisOnvolledig(f"the archive no longer holds the close of {laatste.maand:%Y-%m}")
    if gekruist := await repo.gekruist(laatste.maand, begin, slot):
        raise BestaatAl(
            f"Facts booked after {laatste.maand:%Y-%m} were committed before its close and followed by facts of "
            f"the same worker booked in it ({', '.join(gekruist)}): the closing state does not give what the "
            "full replay folded them with; recompute from the beginning (vanaf=begin).",
            rule="afsluiting-gekruist", events=gekruist)
    na = await repo.geboekt_na(laatste.maand, begin)
    overdracht = await repo.lees(laatste.maand, *_genoemd(na))
    fold.neem_over(overdracht)
    async for blok in geschiedenis.blokken(prestaties_topic):  # fees and allowances before the cheques
        for waarde in blok:
            fold.verwerk_bericht(waarde)
    geschiedenis.gelezen["cheques (geboekt na de afsluiting)"] = {"archief": len(na), "staart": 0}
    for waarde in na:
        fold.verwerk_bericht(waarde)
    return laatste.maand, _verslag(laatste, len(overdracht.verdiend), len(overdracht.actief), len(overdracht.reis))


async def _begin(
    repo: OverdrachtRepository, vorige: Afsluiting | None, maand: date
) -> tuple[str, int, datetime | None]:
    """Where the restricted read starts: at the previous close's event, or at the archive's
    start; refused when a fact booked after ``maand`` (the last close's month) was booked
    before the previous close (a future-dated fact: the read would miss it)."""
    if vorige is None:
        if not await repo.archief_volledig():
            raise GeschiedenisOnvolledig("the archive does not reach back to the first event (one close only)")
        return ("0", 0, None)
    positie = await repo.positie(vorige.event_id, vorige.geregistreerd_om)
    if positie is None:
        raise GeschiedenisOnvolledig(f"the archive no longer holds the close of {vorige.maand:%Y-%m}")
    if vroeg := await repo.vroeg_geboekt(maand, positie[2]):
        raise BestaatAl(
            f"Facts booked after the last close's month were booked before the close of {vorige.maand:%Y-%m} "
            f"({', '.join(vroeg)}): the read from that close would miss them; recompute from the beginning "
            "(vanaf=begin).", rule="afsluiting-gekruist", events=vroeg)
    return positie


def _genoemd(na: list[bytes]) -> tuple[set[str], set[tuple[str, str]], dict[str, tuple[str, str]]]:
    """The cheques reversed after the close, the days validated or reversed after it, and
    each reversed cheque's day (of its first storno after the close)."""
    serienummers: set[str] = set()
    dagen: set[tuple[str, str]] = set()
    gestorneerd: dict[str, tuple[str, str]] = {}
    for waarde in na:
        envelop = orjson.loads(waarde)
        if envelop.get("event_type") not in _CHEQUES:
            continue
        p = envelop["payload"]
        dag = (str(p["koppeling_id"]), str(p["prestatie_datum"]))
        dagen.add(dag)
        if envelop["event_type"] == "ChequeValidatieTeruggedraaid":
            serienummers.add(p["serienummer"])
            gestorneerd.setdefault(p["serienummer"], dag)
    return serienummers, dagen, gestorneerd


def _verslag(a: Afsluiting, werkers: int, cheques: int, dagen: int) -> dict[str, Any]:
    return {
        "vanaf": "laatste-afsluiting",
        "afsluiting": {"periode": f"{a.maand:%Y-%m}", "volgnummer": a.volgnummer, "hash": a.hash,
                       "afgesloten_op": a.afgesloten_op.isoformat(), "geverifieerd": True},
        "gesloten_maanden": (
            f"Months up to {a.maand:%Y-%m} are not recomputed: the verified hash chain covers their ledger rows, "
            "closing balances and reconciliations (GET /v1/periodes/verificatie). The fold starts from their "
            "closing state; the diff covers the months after it."),
        "overgenomen": {"wijkwerkers": werkers, "cheques": cheques, "reisdagen": dagen},
    }
