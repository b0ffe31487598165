"""Issuing, revoking and verifying work-experience certificates (issue #23 item 5).

``ziet`` is the caller's data scope over an organiser (the route's
:func:`wijkwerk.auth.sees_organisation`); a worker this caller may not see is answered as
one that does not exist. A certificate is built from the read models as of its date and
signed once; later facts never change it (a new certificate states them)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from evaluatie.adapters.getuigschriften import Opgeslagen
from evaluatie.adapters.ondertekening import Ondertekenaar
from evaluatie.domain.getuigschrift import ONGELDIG, Verklaring, bouw, canoniek, status
from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events.evaluatie import GetuigschriftIngetrokken, GetuigschriftUitgegeven
from wijkwerk.fouten import Conflict, NietGevonden

Ziet = Callable[[uuid.UUID], bool]


@dataclass(frozen=True)
class Getuigschrift:
    opgeslagen: Opgeslagen
    verklaring: Verklaring
    status: str


def _onbekend_werker() -> NietGevonden:
    return NietGevonden("No such worker.", rule="wijkwerker-onbekend")


def _onbekend() -> NietGevonden:
    return NietGevonden("No such certificate.", rule="getuigschrift-onbekend")


async def geef_uit(uow: EvaluatieUnitOfWork, ondertekenaar: Ondertekenaar, ziet: Ziet, wijkwerker_id: uuid.UUID,
                   naam: str, op: date, vandaag: date, door: str) -> Getuigschrift:
    async with uow:
        organisator = await uow.getuigschriften.organisator_van(wijkwerker_id)
        if organisator is None or not ziet(organisator[0]):
            raise _onbekend_werker()
        verklaring = bouw(uuid.uuid4(), naam, organisator[1], op, vandaag,
                          await uow.getuigschriften.prestaties(wijkwerker_id, op),
                          await uow.getuigschriften.evaluaties(wijkwerker_id, op))
        inhoud = canoniek(verklaring.als_json())
        opgeslagen = Opgeslagen(verklaring.getuigschrift_id, wijkwerker_id, organisator[0], op, inhoud.decode("utf-8"),
                                ondertekenaar.onderteken(inhoud), ondertekenaar.sleutel_id)
        await uow.getuigschriften.voeg_toe(opgeslagen, door)
        uow.emit(GetuigschriftUitgegeven(
            getuigschrift_id=verklaring.getuigschrift_id, wijkwerker_id=wijkwerker_id, organisator_id=organisator[0],
            op=op, uren=verklaring.uren, activiteiten=len(verklaring.activiteiten),
            evaluaties=len(verklaring.evaluaties)))
        await uow.commit()
    return Getuigschrift(opgeslagen, verklaring, status(None, True))


def _lees(opgeslagen: Opgeslagen, ondertekenaar: Ondertekenaar) -> Getuigschrift:
    """The stored statement, judged again: a row changed after signing no longer verifies."""
    klopt = ondertekenaar.klopt(opgeslagen.inhoud.encode("utf-8"), opgeslagen.handtekening)
    return Getuigschrift(opgeslagen, Verklaring.uit_json(json.loads(opgeslagen.inhoud)),
                         status(opgeslagen.ingetrokken_op, klopt))


async def lees(uow: EvaluatieUnitOfWork, ondertekenaar: Ondertekenaar, ziet: Ziet, getuigschrift_id: uuid.UUID,
               eigen_wijkwerker: Callable[[uuid.UUID], bool]) -> Getuigschrift:
    async with uow:
        opgeslagen = await uow.getuigschriften.get(getuigschrift_id)
    if opgeslagen is None or not (ziet(opgeslagen.organisator_id) or eigen_wijkwerker(opgeslagen.wijkwerker_id)):
        raise _onbekend()
    return _lees(opgeslagen, ondertekenaar)


async def van_wijkwerker(uow: EvaluatieUnitOfWork, ondertekenaar: Ondertekenaar, ziet: Ziet,
                         eigen_wijkwerker: Callable[[uuid.UUID], bool], wijkwerker_id: uuid.UUID) -> list[Getuigschrift]:
    """The worker's certificates, for the worker itself, its organiser and central callers."""
    async with uow:
        organisator = await uow.getuigschriften.organisator_van(wijkwerker_id)
        if organisator is None or not (ziet(organisator[0]) or eigen_wijkwerker(wijkwerker_id)):
            raise _onbekend_werker()
        return [_lees(o, ondertekenaar) for o in await uow.getuigschriften.van_wijkwerker(wijkwerker_id)]


async def trek_in(uow: EvaluatieUnitOfWork, ondertekenaar: Ondertekenaar, ziet: Ziet, getuigschrift_id: uuid.UUID,
                  op: date, reden: str, door: str) -> Getuigschrift:
    async with uow:
        opgeslagen = await uow.getuigschriften.get(getuigschrift_id)
        if opgeslagen is None or not ziet(opgeslagen.organisator_id):
            raise _onbekend()
        if opgeslagen.ingetrokken_op is not None:
            raise Conflict(f"The certificate was revoked on {opgeslagen.ingetrokken_op}.",
                           rule="getuigschrift-al-ingetrokken")
        await uow.getuigschriften.trek_in(getuigschrift_id, op, reden, door)
        uow.emit(GetuigschriftIngetrokken(getuigschrift_id=getuigschrift_id, wijkwerker_id=opgeslagen.wijkwerker_id,
                                          organisator_id=opgeslagen.organisator_id, ingetrokken_op=op))
        await uow.commit()
    return _lees(replace(opgeslagen, ingetrokken_op=op, ingetrokken_reden=reden), ondertekenaar)


async def verifieer(uow: EvaluatieUnitOfWork, ondertekenaar: Ondertekenaar, getuigschrift_id: uuid.UUID,
                    controle: str | None) -> Getuigschrift | None:
    """The public check: None (``ongeldig``, nothing shown) unless the certificate exists and
    ``controle`` is the start of its signature, as printed in its QR code; a link with a
    guessed id alone reveals nothing."""
    async with uow:
        opgeslagen = await uow.getuigschriften.get(getuigschrift_id)
    if opgeslagen is None or not controle or not opgeslagen.handtekening.startswith(controle) or len(controle) < 16:
        return None
    gelezen = _lees(opgeslagen, ondertekenaar)
    return None if gelezen.status == ONGELDIG else gelezen


def controle(handtekening: str) -> str:
    """The part of the signature the verification link carries."""
    return handtekening[:22]
