"""Handlers for prestaties: register, confirm or dispute, correct, cancel.

Every change to a worker's hours takes the worker's lock first (A-02: concurrent
registrations must not together pass a cap), then reads the stand and decides."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from prestaties.domain.bevestiging import TermijnRegel, open_termijn
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Aanvraag, Context, Partij, Prestatie, PrestatieStatus
from prestaties.domain.tarieven import VerplaatsingsRegel
from prestaties.domain.uren import Plafonds
from prestaties.service_layer import commands
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk import prestatiecode
from wijkwerk.events.prestaties import (
    PrestatieBetwist,
    PrestatieBevestigd,
    PrestatieGeannuleerd,
    PrestatieGecorrigeerd,
    PrestatieGeregistreerd,
)
from wijkwerk.fouten import NietGevonden


@dataclass(frozen=True)
class Regels:
    """The settings the prestatie rules read."""

    plafonds: Plafonds
    verplaatsing: tuple[VerplaatsingsRegel, ...]
    termijnen: tuple[TermijnRegel, ...] = (TermijnRegel(date(2018, 1, 1)),)
    feestdagen: frozenset[date] = frozenset()


Toegang = Callable[[Koppeling], None]


def _alles(koppeling: Koppeling) -> None:
    """No data scope: an internal caller."""


async def _context(
    uow: PrestatiesUnitOfWork, cmd: commands.RegistreerPrestatie, regels: Regels, vandaag: date, toegang: Toegang
) -> tuple[Context, int]:
    # One statement reads the placement with everything the rules need and takes the
    # worker's lock; the stand follows in the next, so it sees the previous holder's hours,
    # with the prestatie's number (which a refused registration leaves unused).
    gelezen = await uow.registratie.lees_en_vergrendel(cmd.koppeling_id)
    if gelezen is None:
        raise NietGevonden("No such placement.", rule="koppeling-onbekend")
    toegang(gelezen.koppeling)
    stand, nummer = await uow.prestaties.stand_en_nummer(gelezen.koppeling.wijkwerker_id, cmd.datum)
    return Context(
        koppeling=gelezen.koppeling, gebruiker=gelezen.gebruiker, activiteit=gelezen.activiteit,
        erkenning=gelezen.erkenning, vensters=gelezen.vensters,
        stand=stand, plafonds=regels.plafonds, verplaatsing=regels.verplaatsing, vandaag=vandaag,
    ), nummer


def _geregistreerd(p: Prestatie, ctx: Context) -> PrestatieGeregistreerd:
    return PrestatieGeregistreerd(
        prestatie_id=p.id, wijkwerker_id=p.wijkwerker_id, gebruiker_id=p.gebruiker_id, organisator_id=p.organisator_id,
        koppeling_id=p.koppeling_id, traject_id=p.traject_id, datum=p.datum, door=p.ingevoerd_door.value,
        activiteit_id=p.activiteit_id, activiteit_categorie=ctx.activiteit.categorie.value,
        gebruiker_categorie=ctx.gebruiker.categorie.value, locatie_nis_code=ctx.koppeling.locatie_nis_code,
        start=p.start, minuten=p.minuten, begonnen_uren=p.begonnen_uren, afstand_km=p.afstand_km,
        recht_op_verplaatsingsvergoeding=p.recht_op_verplaatsingsvergoeding,
        verplaatsingsvergoeding_dag_cent=p.verplaatsingsvergoeding_dag_cent, referentie=p.referentie,
    )


async def registreer(
    cmd: commands.RegistreerPrestatie, uow: PrestatiesUnitOfWork, regels: Regels, vandaag: date,
    toegang: Toegang = _alles,
) -> Prestatie:
    """``toegang`` sees the placement first, in the same transaction, and raises when the
    caller may not register on it (the data scope), before any rule is checked. Every
    statement here is raw asyncpg, so the unit of work runs without SQLAlchemy's session
    (the API's hot path, bench figure 3)."""
    async with uow.ruw():
        ctx, nummer = await _context(uow, cmd, regels, vandaag, toegang)
        prestatie = Prestatie.registreer(Aanvraag(cmd.datum, cmd.start, cmd.minuten, cmd.door), ctx)
        prestatie.referentie = prestatiecode.maak(nummer)
        opent = cmd.geregistreerd_op or vandaag
        prestatie.controleer_registratiedatum(opent, vandaag)
        prestatie.open_termijn(open_termijn(opent, regels.termijnen, regels.feestdagen))
        await uow.prestaties.add(prestatie)
        uow.emit(_geregistreerd(prestatie, ctx), aggregate_version=prestatie.version)
        await uow.commit()
    return prestatie


async def _prestatie(uow: PrestatiesUnitOfWork, prestatie_id: uuid.UUID) -> Prestatie:
    prestatie = await uow.prestaties.get(prestatie_id, for_update=True)
    if prestatie is None:
        raise NietGevonden("No such prestatie.", rule="prestatie-onbekend")
    return prestatie


def _kern(p: Prestatie, door: Partij) -> dict[str, Any]:
    return {
        "prestatie_id": p.id, "wijkwerker_id": p.wijkwerker_id, "gebruiker_id": p.gebruiker_id,
        "organisator_id": p.organisator_id, "koppeling_id": p.koppeling_id, "datum": p.datum, "door": door.value,
    }


async def beoordeel(cmd: commands.BeoordeelPrestatie, uow: PrestatiesUnitOfWork, vandaag: date) -> Prestatie:
    op = cmd.op or vandaag
    async with uow:
        p = await _prestatie(uow, cmd.prestatie_id)
        event: PrestatieBevestigd | PrestatieBetwist
        if cmd.reden is None:
            p.bevestig(cmd.door, op, vandaag)
            event = PrestatieBevestigd(**_kern(p, cmd.door), begonnen_uren=p.begonnen_uren, bevestigd_op=op)
        else:
            p.betwist(cmd.door, op, vandaag, cmd.reden)
            event = PrestatieBetwist(**_kern(p, cmd.door), reden=cmd.reden, betwist_op=op)
        await uow.prestaties.save(p, actie=p.status.value, door=cmd.door, reden=cmd.reden)
        uow.emit(event, aggregate_version=p.version)
        await uow.commit()
    return p


async def corrigeer(
    cmd: commands.CorrigeerPrestatie, uow: PrestatiesUnitOfWork, plafonds: Plafonds, vandaag: date,
    regels: Regels | None = None,
) -> Prestatie:
    op = cmd.op or vandaag
    async with uow:
        p = await _prestatie(uow, cmd.prestatie_id)
        p.controleer_wijzigingsdatum(op, vandaag)
        await uow.prestaties.vergrendel_wijkwerker(p.wijkwerker_id)
        stand = await uow.prestaties.stand(p.wijkwerker_id, p.datum)
        vorige = p.corrigeer(cmd.start, cmd.minuten, cmd.door, stand, plafonds)
        if regels is not None:  # the other party confirms again, in a new window from the correction's date
            p.open_termijn(open_termijn(op, regels.termijnen, regels.feestdagen))
        await uow.prestaties.save(p, actie="gecorrigeerd", door=cmd.door, reden=cmd.reden)
        uow.emit(
            PrestatieGecorrigeerd(
                **_kern(p, cmd.door), start=p.start, minuten=p.minuten, begonnen_uren=p.begonnen_uren,
                vorige_begonnen_uren=vorige, reden=cmd.reden, gecorrigeerd_op=op,
            ),
            aggregate_version=p.version,
        )
        await uow.commit()
    return p


async def annuleer(cmd: commands.AnnuleerPrestatie, uow: PrestatiesUnitOfWork, vandaag: date) -> Prestatie:
    op = cmd.op or vandaag
    async with uow:
        p = await _prestatie(uow, cmd.prestatie_id)
        p.controleer_wijzigingsdatum(op, vandaag)
        p.annuleer()
        await uow.prestaties.save(p, actie=PrestatieStatus.GEANNULEERD.value, door=cmd.door, reden=cmd.reden)
        uow.emit(
            PrestatieGeannuleerd(**_kern(p, cmd.door), begonnen_uren=p.begonnen_uren, reden=cmd.reden,
                                 geannuleerd_op=op),
            aggregate_version=p.version,
        )
        await uow.commit()
    return p
